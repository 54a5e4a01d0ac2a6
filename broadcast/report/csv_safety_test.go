package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"loa/broadcast/ledger"
)

const phish = `=HYPERLINK("http://evil.example/phish","Xem chi tiết")`

// hostileReport has a segment title, a station's reason code, a station
// name and a group name that a spreadsheet would run as formulas.
func hostileReport(t *testing.T) *Report {
	t.Helper()
	l := openLedger(t)
	at := time.Date(2026, 10, 2, 7, 0, 0, 0, hcm)
	events := []ledger.Event{
		{StationID: "tdp-01", ID: "1", ItemID: "a", SegmentID: "11", Title: phish, Topic: "tin-tuc", Level: "ordinary",
			Groups: []string{"khu-a"}, Duration: time.Minute, Planned: at, Started: at, Played: time.Minute, Outcome: "completed"},
		{StationID: "tdp-02", ID: "2", ItemID: "b", SegmentID: "12", Title: "+1+2", Topic: "tin-tuc", Level: "ordinary",
			Duration: time.Minute, Planned: at.Add(time.Hour), Outcome: "failed", Reason: "@SUM(A1:A9)"},
		{StationID: "tdp-03", ID: "3", ItemID: "c", SegmentID: "13", Title: "\tcmd", Topic: "-1", Level: "ordinary",
			Duration: time.Minute, Planned: at.Add(2 * time.Hour), Outcome: "missed", Reason: "\r=1"},
	}
	if _, err := l.Record(events); err != nil {
		t.Fatal(err)
	}
	dir := testDir
	dir.Stations = append([]Station{{ID: "tdp-01", Name: "-Tổ 1", Groups: []string{"khu-a"}}}, dir.Stations[1:]...)
	dir.Groups = []Group{{ID: "khu-a", Name: "=1+1"}}
	b := &Builder{Ledger: l, Now: func() time.Time { return at.AddDate(0, 1, 0) }}
	r, err := b.Build(Quarter(2026, 4), dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCSVNeutralisesFormulas: no field of the CSV begins with a character
// that makes a spreadsheet run it (OWASP: =, +, -, @, tab, CR); the text
// is kept, after an apostrophe.
func TestCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, hostileReport(t)); err != nil {
		t.Fatal(err)
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, rec := range recs {
		for _, f := range rec {
			if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
				t.Errorf("field %q would run as a formula", f)
			}
			found[f] = true
		}
	}
	for _, want := range []string{"'" + phish, "'+1+2", "'@SUM(A1:A9)", "'\tcmd", "'-Tổ 1", "'=1+1"} {
		if !found[want] {
			t.Errorf("the CSV lacks the neutralised field %q", want)
		}
	}
}

// TestXLSXAndHTMLKeepHostileTextAsText: the workbook stores the titles as
// strings, never formulas; the page escapes them.
func TestXLSXAndHTMLKeepHostileTextAsText(t *testing.T) {
	t.Parallel()
	r := hostileReport(t)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := false
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for y, row := range rows {
			for x, v := range row {
				ref, _ := excelize.CoordinatesToCellName(x+1, y+1)
				if formula, _ := f.GetCellFormula(sh, ref); formula != "" {
					t.Errorf("%s!%s holds a formula %q", sh, ref, formula)
				}
				if v == phish {
					seen = true
					if typ, _ := f.GetCellType(sh, ref); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						t.Errorf("%s!%s is of type %v, want a string", sh, ref, typ)
					}
				}
			}
		}
	}
	if !seen {
		t.Error("the workbook lacks the title as aired")
	}
	buf.Reset()
	if err := WriteHTML(&buf, r, "vi"); err != nil {
		t.Fatal(err)
	}
	if page := buf.String(); !strings.Contains(page, `=HYPERLINK(&#34;http://evil.example/phish&#34;,&#34;Xem chi tiết&#34;)`) || strings.Contains(page, `href="http://evil.example`) {
		t.Error("the page does not show the title as escaped text")
	}
}

// TestRoundedRowsAddUpToTheTotal: six items of 3.4 s show rows that add up
// to the total, which is the unrounded sum rounded once (0:00:20).
func TestRoundedRowsAddUpToTheTotal(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	at := time.Date(2026, 10, 2, 7, 0, 0, 0, hcm)
	var events []ledger.Event
	for i := range 6 {
		p := at.Add(time.Duration(i) * time.Hour)
		d := 3400 * time.Millisecond
		events = append(events, ledger.Event{StationID: "tdp-01", ID: string(rune('a' + i)), ItemID: string(rune('a' + i)),
			SegmentID: string(rune('1' + i)), Title: "Tin " + string(rune('1'+i)), Topic: "tin-tuc", Level: "ordinary",
			Duration: d, Planned: p, Started: p, Played: d, Outcome: "completed"})
	}
	if _, err := l.Record(events); err != nil {
		t.Fatal(err)
	}
	r, err := (&Builder{Ledger: l, Now: func() time.Time { return at.AddDate(0, 1, 0) }}).Build(Quarter(2026, 4), testDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range Tables(r, "vi") {
		for c, col := range tb.Columns {
			if !col.Sums || tb.Total == nil || tb.Total[c].Kind != CellDuration {
				continue
			}
			var sum time.Duration
			for _, row := range tb.Rows {
				sum += row[c].Dur
			}
			if sum != tb.Total[c].Dur || sum%time.Second != 0 {
				t.Errorf("%s.%s: rows add up to %v, total %v", tb.ID, col.Key, sum, tb.Total[c].Dur)
			}
			if tb.ID == "items" && tb.Total[c].Dur != 20*time.Second {
				t.Errorf("items total %v, want 20s", tb.Total[c].Dur)
			}
		}
	}
}
