package alert

import (
	"time"

	"loa/broadcast/ledger"
	"loa/playlist"
	"loa/playlist/library"
)

// Overdue items: the server holds every station's plan and its aired
// events and compares them. A planned item whose instant plus its duration
// plus the grace has passed with no aired event (of any outcome) from its
// station, and that the station does not say is on air, is overdue.

// Overdue returns the items of plan (one station's, in start order) that
// are overdue at now: ended (start plus duration) more than grace ago,
// with no aired event (aired reports whether the station reported an item
// id) and not the item on air (playing, "" for none).
func Overdue(now time.Time, grace time.Duration, plan []playlist.PlannedItem, aired func(itemID string) bool, playing string) []Item {
	var out []Item
	limit := now.Add(-grace).UnixMilli()
	for i := range plan {
		it := &plan[i]
		if it.StartMs+it.DurationMs > limit || it.ID == playing || aired(it.ID) {
			continue
		}
		out = append(out, Item{ItemID: it.ID, Title: it.Title, Planned: time.UnixMilli(it.StartMs).UTC(), DurationMs: it.DurationMs})
	}
	return out
}

// stationItem names one item of one station.
type stationItem struct{ station, item string }

// overdue finds the overdue items of every station of states heard from
// at least once, planned within OverdueWindow before now. It reads the
// plan summaries of the days around the window and the ledger's events
// planned in it.
func (c *Checker) overdue(now time.Time, states []stationState) (map[string][]Item, error) {
	if c.src.Plans == nil || c.src.Ledger == nil {
		return nil, nil
	}
	var ids []string
	playing := map[string]string{}
	for _, s := range states {
		if s.p.LastSeen.IsZero() {
			continue // never connected: its own alert says so
		}
		ids = append(ids, s.st.ID)
		if np := s.p.NowPlaying; np != nil && s.online {
			playing[s.st.ID] = np.ItemID
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	plans, first, err := c.duePlans(now, ids)
	if err != nil || len(plans) == 0 {
		return nil, err
	}
	aired := map[stationItem]bool{}
	err = c.src.Ledger.Between(first, now.Add(time.Millisecond), func(e ledger.Event) error {
		aired[stationItem{e.StationID, e.ItemID}] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string][]Item{}
	for id, plan := range plans {
		has := func(item string) bool { return aired[stationItem{id, item}] }
		if items := Overdue(now, c.cfg.OverdueGrace, plan, has, playing[id]); len(items) > 0 {
			out[id] = items
		}
	}
	return out, nil
}

// duePlans returns, by station, the planned items that started within the
// window and ended more than the grace before now, and the earliest start
// among them. Zones run from UTC-12 to UTC+14: the UTC dates 14 hours
// either side hold every station's local days.
func (c *Checker) duePlans(now time.Time, ids []string) (map[string][]playlist.PlannedItem, time.Time, error) {
	lo, hi := now.Add(-c.cfg.OverdueWindow).UnixMilli(), now.Add(-c.cfg.OverdueGrace).UnixMilli()
	from := library.DateOf(now.Add(-c.cfg.OverdueWindow-14*time.Hour), time.UTC)
	to := library.DateOf(now.Add(14*time.Hour), time.UTC)
	plans := map[string][]playlist.PlannedItem{}
	first := hi
	err := c.src.Plans.PlannedBetween(from, to, ids, func(d *playlist.PlannedDay) error {
		for _, it := range d.Items {
			if it.StartMs >= lo && it.StartMs+it.DurationMs <= hi {
				plans[d.Station] = append(plans[d.Station], it)
				first = min(first, it.StartMs)
			}
		}
		return nil
	})
	return plans, time.UnixMilli(first), err
}

// overdueAlert is the station's overdue items as one alert: critical when
// the station is online (a connected agent that stays silent is a fault),
// a warning when it is not (it may have played them and report later).
func overdueAlert(s stationState, items []Item) (Alert, bool) {
	if len(items) == 0 {
		return Alert{}, false
	}
	a := Alert{Kind: KindOverdue, Station: s.st.ID, StationName: s.st.Name, Count: len(items), Since: items[0].Planned,
		Items: items[:min(len(items), MaxItems)]}
	if !s.online {
		a.Kind = KindOverdueOffline
	}
	return a, true
}
