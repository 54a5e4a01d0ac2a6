package hub

// Stats is a snapshot of the hub's counters, read at scrape time by the
// metrics endpoint (web/metrics.go). Reading it takes the hub's lock once
// and touches no connection's state beyond its queue length.
type Stats struct {
	Connections   int // live agent connections
	QueuedFrames  int // frames waiting in every connection's send queue
	MaxQueueDepth int // the longest single send queue
	QueueCapacity int // frames a connection may queue before it is dropped
}

// Stats returns the hub's counters now.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := Stats{Connections: len(h.conns), QueueCapacity: h.cfg.SendQueue}
	for _, c := range h.conns {
		n := len(c.out)
		s.QueuedFrames += n
		s.MaxQueueDepth = max(s.MaxQueueDepth, n)
	}
	return s
}
