package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestAiredLogShowsEveryPlannedItemsFate: a group's day lists every planned
// item with its outcome and the emergency broadcast where it cut in; the
// filters pick the rows behind the report's figures.
func TestAiredLogShowsEveryPlannedItemsFate(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	b := &Builder{Ledger: l, Plan: plan}
	now := time.Date(2026, 10, 5, 8, 30, 0, 0, hcm)
	day := Range("2026-08-15", "2026-08-15")
	log, err := b.Log(now, LogFilter{Period: day, Group: "khu-a"}, testDir)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]int{}
	for _, r := range log.Rows {
		statuses[r.Status]++
		if r.Station == "tdp-03" {
			t.Errorf("group khu-a lists %s", r.Station)
		}
		if r.Status == StatusEmergency && (r.StationName != "Tổ dân phố 1" || r.Started.IsZero() || r.Ended.IsZero()) {
			t.Errorf("emergency row %+v", r)
		}
	}
	if statuses[StatusEmergency] != 1 || statuses["interrupted"] != 1 || len(log.Rows) != 7 {
		t.Errorf("rows by status %v (%d rows)", statuses, len(log.Rows))
	}
	// The rows behind the report's figures: the station table's counts.
	r, err := b.BuildAt(now, day, testDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range r.Stations {
		for _, status := range append([]string{StatusOnAir}, statusColumns...) {
			want := st.Plays
			if status != StatusOnAir {
				want = st.count(status)
			}
			got, err := b.Log(now, LogFilter{Period: day, Station: st.ID, Status: status}, testDir)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Rows) != want {
				t.Errorf("%s %s: %d rows behind the figure %d", st.ID, status, len(got.Rows), want)
			}
		}
	}
	if _, err := b.Log(now, LogFilter{Period: Year(2026)}, testDir); err != ErrLogTooLong {
		t.Errorf("a year's log: %v", err)
	}

	var book bytes.Buffer
	if err := WriteLogXLSX(&book, log, hcm); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "Nhật ký phát sóng" {
		t.Fatalf("sheets %v", sheets)
	}
	typ, _ := f.GetCellType("Nhật ký phát sóng", "A7")
	shown, _ := f.GetCellValue("Nhật ký phát sóng", "A7")
	if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || shown != "15/08/2026 06:00:00" {
		t.Errorf("planned time cell: type %v, shows %q", typ, shown)
	}
	var csvOut bytes.Buffer
	if err := WriteLogCSV(&csvOut, log, hcm); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(csvOut.String(), "\r\n"); got != len(log.Rows)+1 || !strings.Contains(csvOut.String(), "Phát khẩn cấp") {
		t.Errorf("CSV has %d lines for %d rows", got, len(log.Rows))
	}
}

// TestAiredLogOfSomeStationsReadsAsTheFullScan: the log of a station or a
// group, read through the ledger's station index, has the rows the scan of
// every event of its days gives.
func TestAiredLogOfSomeStationsReadsAsTheFullScan(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	now := time.Date(2026, 10, 5, 8, 30, 0, 0, hcm)
	indexed, scan := &Builder{Ledger: l, Plan: plan}, &Builder{Ledger: l, Plan: plan, Scan: true}
	for _, f := range []LogFilter{
		{Period: Range("2026-08-15", "2026-08-15"), Group: "khu-a"},
		{Period: Range("2026-08-14", "2026-08-16"), Station: "tdp-03"},
		{Period: Quarter(2026, 3), Station: "tdp-01"},
	} {
		got, err := indexed.Log(now, f, testDir)
		if err != nil {
			t.Fatal(err)
		}
		want, err := scan.Log(now, f, testDir)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) == 0 || !reflect.DeepEqual(got.Rows, want.Rows) {
			t.Errorf("%+v: %d rows through the index, %d from the scan", f, len(got.Rows), len(want.Rows))
		}
	}
}

// TestStreamedLogHasLogsRows: the export's log, made a day at a time, has
// the rows of the log made at once, in the same order.
func TestStreamedLogHasLogsRows(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	b := &Builder{Ledger: l, Plan: plan}
	now := time.Date(2026, 8, 15, 9, 30, 0, 0, hcm) // items of the day both sides of now
	for _, f := range []LogFilter{
		{Period: Quarter(2026, 3)},
		{Period: Range("2026-08-14", "2026-08-16"), Group: "khu-a"},
		{Period: Range("2026-08-15", "2026-08-15"), Station: "tdp-01", Status: StatusOnAir},
		{Period: Month(2026, 8), Status: StatusEmergency},
	} {
		want, err := b.Log(now, f, testDir)
		if err != nil {
			t.Fatal(err)
		}
		log, err := b.StreamLog(now, f, testDir)
		if err != nil {
			t.Fatal(err)
		}
		var got []LogRow
		if err := log.Each(func(r LogRow) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || !reflect.DeepEqual(got, want.Rows) {
			t.Errorf("%+v: %d rows streamed, %d in the log", f, len(got), len(want.Rows))
		}
	}
	if _, err := b.StreamLog(now, LogFilter{Period: Year(2026)}, testDir); err != ErrLogTooLong {
		t.Errorf("a year's streamed log: %v", err)
	}
}

// TestLogSheetFullSaysWhatIsLeftOut: a sheet with room for n rows holds a
// log of n rows in full; of a longer log it holds the first n−1 and a row
// saying how many are left out (with room for 1,048,572 in a real sheet).
func TestLogSheetFullSaysWhatIsLeftOut(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	b := &Builder{Ledger: l, Plan: plan}
	now := time.Date(2026, 10, 5, 8, 30, 0, 0, hcm)
	full, err := b.Log(now, LogFilter{Period: Range("2026-08-15", "2026-08-15")}, testDir)
	if err != nil || len(full.Rows) < 4 {
		t.Fatalf("%d rows: %v", len(full.Rows), err)
	}
	const room = 4
	for _, rows := range []int{room - 1, room, room + 1, room + 3} {
		log := &Log{Filter: full.Filter, Now: now, Rows: full.Rows[:min(rows, len(full.Rows))]}
		if rows > len(full.Rows) {
			log.Rows = append(log.Rows, full.Rows[:rows-len(full.Rows)]...)
		}
		got := sheetRows(t, log, room)
		if rows <= room {
			if len(got) != rows || got[rows-1][3] != log.Rows[rows-1].Title {
				t.Errorf("%d rows in room for %d: the sheet holds %d, the last %v", rows, room, len(got), got[len(got)-1])
			}
			continue
		}
		note := got[len(got)-1]
		if len(got) != room || got[room-2][3] != log.Rows[room-2].Title || !strings.Contains(note[0], fmt.Sprint(rows-room+1)) || !strings.Contains(note[0], "CSV") {
			t.Errorf("%d rows in room for %d: the sheet holds %d, the last %v", rows, room, len(got), note)
		}
	}
}

// sheetRows writes log as the workbook does with room rows below the
// headers and reads those rows back.
func sheetRows(t *testing.T, log *Log, room int) [][]string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	tbl := logColumns("vi")
	if err := f.SetSheetName("Sheet1", tbl.Title); err != nil {
		t.Fatal(err)
	}
	if err := streamLog(f, st, log, tbl, hcm, room); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	rows, err := back.GetRows(tbl.Title)
	if err != nil {
		t.Fatal(err)
	}
	return rows[headerRow:]
}

// TestLogJSONStreamedIsTheLogsJSON: the log's JSON written row by row from
// a streamed log is the JSON of the log made at once.
func TestLogJSONStreamedIsTheLogsJSON(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	b := &Builder{Ledger: l, Plan: plan}
	now := time.Date(2026, 8, 15, 9, 30, 0, 0, hcm)
	for _, f := range []LogFilter{{Period: Quarter(2026, 3)}, {Period: Range("2026-01-01", "2026-01-02")}} {
		held, err := b.Log(now, f, testDir)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(held); err != nil {
			t.Fatal(err)
		}
		streamed, err := b.StreamLog(now, f, testDir)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteLogJSON(&got, streamed); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%+v: streamed JSON differs (%d bytes, want %d)", f, got.Len(), want.Len())
		}
	}
}
