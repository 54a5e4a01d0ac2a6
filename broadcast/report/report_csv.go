package report

import (
	"encoding/csv"
	"fmt"
	"io"
)

// WriteCSV writes the report as one CSV file, UTF-8 with a byte-order mark
// so that Excel reads the Vietnamese correctly: a heading block, then each
// table under its title, separated by a blank line. Numbers are plain,
// airtime h:mm:ss, shares "12,5%", instants dd/mm/yyyy HH:MM in the ward.
func WriteCSV(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	loc := zoneOf(r)
	cw.Write([]string{label("vi", "report_title")})
	cw.Write([]string{label("vi", "ward"), r.Ward})
	cw.Write([]string{label("vi", "period"), r.Period.NameVi, dmy(r.Period.From), dmy(r.Period.To)})
	cw.Write([]string{label("vi", "generated"), r.GeneratedAt.In(loc).Format("02/01/2006 15:04")})
	for _, t := range tables(r, "vi") {
		cw.Write(nil)
		cw.Write([]string{t.title})
		cw.Write(t.headers)
		rows := t.rows
		if t.total != nil {
			rows = append(rows[:len(rows):len(rows)], t.total)
		}
		for _, cells := range rows {
			rec := make([]string, len(cells))
			for i, c := range cells {
				rec[i] = c.format(loc)
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
