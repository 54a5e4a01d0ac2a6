package alert

import (
	"errors"
	"slices"
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
// status and before the awaited one: the agent would skip it. earlier
// are the plans of the days from the status's to the awaited item's (an
// agent waiting for tomorrow's first item must not skip one left today).
// It returns the awaited item and, for a skip, the plan's next item.
func OffPlan(w Wait, pl playlist.Playlist, earlier ...playlist.Playlist) ([]Item, bool) {
	if w.Version != pl.Version && w.StatusAt.Sub(pl.BuiltAt) < planSettle {
		return nil, false // the new version may not have reached the agent yet
	}
	waited := Item{ItemID: w.ItemID, Title: w.Title, Planned: w.Planned.UTC()}
	if !slices.ContainsFunc(pl.Items, func(it playlist.Item) bool { return it.ID == w.ItemID }) {
		return []Item{waited}, true
	}
	for i, day := range append(earlier, pl) {
		if i < len(earlier) && w.StatusAt.Sub(day.BuiltAt) < planSettle {
			continue // another day's new version may not have reached the agent yet
		}
		for _, it := range day.Items {
			if it.StartMs >= w.StatusAt.UnixMilli() && it.StartMs < w.Planned.UnixMilli() {
				return []Item{waited, {ItemID: it.ID, Title: it.Title, Planned: it.Start(), DurationMs: it.DurationMs}}, true
			}
		}
	}
	return nil, false
}

// Playing is the scheduled item an agent says it plays, with the
// playlist (day and version) it came from.
type Playing struct {
	ItemID  string
	Title   string
	Planned time.Time
	Started time.Time
	Day     library.Date
	Version uint64
}

// PlayingOffPlan reports whether the scheduled item an agent plays is
// missing from the server's plan of its day (pl) although the agent
// started it from pl's version, or after it had time to receive pl
// (planSettle after pl was built). An item the plan dropped while it was
// already on air plays to its end, as the player does, and is no fault.
func PlayingOffPlan(p Playing, pl playlist.Playlist) (Item, bool) {
	if slices.ContainsFunc(pl.Items, func(it playlist.Item) bool { return it.ID == p.ItemID }) {
		return Item{}, false
	}
	if p.Version != pl.Version && p.Started.Sub(pl.BuiltAt) < planSettle {
		return Item{}, false
	}
	return Item{ItemID: p.ItemID, Title: p.Title, Planned: p.Planned.UTC()}, true
}

// offPlan is the station's agent off its plan, as one alert.
func (c *Checker) offPlan(s stationState) (Alert, bool) {
	if !s.online || c.src.Plans == nil {
		return Alert{}, false
	}
	if p, ok := playingOf(s); ok {
		return c.playingOffPlan(s, p)
	}
	w, ok := waitOf(s)
	if !ok {
		return Alert{}, false
	}
	pl, err := c.src.Plans.Playlist(s.st.ID, w.Day)
	if err != nil && !errors.Is(err, playlist.ErrNotFound) {
		return Alert{}, false // unreadable: the planner logs it
	}
	var earlier []playlist.Playlist
	if today := library.DateOf(w.StatusAt, s.zone); today < w.Day {
		if pl, err := c.src.Plans.Playlist(s.st.ID, today); err == nil {
			earlier = append(earlier, pl)
		}
	}
	items, off := OffPlan(w, pl, earlier...)
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

// playingOffPlan is the station's agent playing an item its plan lacks,
// as one alert.
func (c *Checker) playingOffPlan(s stationState, p Playing) (Alert, bool) {
	pl, err := c.src.Plans.Playlist(s.st.ID, p.Day)
	if err != nil && !errors.Is(err, playlist.ErrNotFound) {
		return Alert{}, false // unreadable: the planner logs it
	}
	item, off := PlayingOffPlan(p, pl)
	if !off {
		return Alert{}, false
	}
	return Alert{Kind: KindOffPlan, Station: s.st.ID, StationName: s.st.Name, Since: p.Started, Playing: true, Items: []Item{item}}, true
}

// playingOf reads the scheduled item the station's last status says it
// plays; an emergency, a live broadcast or an agent before protocol v2
// names no playlist.
func playingOf(s stationState) (Playing, bool) {
	n := s.p.NowPlaying
	if n == nil || n.Day == "" || n.CommandID != "" {
		return Playing{}, false
	}
	return Playing{ItemID: n.ItemID, Title: n.Title, Planned: n.PlannedAt, Started: n.StartedAt, Day: library.Date(n.Day),
		Version: n.PlaylistVersion}, true
}
