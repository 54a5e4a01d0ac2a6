package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// WriteLogCSV writes the aired log's rows as CSV (as WriteCSV: UTF-8 with
// a byte-order mark, formulas neutralised, times in loc).
func WriteLogCSV(w io.Writer, l *Log, loc *time.Location) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	t := LogTable(l, "vi")
	heads := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		heads[i] = c.Label
	}
	cw.Write(heads)
	for _, cells := range t.Rows {
		rec := make([]string, len(cells))
		for i, c := range cells {
			rec[i] = c.csv(loc)
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteLogXLSX writes the aired log as a workbook with one sheet, "Nhật ký
// phát sóng": instants as real date-and-time cells in loc, durations as
// durations. A sheet holds at most excelRows rows: beyond, the last row
// says how many were left out and that the CSV has them all.
func WriteLogXLSX(w io.Writer, l *Log, loc *time.Location) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx styles: %w", err)
	}
	t := LogTable(l, "vi")
	if err := f.SetSheetName("Sheet1", t.Title); err != nil {
		return err
	}
	if room := excelRows - headerRow - 1; len(t.Rows) > room {
		left := len(t.Rows) - room + 1
		t.Rows = append(t.Rows[:room-1:room-1], row(txt(fmt.Sprintf(label("vi", "more_rows_csv"), left))))
	}
	head := [][2]any{
		{label("vi", "sheet_airlog"), nil},
		{label("vi", "period") + ": " + l.Filter.Period.Name("vi") + " (" + dmy(l.Filter.Period.From) + " – " + dmy(l.Filter.Period.To) + ")", nil},
		{label("vi", "generated") + ":", wall(l.Now, loc)},
	}
	if err := writeTable(f, st, head, t, loc); err != nil {
		return fmt.Errorf("xlsx sheet airlog: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// excelRows is the most rows an Excel sheet holds.
const excelRows = 1 << 20
