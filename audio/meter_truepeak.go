package audio

import "math"

// True peak (ITU-R BS.1770-4 Annex 2): the highest magnitude of the signal
// oversampled 4× (2× from 96 kHz up, where the first image is already far
// above the audible band), as ffmpeg and libebur128 do. The interpolator is
// libebur128's: a 49-tap Hann-windowed sinc split into polyphase branches.
// Its branch 0 is a pure delay (the samples themselves), so only the other
// branches are computed, and the sample peak stands for branch 0. Like the
// 48-tap filter BS.1770-4 itself gives, it rolls off above about 0.4 fs:
// on real recordings and MP3s it reads within 0.1 dB of ffmpeg (which
// resamples to 192 kHz with swresample), but on synthetic noise with energy
// right up to Nyquist it reads up to 1.5 dB lower.
//
// Interpolation is the costly part of the meter, so it is skipped wherever
// it provably cannot raise the maximum: an interpolated value is a weighted
// sum of the taps-long window of input before it, so its magnitude is at
// most gain = max over branches of Σ|h| times the largest input magnitude in
// that window. Groups of outputs whose bound does not exceed the maximum so
// far are skipped; in speech most groups are, once the loudest part has
// been met.

// tpProtoTaps is the prototype's length, as in libebur128: 12 taps per
// branch at 4×, 24 at 2×.
const tpProtoTaps = 49

// truePeak holds the interpolator. The prototype is symmetric, which halves
// the work. At 4×, branch 2 (half-way between samples) is symmetric and
// branches 1 and 3 mirror each other, so over the 12-sample window w, with
// s_i = w_i + w_{11−i} and d_i = w_i − w_{11−i} (i < 6):
//
//	y2 = Σ mid_i·s_i,  y1 = P + Q,  y3 = P − Q,  max(|y1|, |y3|) = |P| + |Q|,
//	P = Σ even_i·s_i,  Q = Σ odd_i·d_i.
//
// At 2× the one branch is symmetric over its 24-sample window.
type truePeak struct {
	factor         int
	mid, even, odd [6]float64  // 4×
	half           [12]float64 // 2×
	gain           float64     // max over branches of Σ|h|
	group          int         // outputs judged together by one bound; ≥ taps−1
	max            float64     // highest interpolated magnitude so far
}

func newTruePeak(sampleRate int) truePeak {
	factor := 4
	if sampleRate >= 96000 {
		factor = 2
	}
	proto := make([]float64, tpProtoTaps)
	for j := range proto {
		m := float64(j) - float64(tpProtoTaps-1)/2
		c := 1.0
		if m != 0 {
			c = math.Sin(m*math.Pi/float64(factor)) / (m * math.Pi / float64(factor))
		}
		proto[j] = c * 0.5 * (1 - math.Cos(2*math.Pi*float64(j)/float64(tpProtoTaps-1)))
	}
	taps := (tpProtoTaps - 1) / factor
	// branch(p)[i] weighs window position i, that is x[n−(taps−1)+i], in
	// branch p's output at input n: Σ_k proto[p+factor·k]·x[n−k].
	branch := func(p int) []float64 {
		b := make([]float64, taps)
		for k := range taps {
			b[taps-1-k] = proto[p+factor*k]
		}
		return b
	}
	t := truePeak{factor: factor, group: 16}
	for p := 1; p < factor; p++ {
		var sum float64
		for _, h := range branch(p) {
			sum += math.Abs(h)
		}
		t.gain = max(t.gain, sum)
	}
	if factor == 4 {
		b1, b2 := branch(1), branch(2)
		for i := range 6 {
			t.mid[i] = b2[i]
			t.even[i] = (b1[i] + b1[11-i]) / 2
			t.odd[i] = (b1[i] - b1[11-i]) / 2
		}
	} else {
		copy(t.half[:], branch(1))
	}
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
			t.max = max(t.max, t.interpolate4(row, g*g0, end))
		} else {
			t.max = max(t.max, t.interpolate2(row, g*g0, end))
		}
	}
}

// interpolate4 returns the largest magnitude of the three 4× branches for
// the outputs at row[from:to]; each needs the 12 inputs ending there.
func (t *truePeak) interpolate4(row []float64, from, to int) float64 {
	m, e, o := &t.mid, &t.even, &t.odd
	var peak float64
	for n := from; n < to; n++ {
		w := (*[12]float64)(row[n-11 : n+1])
		s0, d0 := w[0]+w[11], w[0]-w[11]
		s1, d1 := w[1]+w[10], w[1]-w[10]
		s2, d2 := w[2]+w[9], w[2]-w[9]
		s3, d3 := w[3]+w[8], w[3]-w[8]
		s4, d4 := w[4]+w[7], w[4]-w[7]
		s5, d5 := w[5]+w[6], w[5]-w[6]
		y2 := (m[0]*s0 + m[1]*s1 + m[2]*s2) + (m[3]*s3 + m[4]*s4 + m[5]*s5)
		p := (e[0]*s0 + e[1]*s1 + e[2]*s2) + (e[3]*s3 + e[4]*s4 + e[5]*s5)
		q := (o[0]*d0 + o[1]*d1 + o[2]*d2) + (o[3]*d3 + o[4]*d4 + o[5]*d5)
		if v := math.Abs(y2); v > peak {
			peak = v
		}
		if v := math.Abs(p) + math.Abs(q); v > peak {
			peak = v
		}
	}
	return peak
}

// interpolate2 returns the largest magnitude of the 2× branch for the
// outputs at row[from:to]; each needs the 24 inputs ending there.
func (t *truePeak) interpolate2(row []float64, from, to int) float64 {
	var peak float64
	for n := from; n < to; n++ {
		w := (*[24]float64)(row[n-23 : n+1])
		var y float64
		for i, h := range &t.half {
			y += h * (w[i] + w[23-i])
		}
		peak = max(peak, math.Abs(y))
	}
	return peak
}
