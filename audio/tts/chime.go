package tts

import (
	"fmt"
	"math"
)

// twoToneChime is the generated intro: a two-note "ding-dong" (E5 then C5,
// a major third down) with a few harmonics and a bell-like decay, about
// 1.4 s long, as mono samples in [-1, 1].
func twoToneChime(rate int) []float64 {
	notes := []struct {
		freq, start float64
	}{{659.25, 0}, {523.25, 0.55}}
	const noteLen, decay, attack = 0.85, 0.28, 0.008
	out := make([]float64, int(float64(rate)*(notes[1].start+noteLen)))
	for _, n := range notes {
		first := int(n.start * float64(rate))
		for i := range min(int(noteLen*float64(rate)), len(out)-first) {
			t := float64(i) / float64(rate)
			env := math.Exp(-t/decay) * min(1, t/attack)
			if tail := noteLen - t; tail < 0.05 { // fade the last 50 ms to silence
				env *= tail / 0.05
			}
			w := 2 * math.Pi * n.freq * t
			out[first+i] += env * (math.Sin(w) + 0.35*math.Sin(2*w) + 0.12*math.Sin(3*w))
		}
	}
	peakTo(out, 0.5) // the synthesizer sets the level beside the speech
	return out
}

// chimeFile reads a WAV chime (16-bit PCM, any rate, mono or stereo) as
// mono samples in [-1, 1] at its own rate.
func chimeFile(path string) ([]float64, int, error) {
	p, err := readWAV(path)
	if err != nil {
		return nil, 0, fmt.Errorf("chime %s: %w", path, err)
	}
	if p.frames() == 0 {
		return nil, 0, fmt.Errorf("chime %s: no audio", path)
	}
	mono := make([]float64, p.frames())
	for i := range mono {
		var sum float64
		for c := range p.channels {
			sum += float64(p.samples[i*p.channels+c])
		}
		mono[i] = sum / float64(p.channels) / 32768
	}
	return mono, p.rate, nil
}

// resample converts mono samples between rates by linear interpolation,
// plenty for a chime.
func resample(in []float64, from, to int) []float64 {
	if from == to {
		return in
	}
	n := int(int64(len(in)) * int64(to) / int64(from))
	out := make([]float64, n)
	step := float64(from) / float64(to)
	for i := range out {
		x := float64(i) * step
		j := int(x)
		frac := x - float64(j)
		a := in[min(j, len(in)-1)]
		b := in[min(j+1, len(in)-1)]
		out[i] = a + (b-a)*frac
	}
	return out
}

// peakTo scales x so that its largest magnitude is level.
func peakTo(x []float64, level float64) {
	var peak float64
	for _, v := range x {
		peak = max(peak, math.Abs(v))
	}
	if peak == 0 {
		return
	}
	for i := range x {
		x[i] *= level / peak
	}
}

// toPCM turns mono float samples into interleaved 16-bit samples.
func toPCM(mono []float64, channels int) []int16 {
	out := make([]int16, 0, len(mono)*channels)
	for _, v := range mono {
		s := int16(math.Round(max(-1, min(1, v)) * 32767))
		for range channels {
			out = append(out, s)
		}
	}
	return out
}
