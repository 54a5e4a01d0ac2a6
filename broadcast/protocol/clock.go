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
	return offset, delay // negative: a clock stepped between ping and pong (ClockFilter drops it)
}

// stepSlack is how far apart two samples' offsets may be, beyond what their
// round trips allow, before the filter takes it that a clock stepped.
const stepSlack = time.Second

// ClockFilter keeps the last samples and trusts the one with the smallest
// round trip, as NTP's clock filter does: queueing delay only ever adds
// error. The zero value is ready to use; it is not safe for concurrent use.
type ClockFilter struct {
	offsets, delays [8]time.Duration
	n, next         int
}

// Add records one sample. A sample with a negative round trip (a clock
// stepped while it was taken) says nothing and is dropped. A sample that
// disagrees with the current best by more than their round trips allow
// means a clock stepped (NTP at boot, a person setting it): the older
// samples are all wrong by the step, so the filter starts again from it —
// else a stale sample could stay the best for eight pings, and items play
// minutes early or late.
func (f *ClockFilter) Add(offset, delay time.Duration) {
	if delay < 0 {
		return
	}
	if best, ok := f.best(); ok && (offset-f.offsets[best]).Abs() > (delay+f.delays[best])/2+stepSlack {
		f.n, f.next = 0, 0
	}
	f.offsets[f.next], f.delays[f.next] = offset, delay
	f.next = (f.next + 1) % len(f.offsets)
	f.n = min(f.n+1, len(f.offsets))
}

// Offset returns the best current estimate; ok is false before any sample.
func (f *ClockFilter) Offset() (offset time.Duration, ok bool) {
	best, ok := f.best()
	if !ok {
		return 0, false
	}
	return f.offsets[best], true
}

// best is the index of the sample with the shortest round trip.
func (f *ClockFilter) best() (int, bool) {
	if f.n == 0 {
		return 0, false
	}
	best := 0
	for i := 1; i < f.n; i++ {
		if f.delays[i] < f.delays[best] {
			best = i
		}
	}
	return best, true
}
