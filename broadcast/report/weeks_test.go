package report

import (
	"testing"
	"time"
)

// TestWeeksAddUpToThePeriod: the weekly chart's planned and aired counts
// add up to the period's, and the heat map has a cell per station and week.
func TestWeeksAddUpToThePeriod(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	for _, scan := range []bool{false, true} {
		b := &Builder{Ledger: l, Plan: plan, Scan: scan}
		r, err := b.BuildAt(time.Date(2026, 10, 5, 8, 30, 0, 0, hcm), Quarter(2026, 3), testDir)
		if err != nil {
			t.Fatal(err)
		}
		var planned, plays int
		for _, w := range r.Weeks {
			planned, plays = planned+w.Planned, plays+w.Plays
		}
		if len(r.Weeks) != 14 || r.Weeks[0].Name != "01/07–07/07" || r.Weeks[13].Name != "30/09–30/09" ||
			planned != r.Totals.Planned || plays != r.Totals.Plays {
			t.Errorf("scan=%v: %d weeks (%s … %s), planned %d plays %d; the quarter %d, %d", scan, len(r.Weeks),
				r.Weeks[0].Name, r.Weeks[len(r.Weeks)-1].Name, planned, plays, r.Totals.Planned, r.Totals.Plays)
		}
		if len(r.Heat) != len(r.Stations) || len(r.Heat[0].Compliance) != 14 || r.Heat[0].Compliance[0] != 1 || r.Heat[0].Compliance[1] != -1 {
			t.Errorf("heat map %+v", r.Heat[0])
		}
	}
}
