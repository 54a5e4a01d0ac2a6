package alert

import (
	"testing"
	"time"

	"loa/internal/testclock"
	"loa/playlist"
	"loa/playlist/library"
)

// The demo's morning: at 06:38 a bulletin was approved for 06:39:09 and
// the playlist rebuilt (version 5); the agent acked it but waits for the
// 17:30 jingle. Once it holds version 5 (or had a minute to get it) that
// is off its plan; an agent waiting for the plan's next item is not; one
// waiting for an item the plan dropped is.
func TestOffPlanAfterThePlaylistWasAcked(t *testing.T) {
	now := testclock.Now(t)
	at := func(d time.Duration) time.Time { return now.Add(d) }
	item := func(id string, start time.Time) playlist.Item {
		return playlist.Item{ID: id, Title: "Bản tin " + id, StartMs: start.UnixMilli(), DurationMs: 60_000}
	}
	bulletin, jingle := item("bulletin", at(69*time.Second)), item("jingle", at(11*time.Hour))
	day := library.DateOf(now, time.UTC)
	pl := playlist.Playlist{Version: 5, BuiltAt: at(-10 * time.Second), Items: []playlist.Item{item("earlier", at(-time.Hour)), bulletin, jingle}}
	waits := func(it playlist.Item, version uint64, statusAt time.Time) Wait {
		return Wait{ItemID: it.ID, Title: it.Title, Planned: it.Start(), Day: day, Version: version, StatusAt: statusAt}
	}
	for _, tc := range []struct {
		name  string
		w     Wait
		off   bool
		items []string
	}{
		{"acked, waits for a later item", waits(jingle, 5, now), true, []string{"jingle", "bulletin"}},
		{"not yet acked, just built", waits(jingle, 4, now), false, nil},
		{"not acked a minute after", waits(jingle, 4, at(time.Minute)), true, []string{"jingle", "bulletin"}},
		{"acked, waits for the next item", waits(bulletin, 5, now), false, nil},
		{"waits for an item the plan dropped", waits(item("dropped", at(time.Hour)), 5, now), true, []string{"dropped"}},
		{"dropped, but not yet acked", waits(item("dropped", at(time.Hour)), 4, now), false, nil},
	} {
		items, off := OffPlan(tc.w, pl)
		var ids []string
		for _, it := range items {
			ids = append(ids, it.ItemID)
		}
		if off != tc.off || len(ids) != len(tc.items) || (off && (ids[0] != tc.items[0] || ids[len(ids)-1] != tc.items[len(ids)-1])) {
			t.Errorf("%s: off %v %v, want %v %v", tc.name, off, ids, tc.off, tc.items)
		}
	}
	if items, _ := OffPlan(waits(jingle, 5, now), pl); !items[1].Planned.Equal(bulletin.Start()) || items[1].Title != "Bản tin bulletin" {
		t.Errorf("the plan's next item: %+v", items[1])
	}
	if _, off := OffPlan(waits(jingle, 1, now), playlist.Playlist{}); !off {
		t.Error("waiting for a day the server has no plan for is not off the plan")
	}
}
