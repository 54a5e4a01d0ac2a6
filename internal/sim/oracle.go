package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist"
	"loa/playlist/library"
)

// Bounds the oracle holds the ward to.
const (
	// startTolerance: an item may sound this much before or (on a healthy
	// station) after its instant. The agent's late tolerance is 1 s.
	startTolerance = time.Second
	// reportGrace: an item's event is due this long after its end.
	reportGrace = 2 * time.Minute
	// settle: a station must have been healthy this long before its
	// reports are due (it reconnects and sends its journal).
	settle = 5 * time.Minute
	// emergencyBound: an emergency sounds on every healthy target within
	// this of the operator's command.
	emergencyBound = time.Second
	// window: each step checks the items planned in the last window; the
	// final check covers the whole run.
	window = 6 * time.Hour
)

// span is a stretch of time a station was not healthy (agent stopped,
// link cut, clock wrong); to is zero while it lasts.
type span struct {
	from, to time.Time
	why      string
}

// emergency is one emergency the operator sent.
type emergency struct {
	id      string
	item    string // the played item's id ("seg-N")
	at      time.Time
	targets []string
	stopAt  time.Time // when the operator stopped it (zero: not stopped)
	checked bool
}

// oracle knows what should have happened and compares it with what the
// server recorded and the speakers gave out.
type oracle struct {
	w           *ward
	sick        map[string][]span
	emergencies []*emergency
	heard       map[string]int // station → speaker records already checked
	planned     int
	aired       int
	plans       map[stationDay]*playlist.Playlist // read during one check
	clockSet    map[string][]time.Time            // station → when its wall clock was set wrong or right
}

// clockGrace: after its wall clock is set, an agent may act on the old
// time until the next clock sample (a ping, every 80 s here) and the next
// look at its clock (every 15 s). An item sounding early within it is the
// step, not a fault.
const clockGrace = 2 * time.Minute

// clockJustSet reports whether station's clock was set within clockGrace
// before t.
func (o *oracle) clockJustSet(station string, t time.Time) bool {
	for _, at := range o.clockSet[station] {
		if !at.After(t) && t.Sub(at) <= clockGrace {
			return true
		}
	}
	return false
}

type stationDay struct {
	station string
	date    library.Date
}

// latest returns the latest version of a station's day (nil: none), read
// once per check.
func (o *oracle) latest(station string, date library.Date) (*playlist.Playlist, error) {
	k := stationDay{station, date}
	if pl, ok := o.plans[k]; ok {
		return pl, nil
	}
	pl, err := o.w.srv.Playlists.Playlist(station, date)
	if err == playlist.ErrNotFound {
		o.plans[k] = nil
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the playlist of %s on %s: %w", station, date, err)
	}
	o.plans[k] = &pl
	return &pl, nil
}

func newOracle(w *ward) *oracle {
	return &oracle{w: w, sick: map[string][]span{}, heard: map[string]int{}, clockSet: map[string][]time.Time{}}
}

// disturb marks a station unhealthy from at, for why.
func (o *oracle) disturb(station, why string, at time.Time) {
	o.sick[station] = append(o.sick[station], span{from: at, why: why})
}

// heal ends the station's open disturbance why.
func (o *oracle) heal(station, why string, at time.Time) {
	for i := range o.sick[station] {
		if sp := &o.sick[station][i]; sp.why == why && sp.to.IsZero() {
			sp.to = at
		}
	}
}

// healthy reports whether station was undisturbed throughout [from, to].
func (o *oracle) healthy(station string, from, to time.Time) bool {
	for _, sp := range o.sick[station] {
		if sp.from.Before(to) && (sp.to.IsZero() || sp.to.After(from)) {
			return false
		}
	}
	return true
}

// eventKey identifies a scheduled item's event: station, item, instant.
type eventKey struct {
	station, item string
	planned       int64
}

// check returns every broken invariant at now; final checks the whole run
// and every station, healthy or not.
func (o *oracle) check(now time.Time, final bool) []string {
	o.plans = map[stationDay]*playlist.Playlist{}
	from := now.Add(-window)
	if final {
		from = o.w.cfg.Start.Add(-24 * time.Hour)
	}
	events, emerg, err := o.events(from.Add(-time.Hour), now)
	if err != nil {
		return []string{err.Error()}
	}
	var bad []string
	bad = append(bad, o.checkPlan(from, now, events, final)...)
	bad = append(bad, o.checkSpeakers(now)...)
	bad = append(bad, o.checkEmergencies(now, emerg)...)
	bad = append(bad, o.checkAlerts(now)...)
	return bad
}

// events reads the ledger: the scheduled items' events by key, and the
// emergencies' first start per command and station.
func (o *oracle) events(from, to time.Time) (map[eventKey][]ledger.Event, map[[2]string]time.Time, error) {
	byKey := map[eventKey][]ledger.Event{}
	emerg := map[[2]string]time.Time{}
	err := o.w.srv.Ledger.Between(from, to, func(e ledger.Event) error {
		if e.CommandID != "" {
			k := [2]string{e.CommandID, e.StationID}
			if t, ok := emerg[k]; !e.Started.IsZero() && (!ok || e.Started.Before(t)) {
				emerg[k] = e.Started
			}
			return nil
		}
		k := eventKey{e.StationID, e.ItemID, e.Planned.UnixMilli()}
		byKey[k] = append(byKey[k], e)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read the ledger: %w", err)
	}
	return byKey, emerg, nil
}

// checkPlan: every planned item (of every day's latest playlist) whose end
// plus the grace has passed has exactly one event with an outcome, and a
// reason when it did not complete; on the final check no event is for an
// item the station was never told to play.
func (o *oracle) checkPlan(from, now time.Time, events map[eventKey][]ledger.Event, final bool) []string {
	var bad []string
	zone := wardLoc
	seen := map[eventKey]bool{}
	planned := 0
	for _, s := range o.w.stations {
		for d := from.In(zone).AddDate(0, 0, -1); !d.After(now); d = d.AddDate(0, 0, 1) {
			date := library.DateOf(d, zone)
			pl, err := o.latest(s.id, date)
			if err != nil {
				return append(bad, err.Error())
			}
			if pl == nil {
				continue
			}
			for _, it := range pl.Items {
				start := time.UnixMilli(it.StartMs)
				due := start.Add(time.Duration(it.DurationMs)*time.Millisecond + reportGrace)
				if start.Before(from) || due.After(now) {
					continue
				}
				if !final && !o.healthy(s.id, start.Add(-settle), now) {
					continue
				}
				planned++
				k := eventKey{s.id, it.ID, it.StartMs}
				seen[k] = true
				evs := events[k]
				switch {
				case len(evs) == 0:
					bad = append(bad, fmt.Sprintf("%s: item %s %q planned at %s has no aired event (%s)",
						s.id, it.ID, it.Title, local(start), o.sickWhy(s.id, start)))
				case len(evs) > 1:
					bad = append(bad, fmt.Sprintf("%s: item %s planned at %s has %d aired events", s.id, it.ID, local(start), len(evs)))
				case evs[0].Outcome == "":
					bad = append(bad, fmt.Sprintf("%s: item %s planned at %s: event without an outcome", s.id, it.ID, local(start)))
				case evs[0].Outcome != "completed" && evs[0].Reason == "":
					bad = append(bad, fmt.Sprintf("%s: item %s planned at %s: %s without a reason", s.id, it.ID, local(start), evs[0].Outcome))
				}
			}
		}
	}
	if final {
		o.planned = planned
		o.aired = 0
		for k, evs := range events {
			o.aired += len(evs)
			if !seen[k] && !k.emergencyLike() && time.UnixMilli(k.planned).After(from) && !o.everPlanned(k) {
				bad = append(bad, fmt.Sprintf("%s: aired event for item %s at %s, which no version of its playlist holds",
					k.station, k.item, local(time.UnixMilli(k.planned))))
			}
		}
	}
	return bad
}

func (k eventKey) emergencyLike() bool { return strings.HasPrefix(k.item, "seg-") }

// everPlanned reports whether some version of the day's playlist held k.
func (o *oracle) everPlanned(k eventKey) bool {
	date := library.DateOf(time.UnixMilli(k.planned), wardLoc)
	vs, err := o.w.srv.Playlists.Versions(k.station, date)
	if err != nil {
		return false
	}
	for _, v := range vs {
		pl, err := o.w.srv.Playlists.PlaylistVersion(k.station, date, v.Version)
		if err != nil {
			continue
		}
		for _, it := range pl.Items {
			if it.ID == k.item && it.StartMs == k.planned {
				return true
			}
		}
	}
	return false
}

// checkSpeakers: nothing a speaker gave out started before its instant
// minus the tolerance, nor, on a healthy station, later than the tolerance
// after it.
func (o *oracle) checkSpeakers(now time.Time) []string {
	var bad []string
	for _, s := range o.w.stations {
		recs, next := s.spk.since(o.heard[s.id])
		o.heard[s.id] = next
		for _, r := range recs {
			planned, ok := plannedOf(r.Name)
			if !ok {
				continue // an emergency: checked against its command
			}
			switch {
			case r.First.Before(planned.Add(-startTolerance)) && !o.clockJustSet(s.id, r.First):
				bad = append(bad, fmt.Sprintf("%s: item %s sounded at %s, %v before its instant %s (%s)",
					s.id, r.Name, localMs(r.First), planned.Sub(r.First), localMs(planned), o.sickWhy(s.id, r.First)))
			case r.First.After(planned.Add(startTolerance)) && o.healthy(s.id, planned.Add(-settle), r.First):
				bad = append(bad, fmt.Sprintf("%s: item %s sounded at %s, %v after its instant %s on a healthy station",
					s.id, r.Name, localMs(r.First), r.First.Sub(planned), localMs(planned)))
			}
		}
	}
	return bad
}

// plannedOf reads the planned instant from an item id, "<start ms>-<segment>".
func plannedOf(name string) (time.Time, bool) {
	ms, _, ok := strings.Cut(name, "-")
	if !ok {
		return time.Time{}, false
	}
	v, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(v), true
}

// checkEmergencies: every emergency sounded, within the bound, on every
// target that was healthy from the command until the bound passed.
func (o *oracle) checkEmergencies(now time.Time, started map[[2]string]time.Time) []string {
	var bad []string
	for _, e := range o.emergencies {
		if e.checked || now.Before(e.at.Add(reportGrace)) {
			continue
		}
		e.checked = true
		for _, id := range e.targets {
			if !o.healthy(id, e.at.Add(-settle), e.at.Add(emergencyBound)) {
				continue
			}
			first := o.w.byID[id].spk.firstOf(e.item, e.at)
			if !e.stopAt.IsZero() && e.stopAt.Before(e.at.Add(emergencyBound)) && (first.IsZero() || first.After(e.stopAt)) {
				continue // stopped within the bound before it sounded: nothing to hold it to
			}
			state := o.commandState(id, e.id)
			switch {
			case first.IsZero() || first.Sub(e.at) > time.Minute:
				bad = append(bad, fmt.Sprintf("%s: emergency %s sent at %s did not sound (ledger start %s, command %s)",
					id, e.id, localMs(e.at), localMs(started[[2]string{e.id, id}]), state))
			case first.Sub(e.at) > emergencyBound:
				bad = append(bad, fmt.Sprintf("%s: emergency %s sent at %s sounded %v later, bound %v (command %s)",
					id, e.id, localMs(e.at), first.Sub(e.at), emergencyBound, state))
			case !strings.HasPrefix(state, "playing") && !strings.HasPrefix(state, "done"):
				bad = append(bad, fmt.Sprintf("%s: emergency %s sounded at %s but its command stays %s", id, e.id, localMs(first), state))
			}
		}
	}
	return bad
}

// sickWhy names the disturbances around t, for a failure's message.
func (o *oracle) sickWhy(station string, t time.Time) string {
	var why []string
	for _, sp := range o.sick[station] {
		if sp.from.Before(t.Add(time.Hour)) && (sp.to.IsZero() || sp.to.After(t.Add(-time.Hour))) {
			why = append(why, fmt.Sprintf("%s %s–%s", sp.why, local(sp.from), local(sp.to)))
		}
	}
	if len(why) == 0 {
		return "station healthy"
	}
	return strings.Join(why, ", ")
}

func local(t time.Time) string {
	if t.IsZero() {
		return "…"
	}
	return t.In(wardLoc).Format("02/01 15:04:05")
}

func localMs(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.In(wardLoc).Format("02/01 15:04:05.000")
}

var wardLoc = func() *time.Location {
	l, err := time.LoadLocation(wardZone)
	if err != nil {
		panic(err)
	}
	return l
}()

// commandState is a command's delivery state for a station, as the
// emergency page shows it.
func (o *oracle) commandState(station, id string) string {
	for _, c := range o.w.srv.Hub.Commands(station) {
		if c.ID == id {
			if c.Error != "" {
				return c.State + " (" + c.Error + ")"
			}
			return c.State
		}
	}
	return "unknown"
}
