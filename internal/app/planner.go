package app

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/ward"
	"loa/playlist"
	"loa/stations"
)

// openPlanner makes the playlist planner on the stores: stations from the
// registry (enabled ones, in their own zones), segments from the library,
// what aired from the ledger; every station that got a new playlist
// version is published to the hub. A station edited in the registry
// (groups, zone) is rebuilt at once. App.Run runs it.
func (a *App) openPlanner() {
	h := &ledgerHistory{led: a.Ledger, now: time.Now}
	list := a.Config.PlannerStations
	if list == nil {
		list = a.plannerStations
	}
	src := playlist.Sources{Stations: list, Segments: a.Library.Approved, History: h}
	cfg := playlist.DefaultPlannerConfig(ward.Zone())
	if a.Config.Freeze > 0 {
		cfg.Build.Freeze = a.Config.Freeze
	}
	notify := func(ids []string) {
		for _, id := range ids {
			a.published.Add(1)
			a.Hub.Publish(id)
		}
	}
	p := playlist.NewPlanner(a.Playlists, src, cfg, notify, a.Log)
	a.Stations.OnChange(func(c stations.Change) {
		if c.Kind == stations.Updated {
			p.Changed(c.StationID)
		}
	})
	a.Planner, a.History = p, h
}

// plannerStations lists the enabled stations as the planner sees them. A
// station whose zone does not load is logged and left out.
func (a *App) plannerStations() ([]playlist.Station, error) {
	all, err := a.Stations.Stations()
	if err != nil {
		return nil, err
	}
	out := make([]playlist.Station, 0, len(all))
	for _, s := range all {
		if !s.Enabled {
			continue
		}
		zone, err := ward.Location(s.Zone)
		if err != nil {
			a.Log.Error("station zone", "station", s.ID, "zone", s.Zone, "err", err)
			continue
		}
		out = append(out, playlist.Station{ID: s.ID, Groups: s.Groups, Zone: zone})
	}
	return out, nil
}

// ledgerHistory answers the planner's "what aired" from the ledger. A build
// asks the same two windows for every station, so each window is scanned
// once and kept for a minute.
type ledgerHistory struct {
	led *ledger.Store
	now func() time.Time

	mu    sync.Mutex
	cache map[[2]int64]airedWindow
}

type airedWindow struct {
	at        time.Time
	byStation map[string]map[uint64]playlist.AiredStat
}

const historyTTL = time.Minute

// Aired implements playlist.History. A play counts when it completed, or
// when an emergency interrupted it after half its length.
func (h *ledgerHistory) Aired(station string, from, to time.Time) (map[uint64]playlist.AiredStat, error) {
	key := [2]int64{from.UnixMilli(), to.UnixMilli()}
	h.mu.Lock()
	defer h.mu.Unlock()
	if w, ok := h.cache[key]; ok && h.now().Sub(w.at) < historyTTL {
		return w.byStation[station], nil
	}
	w := airedWindow{at: h.now(), byStation: map[string]map[uint64]playlist.AiredStat{}}
	err := h.led.Between(from, to, func(e ledger.Event) error {
		id, err := strconv.ParseUint(e.SegmentID, 10, 64)
		if err != nil || e.CommandID != "" || !aired(e) {
			return nil // emergencies and jingle-less relays are not rotated
		}
		m := w.byStation[e.StationID]
		if m == nil {
			m = map[uint64]playlist.AiredStat{}
			w.byStation[e.StationID] = m
		}
		a := m[id]
		a.Count++
		if e.Started.After(a.Last) {
			a.Last = e.Started
		}
		m[id] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("aired from the ledger: %w", err)
	}
	if h.cache == nil || len(h.cache) > 16 {
		h.cache = map[[2]int64]airedWindow{}
	}
	h.cache[key] = w
	return w.byStation[station], nil
}

func aired(e ledger.Event) bool {
	switch e.Outcome {
	case protocol.OutcomeCompleted:
		return true
	case protocol.OutcomeInterrupted:
		return e.Played*2 >= e.Duration
	}
	return false
}
