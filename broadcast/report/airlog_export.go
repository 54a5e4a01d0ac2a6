package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
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
	t := logColumns("vi")
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = c.Label
	}
	cw.Write(rec)
	err := l.Each(func(r LogRow) error { // row by row: a quarter's log is millions of cells
		for i, c := range logCells(r, "vi") {
			rec[i] = c.csv(loc)
		}
		return cw.Write(rec)
	})
	cw.Flush()
	if err != nil {
		return err
	}
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteLogJSON writes the log as JSON, as encoding/json writes a Log, a
// row at a time: a ward's quarter is millions of rows.
func WriteLogJSON(w io.Writer, l *Log) error {
	head, err := json.Marshal(struct {
		Filter LogFilter
		Now    time.Time
	}{l.Filter, l.Now})
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	bw := bufio.NewWriter(w)
	bw.Write(head[:len(head)-1]) // without its closing brace
	bw.WriteString(`,"Rows":`)
	n := 0
	err = l.Each(func(r LogRow) error {
		row, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if n == 0 {
			bw.WriteByte('[')
		} else {
			bw.WriteByte(',')
		}
		n++
		_, err = bw.Write(row)
		return err
	})
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if n == 0 {
		bw.WriteByte('[') // a log without rows has an empty list
	}
	bw.WriteByte(']')
	bw.WriteString("}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// WriteLogXLSX writes the aired log as a workbook with one sheet, "Nhật ký
// phát sóng": instants as real date-and-time cells in loc, durations as
// durations. It streams the rows (a quarter of a ward is millions of
// cells), and a sheet holds at most excelRows rows: beyond, the last row
// says how many were left out and that the CSV has them all.
func WriteLogXLSX(w io.Writer, l *Log, loc *time.Location) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx styles: %w", err)
	}
	t := logColumns("vi")
	if err := f.SetSheetName("Sheet1", t.Title); err != nil {
		return err
	}
	if err := streamLog(f, st, l, t, loc, excelRows-headerRow); err != nil {
		return fmt.Errorf("xlsx sheet airlog: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// streamLog writes the log's sheet row by row: the heading, the column
// headers (repeated on every printed page) and at most room rows.
func streamLog(f *excelize.File, st *styles, l *Log, t Table, loc *time.Location, room int) error {
	sw, err := f.NewStreamWriter(t.Title)
	if err != nil {
		return err
	}
	for c, col := range t.Columns {
		if err := sw.SetColWidth(c+1, c+1, col.Width); err != nil {
			return err
		}
	}
	period := label("vi", "period") + ": " + l.Filter.Period.Name("vi") + " (" + dmy(l.Filter.Period.From) + " – " + dmy(l.Filter.Period.To) + ")"
	head := [][]any{
		{excelize.Cell{StyleID: st.title, Value: label("vi", "sheet_airlog")}},
		{period},
		{label("vi", "generated") + ":", excelize.Cell{StyleID: st.cells[0][CellTime], Value: wall(l.Now, loc)}},
	}
	for i, h := range head {
		if err := sw.SetRow(cellName(0, i+1), h); err != nil {
			return err
		}
	}
	hdr := make([]any, len(t.Columns))
	for c, col := range t.Columns {
		hdr[c] = excelize.Cell{StyleID: st.header, Value: col.Label}
	}
	if err := sw.SetRow(cellName(0, headerRow), hdr); err != nil {
		return err
	}
	if err := streamLogRows(sw, st, l, loc, room); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return printSetup(f, t.Title, len(t.Columns))
}

// streamLogRows writes the log's rows below the headers. When there are
// more than room, the first room−1 are written and the last row says how
// many were left out and that the CSV has them: the row that would fill
// the sheet is held until the next one shows whether it is the last.
func streamLogRows(sw *excelize.StreamWriter, st *styles, l *Log, loc *time.Location, room int) error {
	n := 0
	var held []any
	cells := func(r LogRow) []any {
		vals := []any{}
		for _, v := range logCells(r, "vi") {
			vals = append(vals, excelize.Cell{StyleID: st.cells[0][v.Kind], Value: xlsxValue(v, loc)})
		}
		return vals
	}
	err := l.Each(func(r LogRow) error {
		n++
		switch {
		case n < room:
			return sw.SetRow(cellName(0, headerRow+n), cells(r))
		case n == room:
			held = cells(r)
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case n > room:
		note := []any{fmt.Sprintf(label("vi", "more_rows_csv"), n-(room-1))}
		return sw.SetRow(cellName(0, headerRow+room), note)
	case held != nil:
		return sw.SetRow(cellName(0, headerRow+room), held)
	}
	return nil
}

// excelRows is the most rows an Excel sheet holds.
const excelRows = 1 << 20
