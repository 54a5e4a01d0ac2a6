package tts

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLimiterHoldsTheCeilingWithoutTouchingTheRest(t *testing.T) {
	t.Parallel()
	const rate = 22050
	// A 440 Hz tone at 0.3 of full scale with a 5 ms burst at full scale in
	// the middle; the make-up gain doubles it, so only the burst is over.
	in := make([]int16, 2*rate)
	for i := range in {
		a := 0.3
		if i >= rate/2 && i < rate/2+rate/200 {
			a = 1
		}
		in[i] = int16(math.Round(a * 32767 * math.Sin(2*math.Pi*440*float64(i)/rate)))
	}
	l := newLeveller(rate)
	l.gain = 2
	out := l.apply(in, 1)
	var peak float64
	for i, v := range out {
		peak = max(peak, math.Abs(float64(v)))
		far := i < rate/2-rate/50 || i > rate/2+rate*6/10 // 20 ms before, 10 release times after
		if want := float64(in[i]) * 2; far && math.Abs(float64(v)-want) > 1 {
			t.Fatalf("sample %d = %d, want %.0f: the limiter touched the tone far from the burst", i, v, want)
		}
	}
	if peak > l.ceiling+0.5 {
		t.Errorf("peak %.0f over the ceiling %.0f", peak, l.ceiling)
	}
	if peak < l.ceiling*0.9 {
		t.Errorf("peak %.0f: the burst was squashed far below the ceiling %.0f", peak, l.ceiling)
	}
}

func TestSlidingMinAndBoxMean(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, w := range []int{1, 3, 10} {
		x := make([]float64, 200)
		for i := range x {
			x[i] = r.Float64()
		}
		gotMin, gotMean := make([]float64, len(x)), make([]float64, len(x))
		slidingMin(gotMin, x, w, nil)
		boxMean(gotMean, x, w)
		for i := range x {
			lo, hi := max(0, i-w), min(len(x), i+w+1)
			m, sum := math.Inf(1), 0.0
			for _, v := range x[lo:hi] {
				m, sum = min(m, v), sum+v
			}
			if gotMin[i] != m || math.Abs(gotMean[i]-sum/float64(hi-lo)) > 1e-9 {
				t.Fatalf("w=%d i=%d: min %v mean %v, want %v %v", w, i, gotMin[i], gotMean[i], m, sum/float64(hi-lo))
			}
		}
	}
}
