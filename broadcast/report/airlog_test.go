package report

import (
	"bytes"
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
