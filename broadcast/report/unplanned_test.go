package report

import (
	"testing"
	"time"

	"loa/broadcast/ledger"
)

// TestUnplannedAirtimeIsShownNotCounted: an aired event the station was
// never sent is listed with the problems (and in the aired log) with the
// station, and counted in no figure, from the rollups or the events.
func TestUnplannedAirtimeIsShownNotCounted(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	at := time.Date(2026, 8, 15, 10, 0, 0, 0, hcm)
	invented := ledger.Event{StationID: "tdp-02", ID: "inv-1", ItemID: "never-sent", Title: "Quảng cáo", Topic: "tin-tuc",
		Level: "ordinary", Duration: time.Hour, Planned: at, Started: at, Ended: at.Add(time.Hour), Played: time.Hour,
		Outcome: "completed", Unplanned: ledger.UnplannedNotSent}
	now := time.Date(2026, 10, 5, 8, 30, 0, 0, hcm)
	before := map[bool]Totals{}
	for _, scan := range []bool{false, true} {
		r, err := (&Builder{Ledger: l, Plan: plan, Scan: scan}).BuildAt(now, Quarter(2026, 3), testDir)
		if err != nil {
			t.Fatal(err)
		}
		before[scan] = r.Totals
	}
	if _, err := l.Record([]ledger.Event{invented}); err != nil {
		t.Fatal(err)
	}
	for _, scan := range []bool{false, true} {
		b := &Builder{Ledger: l, Plan: plan, Scan: scan}
		r, err := b.BuildAt(now, Quarter(2026, 3), testDir)
		if err != nil {
			t.Fatal(err)
		}
		if r.Totals != before[scan] {
			t.Errorf("scan=%v: the invented hour changed the totals:\n%+v\n%+v", scan, r.Totals, before[scan])
		}
		found := false
		for _, p := range r.Problems {
			if p.Status == StatusUnplanned && p.StationName == "Tổ dân phố 2" && p.ReasonVi != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("scan=%v: the problems do not list the invented play", scan)
		}
	}
	log, err := (&Builder{Ledger: l, Plan: plan}).Log(now, LogFilter{Period: Range("2026-08-15", "2026-08-15"), Status: StatusUnplanned}, testDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Rows) != 1 || log.Rows[0].Station != "tdp-02" || log.Rows[0].InPlan {
		t.Errorf("the log's unplanned rows: %+v", log.Rows)
	}
}
