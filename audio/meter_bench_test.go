package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/hajimehoshi/go-mp3"
)

// The meter's budget is 10 % of MP3 decode time: decoding 44.1 kHz stereo
// runs at about 70× real time here, so the meter must stay under ~16 ns per
// sample (1.4 ms per second of audio). Run:
//
//	go test ./audio -run '^$' -bench Meter -benchtime 20x
//
// and ffmpeg's ebur128 filter on the same signals, beside it:
//
//	go test ./audio -run '^$' -bench 'Meter(Speech|Dense)' -benchtime 1x -meter.wavdir=/tmp/meterwav
//	ffmpeg -benchmark -nostats -i /tmp/meterwav/BenchmarkMeterSpeech.wav -af ebur128=peak=true -f null -
//
// Each benchmark meters one minute of 44.1 kHz audio, written two MP3
// frames (2 × 1152 frames) at a time, and reports ns per sample (one
// channel's sample) in wall time and in CPU time, then × real time and ms
// per second of audio from the CPU time: the machine is shared, and wall
// time also counts the waits for a core.

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

func benchmarkMeter(b *testing.B, channels int, samples []float32) {
	chunk := 2 * 1152 * channels
	if b.N == 1 {
		writeTestWAV(b, benchRate, channels, samples) // for timing ffmpeg on the same signal
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	for range b.N {
		m := NewMeter(benchRate, channels)
		for rest := samples; len(rest) > 0; {
			k := min(len(rest), chunk)
			m.Write(rest[:k])
			rest = rest[k:]
		}
		_ = m.Result()
	}
	cpuPerSample := float64(processCPU()-cpu0) / float64(b.N) / float64(len(samples))
	perSample := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(len(samples))
	b.ReportMetric(perSample, "ns/sample")
	if cpuPerSample > 0 {
		perSample = cpuPerSample
		b.ReportMetric(cpuPerSample, "cpu_ns/sample")
	}
	b.ReportMetric(1e9/(perSample*float64(channels*benchRate)), "x_realtime")
	b.ReportMetric(perSample*float64(channels*benchRate)/1e6, "ms/s_audio")
}

func BenchmarkMeterSpeech(b *testing.B) { benchmarkMeter(b, 2, speechLike(60)) }

func BenchmarkMeterDenseMusic(b *testing.B) { benchmarkMeter(b, 2, denseMusic(60)) }

// BenchmarkMeterSpeechMono is the left channel alone, as a mono file.
func BenchmarkMeterSpeechMono(b *testing.B) {
	s := speechLike(60)
	for i := range len(s) / 2 {
		s[i] = s[2*i]
	}
	benchmarkMeter(b, 1, s[:len(s)/2])
}

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

// BenchmarkMeterVsDecode decodes a 128 kbps stereo MP3 of the test corpus
// with go-mp3 and meters it as it goes, timing the two apart: the meter
// may add at most 10 % to decode time. Both figures come from the same
// run, so the ratio holds even on a busy machine.
func BenchmarkMeterVsDecode(b *testing.B) {
	data, err := os.ReadFile("../testdata/audio/mp3/cbr128-stereo.mp3")
	if err != nil {
		b.Fatal(err)
	}
	raw := make([]byte, 4*1152*2)
	pcm := make([]float32, 2*1152*2)
	var decoding, metering time.Duration
	var frames int64
	rate := 0
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		d, err := mp3.NewDecoder(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		rate = d.SampleRate()
		m := NewMeter(rate, 2)
		decoding += time.Since(t0)
		for {
			t0 := time.Now()
			n, err := io.ReadFull(d, raw)
			n -= n % 4
			for i := range n / 2 {
				pcm[i] = float32(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / (1 << 15)
			}
			t1 := time.Now()
			m.Write(pcm[:n/2])
			metering += time.Since(t1)
			decoding += t1.Sub(t0)
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		frames += m.Result().Frames
	}
	seconds := float64(frames) / float64(rate)
	b.ReportMetric(decoding.Seconds()*1e3/seconds, "decode_ms/s_audio")
	b.ReportMetric(metering.Seconds()*1e3/seconds, "meter_ms/s_audio")
	b.ReportMetric(100*metering.Seconds()/decoding.Seconds(), "meter_%_of_decode")
}
