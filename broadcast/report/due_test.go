package report

import (
	"fmt"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

// dayFixture plans six items on 31/12/2026 (the last day of Q4) at one
// station, 06:00 to 23:55, and records the ones planned before 12:00 as
// aired once they have ended by now, except the 09:00 one, which nobody
// reported.
func dayFixture(t *testing.T, now time.Time) (*Builder, []PlannedItem) {
	t.Helper()
	l := openLedger(t)
	date := library.Date("2026-12-31")
	midnight, _ := date.Time(hcm)
	dp := DayPlan{Station: "tdp-01", Date: date}
	var events []ledger.Event
	for i, hm := range [][2]int{{6, 0}, {9, 0}, {11, 0}, {17, 30}, {20, 0}, {23, 55}} {
		start := midnight.Add(time.Duration(hm[0])*time.Hour + time.Duration(hm[1])*time.Minute)
		it := PlannedItem{ID: fmt.Sprint("it-", i), SegmentID: "11", Title: "Bản tin", Topic: "cchc-tthc", Start: start, Duration: 3 * time.Minute}
		dp.Items = append(dp.Items, it)
		if hm[0] < 12 && hm[0] != 9 && !start.Add(it.Duration).After(now) {
			events = append(events, ledger.Event{StationID: "tdp-01", ID: fmt.Sprint("ev-", i), ItemID: it.ID, SegmentID: "11",
				Title: it.Title, Topic: it.Topic, Level: "ordinary", Duration: it.Duration, Planned: start, Started: start,
				Ended: start.Add(it.Duration), Played: it.Duration, Outcome: "completed"})
		}
	}
	if _, err := l.Record(events); err != nil {
		t.Fatal(err)
	}
	return &Builder{Ledger: l, Plan: memPlan{dp}}, dp.Items
}

// TestComplianceCountsOnlyWhatIsDue: on the report's day, items still ahead
// are "chưa tới giờ" and count neither way; an item whose time has passed
// with no report is "quá giờ chưa báo cáo" and counts against. Run at
// several hours of the day, in the ward's zone whatever the machine's.
func TestComplianceCountsOnlyWhatIsDue(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		at                     string
		future, overdue, onAir int
		compliance             float64
	}{
		{"2026-12-31 05:00", 6, 0, 0, -1},      // nothing due yet: no figure
		{"2026-12-31 06:30", 5, 0, 1, 1},       // the 06:00 item aired
		{"2026-12-31 09:05", 5, 0, 1, 1},       // 09:00 is still within its grace
		{"2026-12-31 12:00", 3, 1, 2, 2.0 / 3}, // 09:00 is overdue; 17:30 is ahead
		{"2026-12-31 23:59", 1, 3, 2, 2.0 / 5}, // 23:55 is playing
		{"2027-01-01 06:30", 0, 4, 2, 2.0 / 6}, // the next morning: all due
	} {
		now, _ := time.ParseInLocation("2006-01-02 15:04", c.at, hcm)
		b, _ := dayFixture(t, now)
		for _, p := range []Period{Range("2026-12-31", "2026-12-31"), Quarter(2026, 4)} {
			r, err := b.BuildAt(now.In(time.UTC), p, testDir)
			if err != nil {
				t.Fatal(err)
			}
			tot := r.Totals
			if tot.Planned != 6 || tot.Future != c.future || tot.Overdue != c.overdue || tot.Plays != c.onAir || tot.Compliance != c.compliance {
				t.Errorf("%s, %s: planned %d future %d overdue %d plays %d compliance %.3f; want 6, %d, %d, %d, %.3f",
					c.at, p.Code(), tot.Planned, tot.Future, tot.Overdue, tot.Plays, tot.Compliance, c.future, c.overdue, c.onAir, c.compliance)
			}
			if st := r.Stations[0]; st.ID != "tdp-01" || st.Future != c.future || st.Overdue != c.overdue {
				t.Errorf("%s: station row %+v", c.at, st.Statuses)
			}
		}
		lines, err := b.ReconcileAt(now, Range("2026-12-31", "2026-12-31"), "tdp-01")
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, ln := range lines {
			count[ln.Status]++
		}
		if count[StatusFuture] != c.future || count[StatusOverdue] != c.overdue {
			t.Errorf("%s: reconciliation %v", c.at, count)
		}
	}
}
