package hub

import "time"

// messageRate is a token bucket over the messages one connection sends.
// Only the connection's reader goroutine uses it.
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
