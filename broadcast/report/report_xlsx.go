package report

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"loa/internal/ward"
)

// headerRow is the row of column headers on every sheet; rows above it
// name the report, the ward, the period and the generation time.
const headerRow = 6

// WriteXLSX writes the report as a workbook in Vietnamese: one sheet per
// table, numbers, durations ([h]:mm:ss) and dates as real cells, a totals
// row, A4 print setup with the header row repeated on every page.
func WriteXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx styles: %w", err)
	}
	loc := zoneOf(r)
	for i, t := range Tables(r, "vi") {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Title)
		} else {
			_, err = f.NewSheet(t.Title)
		}
		if err == nil {
			err = writeSheet(f, st, r, t, loc)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", t.ID, err)
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func zoneOf(r *Report) *time.Location {
	if loc, err := ward.Location(r.Zone); err == nil {
		return loc
	}
	return time.UTC
}

// styles holds a style id per cell kind, normal and bold (totals).
type styles struct {
	title, header int
	cells         [2][6]int // [bold][kind]
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{}
	border := []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}
	font := func(bold bool, size float64) *excelize.Font {
		return &excelize.Font{Bold: bold, Family: "Times New Roman", Size: size}
	}
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{Font: font(true, 13)}); err != nil {
		return nil, err
	}
	if s.header, err = f.NewStyle(&excelize.Style{Font: font(true, 11), Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	formats := [6]string{CellText: "@", CellInt: "0", CellDuration: "[h]:mm:ss", CellPercent: "0.0%", CellTime: "dd/mm/yyyy hh:mm", CellTimeSec: "dd/mm/yyyy hh:mm:ss"}
	for b := range 2 {
		for k, nf := range formats {
			style := &excelize.Style{Font: font(b == 1, 11), Border: border, CustomNumFmt: &nf,
				Alignment: &excelize.Alignment{Vertical: "center", WrapText: k == int(CellText)}}
			if s.cells[b][k], err = f.NewStyle(style); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

func writeSheet(f *excelize.File, st *styles, r *Report, t Table, loc *time.Location) error {
	head := [][2]any{
		{label("vi", "report_title") + " — " + t.Title, nil},
		{label("vi", "ward") + ": " + r.Ward, nil},
		{label("vi", "period") + ": " + r.Period.NameVi + " (" + dmy(r.Period.From) + " – " + dmy(r.Period.To) + ")", nil},
		{label("vi", "generated") + ":", wall(r.GeneratedAt, loc)},
	}
	if r.Ward == "" { // never "Đơn vị:" with nothing after it
		head[1][0] = ""
	}
	return writeTable(f, st, head, t, loc)
}

// writeTable writes table t on its sheet under the heading lines (text,
// and a time beside it when not nil).
func writeTable(f *excelize.File, st *styles, head [][2]any, t Table, loc *time.Location) error {
	sh := t.Title
	for i, h := range head {
		if err := f.SetCellValue(sh, cellName(0, i+1), h[0]); err != nil {
			return err
		}
		if h[1] != nil {
			f.SetCellValue(sh, cellName(1, i+1), h[1])
			f.SetCellStyle(sh, cellName(1, i+1), cellName(1, i+1), st.cells[0][CellTime])
		}
	}
	f.SetCellStyle(sh, "A1", "A1", st.title)
	for c, h := range t.Columns {
		f.SetCellValue(sh, cellName(c, headerRow), h.Label)
		if h.Width > 0 {
			col, _ := excelize.ColumnNumberToName(c + 1)
			f.SetColWidth(sh, col, col, h.Width)
		}
	}
	f.SetCellStyle(sh, cellName(0, headerRow), cellName(len(t.Columns)-1, headerRow), st.header)
	rows := t.all()
	for i, cells := range rows {
		bold := 0
		if t.Total != nil && i == len(rows)-1 {
			bold = 1
		}
		for c, v := range cells {
			if err := setCell(f, sh, cellName(c, headerRow+1+i), v, st.cells[bold][v.Kind], loc); err != nil {
				return err
			}
		}
	}
	return printSetup(f, sh, len(t.Columns))
}

// setCell stores a typed cell: numbers as numbers, durations as fractions
// of a day, instants as the ward's wall-clock date and time.
func setCell(f *excelize.File, sh, ref string, v Cell, style int, loc *time.Location) error {
	if val := xlsxValue(v, loc); val != nil {
		if err := f.SetCellValue(sh, ref, val); err != nil {
			return err
		}
	}
	return f.SetCellStyle(sh, ref, ref, style)
}

// xlsxValue is what a cell stores: numbers as numbers, durations as
// fractions of a day, instants as the ward's wall clock; nil for no figure.
func xlsxValue(v Cell, loc *time.Location) any {
	switch v.Kind {
	case CellInt:
		return v.Int
	case CellDuration:
		return v.Dur.Round(time.Second).Hours() / 24
	case CellPercent:
		if v.Share >= 0 {
			return v.Share
		}
		return nil
	case CellTime, CellTimeSec:
		return wall(v.At, loc)
	}
	return v.Text
}

// wall is t's wall clock in loc as a zone-less time: Excel has no zones,
// and excelize counts from the UTC instant.
func wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

// printSetup: A4, landscape for wide tables, fit to the page width, the
// header row repeated on every printed page.
func printSetup(f *excelize.File, sh string, columns int) error {
	a4, fit, tall := 9, 1, 0
	orientation := "portrait"
	if columns > 5 {
		orientation = "landscape"
	}
	yes := true
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &fit, FitToHeight: &tall}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sh,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sh, headerRow, headerRow)})
}
