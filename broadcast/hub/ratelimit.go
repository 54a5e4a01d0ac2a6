package hub

import "time"

// messageRate is a token bucket over the messages one station sends. It
// is kept per station, not per connection, so that reconnecting does not
// refill it (issue 15: a station reconnecting in a loop sent ~10× its rate).
type messageRate struct {
	tokens float64
	last   time.Time
}

// allow takes one token at now, refilled at rate per second up to burst.
func (m *messageRate) allow(now time.Time, rate float64, burst int) bool {
	if m.last.IsZero() {
		m.tokens = float64(burst)
	} else {
		m.tokens = min(float64(burst), m.tokens+now.Sub(m.last).Seconds()*rate)
	}
	m.last = now
	if m.tokens < 1 {
		return false
	}
	m.tokens--
	return true
}

// allowMessage takes a token from the station's bucket at now.
func (h *Hub) allowMessage(stationID string, now time.Time) bool {
	h.rateMu.Lock()
	defer h.rateMu.Unlock()
	m := h.rates[stationID]
	if m == nil {
		m = &messageRate{}
		h.rates[stationID] = m
	}
	return m.allow(now, h.cfg.MaxMessageRate, h.cfg.MaxMessageBurst)
}
