package audio

import "math"

// True peak (ITU-R BS.1770-4 Annex 2): the highest magnitude of the signal
// oversampled 4× (2× from 96 kHz up, where the first image is already far
// above the audible band), as ffmpeg and libebur128 do. The interpolator is
// libebur128's: a 49-tap Hann-windowed sinc split into polyphase branches.
// Its branch 0 is a pure delay (the samples themselves), so only the other
// branches are computed, and the sample peak stands for branch 0.
//
// Interpolation is the costly part of the meter, so it is skipped wherever
// it provably cannot raise the maximum: an interpolated value is a weighted
// sum of the taps-long window of input before it, so its magnitude is at
// most gain = max over branches of Σ|h| times the largest input magnitude in
// that window. Groups of outputs whose bound does not exceed the maximum so
// far are skipped; in speech most groups are, once the loudest part has
// been met.

const (
	tpProtoTaps = 49 // prototype length, as in libebur128
)

type truePeak struct {
	factor int
	taps   int       // per branch
	coef   []float64 // branch p's tap for window position i at [i*(factor-1)+p-1]
	gain   float64   // max over branches of Σ|h|
	group  int       // outputs judged together by one bound; ≥ taps−1
	max    float64   // highest interpolated magnitude so far
}

func newTruePeak(sampleRate int) truePeak {
	factor := 4
	if sampleRate >= 96000 {
		factor = 2
	}
	taps := (tpProtoTaps - 1) / factor // branches 1..factor−1 all have this many
	proto := make([]float64, tpProtoTaps)
	for j := range proto {
		m := float64(j) - float64(tpProtoTaps-1)/2
		c := 1.0
		if m != 0 {
			c = math.Sin(m*math.Pi/float64(factor)) / (m * math.Pi / float64(factor))
		}
		proto[j] = c * 0.5 * (1 - math.Cos(2*math.Pi*float64(j)/float64(tpProtoTaps-1)))
	}
	t := truePeak{factor: factor, taps: taps, coef: make([]float64, taps*(factor-1))}
	for p := 1; p < factor; p++ {
		var sum float64
		for k := range taps {
			// Branch p's output at input n is Σ_k proto[p+factor·k]·x[n−k];
			// window position i holds x[n−(taps−1)+i].
			h := proto[p+factor*k]
			t.coef[(taps-1-k)*(factor-1)+p-1] = h
			sum += math.Abs(h)
		}
		t.gain = max(t.gain, sum)
	}
	t.group = 16
	for t.group < taps-1 {
		t.group *= 2
	}
	return t
}

// interpolate runs the branches over one channel's row, whose first
// t.group entries are history, for the outputs at row[t.group:]. gmax[g] is
// the largest magnitude in row[g·group : (g+1)·group].
func (t *truePeak) interpolate(row, gmax []float64) {
	g0 := t.group
	for g := 1; g*g0 < len(row); g++ {
		if t.gain*max(gmax[g-1], gmax[g]) <= t.max {
			continue
		}
		end := min((g+1)*g0, len(row))
		if t.factor == 4 {
			t.max = max(t.max, interpolate4(t.coef, row, g*g0, end))
		} else {
			t.max = max(t.max, interpolateAny(t.coef, t.factor-1, t.taps, row, g*g0, end))
		}
	}
}

// interpolate4 returns the largest magnitude of the three 4× branches for
// the outputs at row[from:to]; each needs the 12 inputs ending there.
func interpolate4(coef, row []float64, from, to int) float64 {
	coef = coef[:36]
	var peak float64
	for n := from; n < to; n++ {
		w := row[n-11 : n+1]
		var y1, y2, y3 float64
		for i, x := range w {
			c := coef[3*i : 3*i+3]
			y1 += c[0] * x
			y2 += c[1] * x
			y3 += c[2] * x
		}
		peak = max(peak, math.Abs(y1), math.Abs(y2), math.Abs(y3))
	}
	return peak
}

// interpolateAny is interpolate4 for any number of branches.
func interpolateAny(coef []float64, branches, taps int, row []float64, from, to int) float64 {
	var peak float64
	var y [3]float64 // up to 4×
	for n := from; n < to; n++ {
		w := row[n-taps+1 : n+1]
		clear(y[:])
		for i, x := range w {
			for p, c := range coef[i*branches : (i+1)*branches] {
				y[p] += c * x
			}
		}
		for _, v := range y[:branches] {
			peak = max(peak, math.Abs(v))
		}
	}
	return peak
}
