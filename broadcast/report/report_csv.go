package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteCSV writes the report as one CSV file, UTF-8 with a byte-order mark
// so that Excel reads the Vietnamese correctly: a heading block, then each
// table under its title, separated by a blank line. Separators are commas
// and the only decimal mark is the point: numbers are plain, shares
// "12.5%", airtime h:mm:ss, instants dd/mm/yyyy HH:MM in the ward. Text
// that a spreadsheet would run as a formula is neutralised (neutralise).
func WriteCSV(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	loc := zoneOf(r)
	write := func(cells ...string) {
		for i := range cells {
			cells[i] = neutralise(cells[i])
		}
		cw.Write(cells)
	}
	for _, h := range heading(r, "vi") {
		write(h...)
	}
	for _, t := range Tables(r, "vi") {
		cw.Write(nil)
		write(t.Title)
		heads := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			heads[i] = c.Label
		}
		write(heads...)
		for _, cells := range t.all() {
			rec := make([]string, len(cells))
			for i, c := range cells {
				rec[i] = c.csv(loc)
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

// heading is the block above the tables: title, ward, period, generation
// time.
func heading(r *Report, lang string) [][]string {
	loc := zoneOf(r)
	lines := [][]string{{label(lang, "report_title")}}
	if r.Ward != "" { // never "Đơn vị" with nothing after it
		lines = append(lines, []string{label(lang, "ward"), r.Ward})
	}
	return append(lines, []string{label(lang, "period"), r.Period.name(lang), dmy(r.Period.From), dmy(r.Period.To)},
		[]string{label(lang, "generated"), r.GeneratedAt.In(loc).Format("02/01/2006 15:04")})
}

// all is the table's rows with its totals row last.
func (t Table) all() [][]Cell {
	if t.Total == nil {
		return t.Rows
	}
	return append(t.Rows[:len(t.Rows):len(t.Rows)], t.Total)
}

// csv writes a cell for the CSV file: as Format, but shares with a decimal
// point, and text neutralised.
func (c Cell) csv(loc *time.Location) string {
	switch c.Kind {
	case CellPercent:
		if c.Share < 0 {
			return ""
		}
		return strconv.FormatFloat(c.Share*100, 'f', 1, 64) + "%"
	case CellText:
		return neutralise(c.Text)
	}
	return c.Format(loc)
}

// neutralise keeps a spreadsheet from running text as a formula, as OWASP
// recommends for CSV files: text beginning with =, +, -, @, a tab or a
// carriage return gets a leading apostrophe (a title such as
// =HYPERLINK("http://evil.example/…") then reads as the text it is).
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
