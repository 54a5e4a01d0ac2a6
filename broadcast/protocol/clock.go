package protocol

import "time"

// Millis converts an instant to the wire's Unix milliseconds.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// EstimateOffset returns the NTP-style estimate of (server clock − agent
// clock) and the round-trip delay for a sample whose answer arrived at
// received (agent clock). Add the offset to agent instants to get server
// time.
func EstimateOffset(s ClockSample, received time.Time) (offset, delay time.Duration) {
	t1, t2, t3, t4 := s.EchoMs, s.RecvMs, s.SendMs, received.UnixMilli()
	offset = time.Duration((t2-t1)+(t3-t4)) * time.Millisecond / 2
	delay = time.Duration((t4-t1)-(t3-t2)) * time.Millisecond
	return offset, max(delay, 0)
}

// ClockFilter keeps the last samples and trusts the one with the smallest
// round trip, as NTP's clock filter does: queueing delay only ever adds
// error. The zero value is ready to use; it is not safe for concurrent use.
type ClockFilter struct {
	offsets, delays [8]time.Duration
	n, next         int
}

// Add records one sample.
func (f *ClockFilter) Add(offset, delay time.Duration) {
	f.offsets[f.next], f.delays[f.next] = offset, delay
	f.next = (f.next + 1) % len(f.offsets)
	f.n = min(f.n+1, len(f.offsets))
}

// Offset returns the best current estimate; ok is false before any sample.
func (f *ClockFilter) Offset() (offset time.Duration, ok bool) {
	if f.n == 0 {
		return 0, false
	}
	best := 0
	for i := 1; i < f.n; i++ {
		if f.delays[i] < f.delays[best] {
			best = i
		}
	}
	return f.offsets[best], true
}
