package hub

import (
	"slices"
	"strings"
	"sync"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/stations"
)

// ledgerEvents turns an agent's report into ledger events. The station and
// its groups come from the authenticated connection, never from the frame.
func ledgerEvents(st stations.Station, in []protocol.AiredEvent, recv time.Time) []ledger.Event {
	out := make([]ledger.Event, len(in))
	groups := slices.Clone(st.Groups)
	for i, e := range in {
		kind := e.Kind
		if kind == protocol.KindAudio {
			kind = "" // the ledger's audio
		}
		out[i] = ledger.Event{
			StationID: st.ID, ID: e.ID, ItemID: e.ItemID, SegmentID: e.SegmentID, CommandID: e.CommandID,
			Title: e.Title, Topic: e.Topic, Level: e.Level, Groups: groups,
			Duration: time.Duration(e.DurationMs) * time.Millisecond,
			Planned:  time.UnixMilli(e.PlannedMs).UTC(),
			Started:  msTime(e.StartedMs), Ended: msTime(e.EndedMs),
			Played:  time.Duration(e.PlayedMs) * time.Millisecond,
			Outcome: e.Outcome, Reason: e.Reason, Kind: kind, Received: recv.UTC(),
		}
	}
	return out
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// An aired event counts only if it names what the station was sent (issue
// 15: a station token could write unlimited invented airtime): an item of
// its playlists at that item's planned instant, a library item played in a
// relay's slot, or a command (emergency, live) kept for it; and only if its
// instants are plausible. Anything else is still stored, marked
// ledger.Unplanned, listed with the problems and counted nowhere.
const (
	// airedPast and airedAhead bound an event's planned instant around
	// when it arrives: a journal holds what was played while the link was
	// down (days, not months), and nothing is planned days ahead of now.
	airedPast  = 14 * 24 * time.Hour
	airedAhead = 2 * 24 * time.Hour
	// airedSkew is how far ahead of the server an agent's corrected clock
	// may be when it says something ended (its offset estimate lags a
	// clock set by NTP by minutes).
	airedSkew = time.Hour
	// DefaultMaxAiredPerDay bounds the events one station stores a day
	// (UTC): a station plays a few hundred items a day; more is a fault or
	// an attack, logged as an error, and the rest of the day's events are
	// acknowledged but not stored.
	DefaultMaxAiredPerDay = 5000
)

// sentPlan is what a station was sent, to check its aired events against.
type sentPlan struct {
	items    map[string]protocol.Item // by item id, latest versions
	commands map[string]bool
	checked  bool // false: no playlists to check items against
	// earlier says whether an earlier version had the item at that
	// instant (nil: none kept).
	earlier func(itemID string, plannedMs int64) bool
}

// sentHistory is what a Playlists may also offer: whether any version the
// station was sent had an item at an instant (a later version drops an
// item that aired when its slot moves or its segment is archived).
type sentHistory interface {
	ItemSent(stationID, itemID string, plannedMs int64) (bool, error)
}

// sentPlanFor gathers the station's commands and the playlists of the days
// the events were planned on.
func (h *Hub) sentPlanFor(stationID string, events []protocol.AiredEvent, recv time.Time) (sentPlan, error) {
	p := sentPlan{items: map[string]protocol.Item{}, commands: map[string]bool{}}
	h.cmdMu.Lock()
	if sc := h.commands[stationID]; sc != nil {
		for _, c := range sc.list {
			p.commands[c.state.ID] = true
		}
	}
	h.cmdMu.Unlock()
	if h.playlists == nil {
		return p, nil
	}
	p.checked = true
	hist, ok := h.playlists.(sentHistory)
	if ok {
		p.earlier = func(itemID string, plannedMs int64) bool {
			sent, err := hist.ItemSent(stationID, itemID, plannedMs)
			if err != nil {
				h.log.Error("playlist history", "station", stationID, "err", err)
				return true // never mark an event for the server's own failure
			}
			return sent
		}
		// The history answers for items; the playlists are read only
		// for a relay's fallback, which names the relay.
		if !slices.ContainsFunc(events, func(e protocol.AiredEvent) bool { return strings.Contains(e.ItemID, ":fallback-") }) {
			return p, nil
		}
	}
	from := recv
	for _, e := range events {
		if pl := time.UnixMilli(e.PlannedMs); e.CommandID == "" && pl.Before(from) && !pl.Before(recv.Add(-airedPast)) {
			from = pl
		}
	}
	h.fetchSem <- struct{}{}
	pls, err := h.playlists.PlaylistsFor(stationID, from)
	<-h.fetchSem
	if err != nil {
		return p, err
	}
	for _, pl := range pls {
		for _, it := range pl.Items {
			p.items[it.ID] = it
		}
	}
	return p, nil
}

// unplanned says why e does not count ("" when it does).
func (p sentPlan) unplanned(e protocol.AiredEvent, recv time.Time) string {
	if !plausibleTimes(e, recv) {
		return ledger.UnplannedTime
	}
	if e.CommandID != "" {
		if !p.commands[e.CommandID] {
			return ledger.UnplannedNotSent
		}
		return ""
	}
	if !p.checked {
		return ""
	}
	if it, ok := p.items[e.ItemID]; ok && it.StartMs == e.PlannedMs {
		return ""
	}
	if p.earlier != nil && p.earlier(e.ItemID, e.PlannedMs) {
		return ""
	}
	// A library item played in a failed relay's slot names the relay.
	if relayID, _, ok := strings.Cut(e.ItemID, ":fallback-"); ok {
		if r, ok := p.items[relayID]; ok && r.Kind == protocol.KindRelay &&
			e.PlannedMs >= r.StartMs && e.PlannedMs <= r.StartMs+r.DurationMs {
			return ""
		}
	}
	return ledger.UnplannedNotSent
}

// plausibleTimes bounds the instants of e around when it arrived.
func plausibleTimes(e protocol.AiredEvent, recv time.Time) bool {
	planned := time.UnixMilli(e.PlannedMs)
	if planned.Before(recv.Add(-airedPast)) || planned.After(recv.Add(airedAhead)) {
		return false
	}
	latest := recv.Add(airedSkew).UnixMilli()
	switch {
	case e.StartedMs != 0 && (e.StartedMs < e.PlannedMs-time.Hour.Milliseconds() || e.StartedMs > latest):
		return false
	case e.EndedMs != 0 && (e.EndedMs < e.StartedMs || e.EndedMs > latest):
		return false
	case e.EndedMs != 0 && e.PlayedMs > e.EndedMs-e.StartedMs+2000:
		return false
	}
	return true
}

// airedLimits counts the events each station stored today.
type airedLimits struct {
	mu     sync.Mutex
	day    string // UTC, YYYY-MM-DD
	counts map[string]int
}

// take returns how many of n events the station may still store today,
// and whether this call reached the bound.
func (l *airedLimits) take(stationID string, n int, now time.Time, limit int) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if day := now.UTC().Format(time.DateOnly); day != l.day || l.counts == nil {
		l.day, l.counts = day, map[string]int{}
	}
	had := l.counts[stationID]
	ok := min(n, max(0, limit-had))
	l.counts[stationID] = had + ok
	return ok, ok < n && had < limit
}

// full returns the stations that reached limit on now's (UTC) day.
func (l *airedLimits) full(now time.Time, limit int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	if now.UTC().Format(time.DateOnly) != l.day {
		return nil
	}
	for id, n := range l.counts {
		if n >= limit {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// AiredBoundReached returns the stations whose aired events reached today's
// bound (Config.MaxAiredPerDay): what they send is no longer stored, which
// a healthy agent never causes — a looping agent or a misused token does.
func (h *Hub) AiredBoundReached(now time.Time) []string {
	return h.aired.full(now, h.cfg.MaxAiredPerDay)
}

// checkAired turns a station's aired events into ledger events, within the
// station's daily bound and marked unplanned where they do not count.
func (h *Hub) checkAired(c *conn, in []protocol.AiredEvent, recv time.Time) ([]ledger.Event, error) {
	n, hit := h.aired.take(c.stationID, len(in), recv, h.cfg.MaxAiredPerDay)
	if hit {
		c.logger().Error("station reached its bound of aired events for the day; the rest are acknowledged, not stored",
			"bound", h.cfg.MaxAiredPerDay)
	}
	in = in[:n]
	plan, err := h.sentPlanFor(c.stationID, in, recv)
	if err != nil {
		return nil, err
	}
	out := ledgerEvents(c.snapshot(), in, recv)
	for i := range out {
		if out[i].Unplanned = plan.unplanned(in[i], recv); out[i].Unplanned != "" {
			c.logger().Warn("unplanned aired event", "id", in[i].ID, "item", in[i].ItemID, "reason", out[i].Unplanned)
		}
	}
	return out, nil
}
