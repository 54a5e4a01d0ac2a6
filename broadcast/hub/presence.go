package hub

import (
	"maps"
	"slices"
	"time"

	"loa/broadcast/protocol"
	"loa/stations"
)

func (h *Hub) presenceOf(id string) *stations.Presence {
	p := h.presence[id]
	if p == nil {
		p = &stations.Presence{StationID: id}
		h.presence[id] = p
	}
	h.dirty[id] = true
	return p
}

func (h *Hub) connected(c *conn, agent, addr string, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.presenceOf(c.stationID)
	p.ConnectedAt, p.LastSeen, p.AgentVersion, p.Address = now.UTC(), now.UTC(), agent, addr
}

// disconnected records when the agent was last heard from; it stays online
// for the grace period.
func (h *Hub) disconnected(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ms := c.lastSeen.Load(); ms > 0 {
		h.presenceOf(c.stationID).LastSeen = time.UnixMilli(ms).UTC()
	}
}

func (h *Hub) status(id string, s *protocol.Status, recv time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.presenceOf(id)
	p.StatusAt, p.LastSeen = recv.UTC(), recv.UTC()
	p.ClockOffsetMs, p.PlaylistDays, p.AudioDays = s.ClockOffsetMs, s.PlaylistDays, s.AudioDays
	p.OutputDB, p.Volume, p.FreeDiskBytes = s.OutputDB, s.Volume, s.FreeDiskBytes
	p.Faults = slices.Clone(s.Faults)
	p.NowPlaying, p.Waiting = nil, nil
	if np := s.NowPlaying; np != nil {
		p.NowPlaying = &stations.NowPlaying{ItemID: np.ItemID, Title: np.Title, StartedAt: instant(np.StartedMs), PlannedAt: instant(np.PlannedMs),
			Day: np.Day, PlaylistVersion: np.PlaylistVersion, PlaylistHash: np.PlaylistHash, CommandID: np.CommandID}
	}
	if w := s.Waiting; w != nil {
		p.Waiting = &stations.Waiting{ItemID: w.ItemID, Title: w.Title, PlannedAt: instant(w.PlannedMs),
			Day: w.Day, PlaylistVersion: w.PlaylistVersion, PlaylistHash: w.PlaylistHash}
	}
}

// instant is a protocol's Unix milliseconds; 0 (not sent) is the zero time.
func instant(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// Presence returns the freshest known presence of a station, live or as
// last stored.
func (h *Hub) Presence(id string) stations.Presence {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := stations.Presence{StationID: id}
	if known := h.presence[id]; known != nil {
		p = *known
	}
	if c := h.conns[id]; c != nil {
		if ms := c.lastSeen.Load(); ms > p.LastSeen.UnixMilli() {
			p.LastSeen = time.UnixMilli(ms).UTC()
		}
	}
	return p
}

// Online reports whether a station was heard from within the grace period.
func (h *Hub) Online(id string) bool {
	return h.Presence(id).Online(h.cfg.Now(), h.cfg.Grace)
}

// flushPresence writes every changed presence, and the last-seen time of
// every live connection, in one transaction.
func (h *Hub) flushPresence() {
	h.mu.Lock()
	for id, c := range h.conns {
		if ms := c.lastSeen.Load(); ms > 0 {
			h.presenceOf(id).LastSeen = time.UnixMilli(ms).UTC()
		}
	}
	batch := make([]stations.Presence, 0, len(h.dirty))
	for _, id := range slices.Sorted(maps.Keys(h.dirty)) {
		batch = append(batch, *h.presence[id])
	}
	clear(h.dirty)
	h.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	if err := h.stations.PutPresence(batch...); err != nil {
		h.log.Error("flush presence", "err", err, "stations", len(batch))
	}
}
