package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The meter's budget is 10 % of MP3 decode time: decoding 44.1 kHz stereo
// runs at about 70× real time here, so the meter must stay under ~16 ns per
// sample (1.4 ms per second of audio). Run:
//
//	go test ./audio -run '^$' -bench Meter -benchtime 20x
//
// Each benchmark meters one minute of 44.1 kHz stereo, written two MP3
// frames (2 × 1152 frames) at a time, and reports ns per sample (one
// channel's sample), × real time and ms of CPU per second of audio.

const benchRate = 44100

// speechLike synthesises something with the level structure of an
// announcement: voiced syllables of 120-350 ms (a 90-220 Hz pulse-like
// harmonic series plus breath noise) at peaks from -30 to -3 dBFS, and
// pauses of 40-600 ms with room noise at -65 dBFS.
func speechLike(seconds float64) []float32 {
	rng := rand.New(rand.NewPCG(3, 4))
	n := int(seconds * benchRate)
	out := make([]float32, 0, 2*n)
	for len(out) < 2*n {
		syl := int((0.12 + 0.23*rng.Float64()) * benchRate)
		f0 := 90 + 130*rng.Float64()
		amp := math.Pow(10, (-30+27*rng.Float64())/20)
		for i := range syl {
			env := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(syl))
			var v float64
			for h := 1; h <= 12; h++ {
				v += math.Sin(2*math.Pi*f0*float64(h)*float64(i)/benchRate) / float64(h)
			}
			v = amp * env * (0.35*v + 0.1*(2*rng.Float64()-1))
			out = append(out, float32(v), float32(0.9*v))
		}
		pause := int((0.04 + 0.56*rng.Float64()) * benchRate)
		for range pause {
			v := float32(math.Pow(10, -65.0/20) * (2*rng.Float64() - 1))
			out = append(out, v, v)
		}
	}
	return out[:2*n]
}

// denseMusic is the meter's worst case: independent noise on both channels
// held near full scale (peaks at -1 dBFS), like a brick-wall-limited master,
// so the true-peak interpolator can seldom skip.
func denseMusic(seconds float64) []float32 {
	rng := rand.New(rand.NewPCG(5, 6))
	out := make([]float32, int(seconds*benchRate)*2)
	amp := math.Pow(10, -1.0/20)
	for i := range out {
		out[i] = float32(amp * math.Tanh(1.5*rng.NormFloat64()))
	}
	return out
}

func benchmarkMeter(b *testing.B, samples []float32) {
	const chunk = 4608
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m := NewMeter(benchRate, 2)
		for rest := samples; len(rest) > 0; {
			k := min(len(rest), chunk)
			m.Write(rest[:k])
			rest = rest[k:]
		}
		_ = m.Result()
	}
	perSample := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(len(samples))
	b.ReportMetric(perSample, "ns/sample")
	b.ReportMetric(1e9/(perSample*2*benchRate), "x_realtime")
	b.ReportMetric(perSample*2*benchRate/1e6, "ms/s_audio")
}

func BenchmarkMeterSpeech(b *testing.B) { benchmarkMeter(b, speechLike(60)) }

func BenchmarkMeterDenseMusic(b *testing.B) { benchmarkMeter(b, denseMusic(60)) }

// BenchmarkMeterWrite checks that Write does not allocate once running.
func BenchmarkMeterWrite(b *testing.B) {
	s := speechLike(1)
	m := NewMeter(benchRate, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m.Write(s)
	}
}
