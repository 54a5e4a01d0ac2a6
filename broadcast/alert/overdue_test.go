package alert

import (
	"slices"
	"testing"
	"time"

	"loa/internal/testclock"
	"loa/playlist"
)

// The check's body is a plain function of now: an item is overdue once
// its instant, its duration and the grace have all passed, unless the
// station reported it or says it is on air.
func TestOverdueIsAPlainFunctionOfNow(t *testing.T) {
	for name, now := range testclock.Nows() {
		t.Run(name, func(t *testing.T) {
			item := func(id string, ago, dur time.Duration) playlist.PlannedItem {
				return playlist.PlannedItem{ID: id, Title: "Bản tin " + id, StartMs: now.Add(-ago).UnixMilli(), DurationMs: dur.Milliseconds()}
			}
			plan := []playlist.PlannedItem{
				item("long-ago", 3*time.Hour, 2*time.Minute),
				item("reported", 2*time.Hour, 2*time.Minute),
				item("on-air", 40*time.Minute, 5*time.Minute),  // started late, still playing
				item("in-grace", 3*time.Minute, 2*time.Minute), // ended a minute ago: exactly the grace
				item("just-past", 3*time.Minute+time.Second, 2*time.Minute),
				item("playing-now", time.Minute, 2*time.Minute), // still within its duration
				item("later", -time.Hour, 2*time.Minute),
			}
			aired := func(id string) bool { return id == "reported" }
			got := Overdue(now, time.Minute, plan, aired, "on-air")
			var ids []string
			for _, it := range got {
				ids = append(ids, it.ItemID)
			}
			if want := []string{"long-ago", "in-grace", "just-past"}; !slices.Equal(ids, want) {
				t.Fatalf("overdue %v, want %v", ids, want)
			}
			if got[0].Title != "Bản tin long-ago" || !got[0].Planned.Equal(now.Add(-3*time.Hour)) || got[0].DurationMs != 120000 {
				t.Errorf("first overdue item: %+v", got[0])
			}
			if len(Overdue(now, time.Minute, plan, func(string) bool { return true }, "")) != 0 {
				t.Error("items reported are overdue")
			}
		})
	}
}

// From the stores: an online station that stays silent is a critical
// alert naming its items; an offline one's are a warning; a station that
// reported everything, one never connected and a disabled one have none.
// Items planned on the ward's day before (across midnight and a quarter's
// end) count too.
func TestOverdueAlertsFromTheStores(t *testing.T) {
	for name, now := range testclock.Nows() {
		t.Run(name, func(t *testing.T) {
			var quiet, away, fine []playlist.Item
			w := newTestWard(t, func(w *testWard) {
				for _, id := range []string{"tdp-quiet", "tdp-away", "tdp-fine", "tdp-new"} {
					w.addStation(t, id, now)
				}
				w.heard(t, "tdp-quiet", now.Add(-10*time.Second))
				w.heard(t, "tdp-away", now.Add(-2*time.Hour))
				w.heard(t, "tdp-fine", now.Add(-20*time.Second))
				starts := []time.Time{now.Add(-30 * time.Minute), now.Add(-10 * time.Minute), now.Add(-90 * time.Second), now.Add(time.Hour)} // the third ended within the grace
				quiet = w.plan(t, "tdp-quiet", time.Minute, starts...)
				away = w.plan(t, "tdp-away", time.Minute, starts...)
				fine = w.plan(t, "tdp-fine", time.Minute, starts...)
				w.plan(t, "tdp-new", time.Minute, starts...)
				w.aired(t, "tdp-fine", fine[0], "completed")
				w.aired(t, "tdp-fine", fine[1], "missed") // reported: missed is not silence
				w.aired(t, "tdp-quiet", quiet[1], "completed")
			})
			alerts, err := w.checker(Config{}).Alerts(now)
			if err != nil {
				t.Fatal(err)
			}
			got := byID(alerts)
			q, ok := got["item_overdue:tdp-quiet"]
			if !ok || q.Severity != Critical || q.Count != 1 || q.Items[0].ItemID != quiet[0].ID || q.Items[0].Title != "Bản tin 1" ||
				!q.Items[0].Planned.Equal(now.Add(-30*time.Minute)) {
				t.Errorf("online silent station: %+v", q)
			}
			a, ok := got["item_overdue_offline:tdp-away"]
			if !ok || a.Severity != Warning || a.Count != 2 || a.Items[0].ItemID != away[0].ID || a.Items[1].ItemID != away[1].ID {
				t.Errorf("offline station: %+v", a)
			}
			for _, id := range []string{"tdp-fine", "tdp-new"} {
				for _, kind := range []string{KindOverdue, KindOverdueOffline} {
					if a, ok := got[kind+":"+id]; ok {
						t.Errorf("%s has %+v", id, a)
					}
				}
			}
			if _, ok := got["item_overdue:tdp-away"]; ok {
				t.Error("an offline station's items read as a fault")
			}
		})
	}
}

// The grace is a setting: with five minutes, an item that ended two
// minutes ago is not overdue yet; the window bounds how far back.
func TestOverdueGraceAndWindowAreSettings(t *testing.T) {
	now := testclock.Now(t)
	w := newTestWard(t, func(w *testWard) {
		w.addStation(t, "tdp-01", now)
		w.heard(t, "tdp-01", now.Add(-5*time.Second))
		w.plan(t, "tdp-01", time.Minute, now.Add(-26*time.Hour), now.Add(-3*time.Minute))
	})
	for _, tc := range []struct {
		cfg  Config
		want int
	}{
		{Config{}, 1},
		{Config{OverdueGrace: 5 * time.Minute}, 0},
		{Config{OverdueWindow: 48 * time.Hour}, 2},
	} {
		alerts, err := w.checker(tc.cfg).Alerts(now)
		if err != nil {
			t.Fatal(err)
		}
		if got := byID(alerts)["item_overdue:tdp-01"].Count; got != tc.want {
			t.Errorf("%+v: %d overdue, want %d", tc.cfg, got, tc.want)
		}
	}
}
