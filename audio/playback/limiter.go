package playback

import (
	"math"
	"time"
)

// The gain stage ends in a limiter, so that the loudness gain never clips:
// a quiet recording (−30 LUFS) raised 14 dB to the target, or a file whose
// MP3 decodes past full scale, has its peaks held under the ceiling instead
// of squared off at the converter.
const (
	// CeilingDBFS is the most any written sample reaches. Speech at 44.1 kHz
	// has true peaks well under 1 dB above its sample peaks, so the output
	// stays under 0 dBTP.
	CeilingDBFS = -1.0
	lookahead   = 2 * time.Millisecond
	release     = 50 * time.Millisecond
)

// limiter delays the audio by lookahead and lowers the gain ahead of each
// peak: the gain each frame needs is the least over the lookahead window
// (a sliding minimum), averaged over the same window, so it glides down
// and reaches the needed value exactly at the peak — no sample over the
// ceiling and no step in the gain — then comes back up over about release.
type limiter struct {
	ceiling float64
	n       int // window: lookahead frames + 1
	t       int64
	x       [][2]float64 // ring of the last n input frames
	xmk     []float64    // the makeup each of them got
	m       []float64    // ring of the last n sliding minima
	sum     float64      // of m
	minQ    []minEntry   // sliding-minimum queue, increasing need
	g, rel  float64

	// Makeup: limiting takes loudness off with the peaks, so a makeup gain
	// (at most maxMakeup) follows the ratio of what should have come out to
	// what did, both averaged over about a second.
	mk, eIn, eOut, avg, step float64
}

const maxMakeup = 2.0 // +6 dB

type minEntry struct {
	t    int64
	need float64
}

func newLimiter(rate int) *limiter {
	n := int(int64(rate)*int64(lookahead)/int64(time.Second)) + 1
	l := &limiter{ceiling: math.Pow(10, CeilingDBFS/20), n: n, x: make([][2]float64, n), xmk: make([]float64, n), m: make([]float64, n), g: 1,
		rel: 1 - math.Exp(-1/(float64(rate)*release.Seconds())),
		mk:  1, avg: 1 / float64(rate), step: 2 / float64(rate)}
	for i := range l.m {
		l.m[i] = 1
	}
	l.sum = float64(n)
	return l
}

// process limits buf in place and returns how many frames it holds now:
// the first lookahead frames of a stream come out later, from flush.
func (l *limiter) process(buf [][2]float64) int {
	out := 0
	for _, in := range buf {
		if y, ok := l.push(in); ok {
			buf[out] = y
			out++
		}
	}
	return out
}

// flush writes the frames still in the delay line to buf (which must hold
// lookahead frames) and returns how many.
func (l *limiter) flush(buf [][2]float64) int {
	left := min(int(l.t), l.n-1) // frames in, not yet out
	out := 0
	for out < left {
		if y, ok := l.push([2]float64{}); ok {
			buf[out] = y
			out++
		}
	}
	return out
}

// push takes frame t and returns frame t−(n−1), limited, once there is one.
func (l *limiter) push(in [2]float64) ([2]float64, bool) {
	need := 1.0
	if p := max(math.Abs(in[0]), math.Abs(in[1])) * l.mk; p > l.ceiling {
		need = l.ceiling / p
	}
	for len(l.minQ) > 0 && l.minQ[len(l.minQ)-1].need >= need {
		l.minQ = l.minQ[:len(l.minQ)-1]
	}
	l.minQ = append(l.minQ, minEntry{l.t, need})
	if l.minQ[0].t <= l.t-int64(l.n) {
		l.minQ = l.minQ[1:]
	}
	i := int(l.t % int64(l.n))
	l.sum += l.minQ[0].need - l.m[i]
	l.m[i] = l.minQ[0].need
	j := (i + 1) % l.n // frame t−(n−1)
	out, mk := l.x[j], l.xmk[j]
	l.x[i], l.xmk[i] = in, l.mk
	l.t++
	if l.t < int64(l.n) {
		return out, false
	}
	s := l.sum / float64(l.n)
	if s < l.g {
		l.g = s
	} else {
		l.g += (s - l.g) * l.rel
	}
	y := [2]float64{out[0] * mk * l.g, out[1] * mk * l.g}
	l.makeup(out, y)
	return y, true
}

// makeup moves the makeup gain by the ratio of the energy that should have
// come out (the frame as it came in) to the energy that did.
func (l *limiter) makeup(in, out [2]float64) {
	l.eIn += (in[0]*in[0] + in[1]*in[1] - l.eIn) * l.avg
	l.eOut += (out[0]*out[0] + out[1]*out[1] - l.eOut) * l.avg
	if l.eIn > 1e-8 && l.eOut > 1e-8 {
		l.mk = max(1, min(maxMakeup, l.mk*(1+l.step*(math.Sqrt(l.eIn/l.eOut)-1))))
	}
}
