package tts

import (
	"math"

	"loa/audio"
)

// Levels of the joined file. Engines write speech with peaks near full
// scale and a loudness around −20 LUFS (espeak-ng), which the player could
// only raise by 1 dB without passing −1 dBTP: so the speech is brought to
// the target here, with a limiter holding the peaks under the ceiling.
const (
	ceilingDBFS  = -2.5 // sample ceiling; the true peak stays under −1 dBTP
	maxReduction = 9.0  // dB the limiter may take off the loudest peak
	lookAhead    = 2e-3 // seconds the limiter sees ahead (and ramps over)
	releaseTime  = 60e-3
	chimeBelow   = 2.0 // LU the chime sits under the speech
)

// A leveller applies one make-up gain to the speech and a look-ahead peak
// limiter, so that every sample stays under the ceiling with no click. It
// keeps its scratch buffers between pieces; not safe for concurrent use.
type leveller struct {
	gain    float64 // make-up, linear
	ceiling float64 // in int16 units
	la      int     // look-ahead in frames
	release float64 // per-frame recovery towards unity gain

	need, lim, g []float64
	queue        []int
	out          []int16
	buf          []float32
}

func newLeveller(rate int) *leveller {
	return &leveller{gain: 1, ceiling: 32768 * dbToLinear(ceilingDBFS),
		la: max(1, int(lookAhead*float64(rate))), release: 1 - math.Exp(-1/(releaseTime*float64(rate)))}
}

// aim sets the make-up gain that brings speech measured at loudness (LUFS)
// with the given sample peak (int16 units) to target, within what the
// limiter may take off.
func (l *leveller) aim(loudness, target, peak float64) {
	most := l.ceiling / peak * dbToLinear(maxReduction)
	l.gain = min(dbToLinear(target-loudness), most)
}

// apply levels interleaved 16-bit samples. The result is valid until the
// next call.
func (l *leveller) apply(samples []int16, channels int) []int16 {
	n := len(samples) / channels
	l.need = resize(l.need, n) // the gain each frame may have at most
	limited := false
	for f := range n {
		peak := int32(0)
		for _, v := range samples[f*channels : (f+1)*channels] {
			peak = max(peak, int32(v), -int32(v))
		}
		l.need[f] = 1
		if v := float64(peak) * l.gain; v > l.ceiling {
			l.need[f], limited = l.ceiling/v, true
		}
	}
	l.out = resize(l.out, len(samples))
	if !limited {
		for i, v := range samples {
			l.out[i] = int16(math.Round(float64(v) * l.gain))
		}
		return l.out
	}
	// The minimum over ±la frames, averaged over ±la frames, is at every
	// frame at most what that frame needs, and ramps down ahead of a peak.
	l.lim = resize(l.lim, n)
	l.g = resize(l.g, n)
	l.queue = slidingMin(l.lim, l.need, l.la, l.queue[:0])
	boxMean(l.g, l.lim, l.la)
	prev := 1.0
	for f := range n {
		gf := min(l.g[f], prev+(1-prev)*l.release) // slow recovery after a peak
		prev = gf
		gf *= l.gain
		for c := range channels {
			v := float64(samples[f*channels+c]) * gf
			l.out[f*channels+c] = int16(math.Round(max(-32768, min(32767, v))))
		}
	}
	return l.out
}

// feed writes interleaved 16-bit samples to a loudness meter.
func (l *leveller) feed(m *audio.Meter, samples []int16) {
	l.buf = resize(l.buf, len(samples))
	for i, v := range samples {
		l.buf[i] = float32(v) / 32768
	}
	m.Write(l.buf)
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// slidingMin sets dst[i] to the minimum of x over [i−w, i+w]; q is scratch
// for the window's candidates, returned for reuse.
func slidingMin(dst, x []float64, w int, q []int) []int {
	head, next := 0, 0
	for i := range x {
		for ; next < len(x) && next <= i+w; next++ {
			for len(q) > head && x[q[len(q)-1]] >= x[next] {
				q = q[:len(q)-1]
			}
			q = append(q, next)
		}
		for q[head] < i-w {
			head++
		}
		dst[i] = x[q[head]]
	}
	return q
}

// boxMean sets dst[i] to the mean of x over [i−w, i+w] (clipped to x),
// with a running sum.
func boxMean(dst, x []float64, w int) {
	var sum float64
	for i := range min(w, len(x)) {
		sum += x[i]
	}
	for i := range x {
		if j := i + w; j < len(x) {
			sum += x[j]
		}
		if j := i - w - 1; j >= 0 {
			sum -= x[j]
		}
		dst[i] = sum / float64(min(len(x), i+w+1)-max(0, i-w))
	}
}

func dbToLinear(db float64) float64 { return math.Pow(10, db/20) }
