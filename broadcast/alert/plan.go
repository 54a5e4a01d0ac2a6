package alert

import (
	"errors"
	"time"

	"loa/playlist"
	"loa/playlist/library"
)

// planSettle is how long after a new playlist version was built an online
// agent's status may still name what it waited for before: the hub sends
// the version at once and the agent plans again as it stores it.
const planSettle = time.Minute

// A Wait is what an agent says it waits for: a scheduled item, its
// planned instant and the playlist (day and version) it comes from.
type Wait struct {
	ItemID   string
	Title    string
	Planned  time.Time
	Day      library.Date
	Version  uint64
	StatusAt time.Time // when the server received the status
}

// OffPlan compares what an agent waits for with the server's latest plan
// of that day (pl). Once the agent holds pl's version, or had time to
// receive it (planSettle after it was built), it is off its plan when pl
// no longer has the item, or when pl has an item that starts after the
// status and before the awaited one: the agent would skip it. It returns
// the awaited item and, for a skip, the plan's next item.
func OffPlan(w Wait, pl playlist.Playlist) ([]Item, bool) {
	if w.Version != pl.Version && w.StatusAt.Sub(pl.BuiltAt) < planSettle {
		return nil, false // the new version may not have reached the agent yet
	}
	waited := Item{ItemID: w.ItemID, Title: w.Title, Planned: w.Planned.UTC()}
	found := false
	var next *playlist.Item
	for i := range pl.Items {
		it := &pl.Items[i]
		if it.ID == w.ItemID {
			found = true
		}
		if next == nil && it.StartMs >= w.StatusAt.UnixMilli() {
			next = it
		}
	}
	switch {
	case !found:
		return []Item{waited}, true
	case next != nil && next.StartMs < w.Planned.UnixMilli():
		return []Item{waited, {ItemID: next.ID, Title: next.Title, Planned: next.Start(), DurationMs: next.DurationMs}}, true
	}
	return nil, false
}

// offPlan is the station's agent off its plan, as one alert.
func (c *Checker) offPlan(s stationState) (Alert, bool) {
	w, ok := waitOf(s)
	if !ok || !s.online || c.src.Plans == nil {
		return Alert{}, false
	}
	pl, err := c.src.Plans.Playlist(s.st.ID, w.Day)
	if err != nil && !errors.Is(err, playlist.ErrNotFound) {
		return Alert{}, false // unreadable: the planner logs it
	}
	items, off := OffPlan(w, pl)
	if !off {
		return Alert{}, false
	}
	return Alert{Kind: KindOffPlan, Station: s.st.ID, StationName: s.st.Name, Since: w.StatusAt, Items: items}, true
}

// waitOf reads what the station's last status says it waits for.
func waitOf(s stationState) (Wait, bool) {
	w := s.p.Waiting
	if w == nil {
		return Wait{}, false
	}
	return Wait{ItemID: w.ItemID, Title: w.Title, Planned: w.PlannedAt, Day: library.Date(w.Day), Version: w.PlaylistVersion, StatusAt: s.p.StatusAt}, true
}
