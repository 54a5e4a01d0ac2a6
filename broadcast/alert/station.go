package alert

import (
	"slices"
	"time"

	"loa/broadcast/ledger"
	"loa/internal/ward"
	"loa/playlist/library"
	"loa/stations"
)

// stationState is what the checks know of one enabled station at now.
type stationState struct {
	st      stations.Station
	p       stations.Presence
	zone    *time.Location // the station's days
	online  bool           // connected, or heard from within the grace
	offline bool           // not online for OfflineAfter (or never, since set up)
}

// stationAlerts checks every enabled station: offline too long, silent
// output, today's playlist not delivered, items missed today, items
// overdue, an agent off its plan, commands that do not play.
func (c *Checker) stationAlerts(now time.Time) ([]Alert, error) {
	if c.src.Stations == nil || c.src.Hub == nil {
		return nil, nil
	}
	states, err := c.states(now)
	if err != nil {
		return nil, err
	}
	out := c.boundAlerts(now)
	missed, err := c.missedToday(now)
	if err != nil {
		return nil, err
	}
	overdue, err := c.overdue(now, states)
	if err != nil {
		return nil, err
	}
	for _, s := range states {
		out = c.presenceAlerts(now, s, out)
		if n := missed[s.st.ID]; n > 0 {
			out = append(out, Alert{Kind: KindMissedItems, Station: s.st.ID, StationName: s.st.Name, Count: n})
		}
		if a, ok := overdueAlert(s, overdue[s.st.ID]); ok {
			out = append(out, a)
		}
		if a, ok := c.offPlan(s); ok {
			out = append(out, a)
		}
		if a, ok := c.notPlaying(now, s); ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// states reads every enabled station with its presence.
func (c *Checker) states(now time.Time) ([]stationState, error) {
	all, err := c.src.Stations.Stations()
	if err != nil {
		return nil, err
	}
	out := make([]stationState, 0, len(all))
	zones := map[string]*time.Location{} // loading a zone reads a file: once per name
	for _, st := range all {
		if !st.Enabled {
			continue
		}
		if _, ok := zones[st.Zone]; !ok {
			zones[st.Zone] = stationZone(st)
		}
		s := stationState{st: st, p: c.src.Hub.Presence(st.ID), zone: zones[st.Zone]}
		s.online = c.src.Hub.Connected(st.ID) || s.p.Online(now, c.cfg.Grace)
		heard := s.p.LastSeen // a station never heard from counts from when it was set up
		if heard.IsZero() {
			heard = st.CreatedAt
		}
		s.offline = !s.online && !heard.IsZero() && now.Sub(heard) >= c.cfg.OfflineAfter
		out = append(out, s)
	}
	return out, nil
}

// presenceAlerts appends what the station's presence says: offline,
// silent output, latest playlist not delivered.
func (c *Checker) presenceAlerts(now time.Time, s stationState, out []Alert) []Alert {
	base := Alert{Station: s.st.ID, StationName: s.st.Name}
	if s.offline {
		a := base
		a.Kind, a.Since, a.Never = KindStationOffline, s.p.LastSeen, s.p.LastSeen.IsZero()
		if a.Never {
			a.Since = s.st.CreatedAt
		}
		out = append(out, a)
	}
	if s.online && slices.Contains(s.p.Faults, "output_silent") {
		a := base
		a.Kind, a.Since = KindOutputSilent, s.p.StatusAt
		out = append(out, a)
	}
	if !s.offline {
		if built, ok := c.undelivered(s, now); ok {
			a := base
			a.Kind, a.Since = KindPlaylistPending, built
			out = append(out, a)
		}
	}
	return out
}

// undelivered reports whether the station's latest playlist for its today
// was built more than deliverWithin ago and the station has not been
// connected since: the hub sends a new version to a live connection at
// once, so one built after the station was last heard from has not reached
// it. It returns when that version was built.
func (c *Checker) undelivered(s stationState, now time.Time) (time.Time, bool) {
	if c.src.Plans == nil || c.src.Hub.Connected(s.st.ID) || now.Sub(s.p.LastSeen) < deliverWithin {
		return time.Time{}, false // heard from since any version older than deliverWithin
	}
	pl, err := c.src.Plans.Playlist(s.st.ID, library.DateOf(now, s.zone))
	if err != nil {
		return time.Time{}, false // none built for today (or unreadable: the planner logs it)
	}
	if now.Sub(pl.BuiltAt) < deliverWithin || s.p.LastSeen.After(pl.BuiltAt) {
		return time.Time{}, false
	}
	return pl.BuiltAt, true
}

// stationZone is the station's zone, the ward's when it names none known.
func stationZone(st stations.Station) *time.Location {
	if loc, err := ward.Location(st.Zone); err == nil && st.Zone != "" {
		return loc
	}
	return ward.Zone()
}

// missedToday counts each station's items missed or failed on the ward's
// current day, from the ledger's rollups.
func (c *Checker) missedToday(now time.Time) (map[string]int, error) {
	if c.src.Ledger == nil {
		return nil, nil
	}
	counts, err := TodayCounts(c.src.Ledger, now)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for st, n := range counts {
		out[st] = n[ledger.StatusMissed] + n[ledger.StatusFailed]
	}
	return out, nil
}

// TodayCounts sums the ledger's rollups of now's day (in the zone the
// rollups are cut in), by station and status.
func TodayCounts(led *ledger.Store, now time.Time) (map[string][ledger.NumStatuses]int, error) {
	day := ward.DayOf(now, led.Zone())
	out := map[string][ledger.NumStatuses]int{}
	err := led.Rollups(day, day, func(c *ledger.Cell) error {
		t := out[c.Station]
		for i, n := range c.Count {
			t[i] += n
		}
		out[c.Station] = t
		return nil
	})
	return out, err
}

// boundAlerts are the stations that reached today's bound of aired events.
func (c *Checker) boundAlerts(now time.Time) []Alert {
	var out []Alert
	for _, id := range c.src.Hub.AiredBoundReached(now) {
		a := Alert{Kind: KindAiredBound, Station: id}
		if st, err := c.src.Stations.Station(id); err == nil {
			a.StationName = st.Name
		}
		out = append(out, a)
	}
	return out
}
