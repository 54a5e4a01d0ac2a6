package audio

import (
	"encoding/binary"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The expected values are those of EBU Tech 3341 / ITU-R BS.2217 where the
// case comes from there, and were cross-checked with ffmpeg 5.1.9's ebur128
// filter on the very same signals:
//
//	go test ./audio -run 'TestMeter' -meter.wavdir=/tmp/meterwav
//	for f in /tmp/meterwav/*.wav; do echo $f
//	  ffmpeg -nostats -i $f -af ebur128=peak=true+sample -f null - 2>&1 | grep -A12 Summary
//	done
//
// The ffmpeg figures are quoted in each case's comment.
var meterWAVDir = flag.String("meter.wavdir", "", "also write every synthesised meter test signal as a float WAV into this directory, for cross-checking with ffmpeg")

// part is a stretch of a test signal: a sine of the given frequency, peak
// level and starting phase on every channel listed (all when nil), or, with
// noise set, uniform noise of that peak level.
type part struct {
	seconds  float64
	dbfs     float64 // peak level; math.Inf(-1) for digital silence
	hz       float64
	phaseDeg float64
	noise    bool
	fade     float64 // seconds of raised-cosine fade in and out
	only     []int   // channels carrying the part; nil means all
}

// synth renders parts back to back, interleaved. Every part restarts its
// sine phase, so a part's first sample has the phase given.
func synth(t *testing.T, rate, channels int, parts ...part) []float32 {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var out []float32
	for _, p := range parts {
		amp := math.Pow(10, p.dbfs/20)
		n := int(math.Round(p.seconds * float64(rate)))
		for i := range n {
			v := amp * math.Sin(2*math.Pi*p.hz*float64(i)/float64(rate)+p.phaseDeg*math.Pi/180)
			if p.noise {
				v = amp * (2*rng.Float64() - 1)
			}
			if f := int(p.fade * float64(rate)); min(i, n-1-i) < f {
				v *= 0.5 - 0.5*math.Cos(math.Pi*float64(min(i, n-1-i))/float64(f))
			}
			for c := range channels {
				if p.only == nil || slices.Contains(p.only, c) {
					out = append(out, float32(v))
				} else {
					out = append(out, 0)
				}
			}
		}
	}
	writeTestWAV(t, rate, channels, out)
	return out
}

// writeTestWAV saves the signal as 32-bit float WAV under -meter.wavdir,
// named after the test, when that flag is set.
func writeTestWAV(t testing.TB, rate, channels int, samples []float32) {
	t.Helper()
	if *meterWAVDir == "" {
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".wav"
	dataLen := 4 * len(samples)
	b := make([]byte, 0, 44+dataLen)
	le := binary.LittleEndian
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, uint32(36+dataLen))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 3) // IEEE float
	b = le.AppendUint16(b, uint16(channels))
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*channels*4))
	b = le.AppendUint16(b, uint16(channels*4))
	b = le.AppendUint16(b, 32)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(dataLen))
	for _, s := range samples {
		b = le.AppendUint32(b, math.Float32bits(s))
	}
	if err := os.MkdirAll(*meterWAVDir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(*meterWAVDir, name)
	for i := 2; ; i++ { // a test may synthesise several signals
		if _, err := os.Stat(path); err != nil {
			break
		}
		path = filepath.Join(*meterWAVDir, strings.TrimSuffix(name, ".wav")+"_"+strconv.Itoa(i)+".wav")
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// measure meters a whole signal, written in uneven slices as a decoder
// would hand them over.
func measure(rate, channels int, samples []float32) Measurement {
	m := NewMeter(rate, channels)
	for i, size := 0, 0; len(samples) > 0; i++ {
		size = min(len(samples), channels*(1+(i*7919)%3000))
		m.Write(samples[:size])
		samples = samples[size:]
	}
	return m.Result()
}

func assertNear(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.3f, want %.3f ± %.2f", what, got, want, tol)
	}
}

func TestMeterIntegratedLoudness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rate     int
		channels int
		parts    []part
		want     float64
	}{
		// EBU Tech 3341 case 1; ffmpeg: I: -23.0 LUFS.
		{"3341-1 stereo -23 dBFS", 48000, 2, []part{{seconds: 20, dbfs: -23, hz: 1000}}, -23.0},
		// Tech 3341 case 2; ffmpeg: I: -33.0 LUFS.
		{"3341-2 stereo -33 dBFS", 48000, 2, []part{{seconds: 20, dbfs: -33, hz: 1000}}, -33.0},
		// Tech 3341 case 3, the relative gate drops the -36 dBFS parts; ffmpeg: -23.0.
		{"3341-3 relative gate", 48000, 2, []part{
			{seconds: 10, dbfs: -36, hz: 1000}, {seconds: 60, dbfs: -23, hz: 1000}, {seconds: 10, dbfs: -36, hz: 1000},
		}, -23.0},
		// Tech 3341 case 4, the absolute gate drops the -72 dBFS parts; ffmpeg: -23.0.
		{"3341-4 absolute gate", 48000, 2, []part{
			{seconds: 10, dbfs: -72, hz: 1000}, {seconds: 10, dbfs: -36, hz: 1000}, {seconds: 60, dbfs: -23, hz: 1000},
			{seconds: 10, dbfs: -36, hz: 1000}, {seconds: 10, dbfs: -72, hz: 1000},
		}, -23.0},
		// Tech 3341 case 5; ffmpeg: -23.0.
		{"3341-5 steps", 48000, 2, []part{
			{seconds: 20, dbfs: -26, hz: 1000}, {seconds: 20.1, dbfs: -20, hz: 1000}, {seconds: 20, dbfs: -26, hz: 1000},
		}, -23.0},
		// A mono source is one channel, not two: 3 LU below stereo; ffmpeg: -26.0.
		{"mono -23 dBFS", 48000, 1, []part{{seconds: 20, dbfs: -23, hz: 1000}}, -26.0},
		// The K filter is designed per rate; ffmpeg: -23.0 for each.
		{"8 kHz", 8000, 2, []part{{seconds: 20, dbfs: -23, hz: 1000}}, -23.0},
		{"22.05 kHz", 22050, 2, []part{{seconds: 20, dbfs: -23, hz: 1000}}, -23.0},
		{"44.1 kHz", 44100, 2, []part{{seconds: 20, dbfs: -23, hz: 1000}}, -23.0},
		{"96 kHz", 96000, 2, []part{{seconds: 20, dbfs: -23, hz: 1000}}, -23.0},
		{"16 kHz", 16000, 2, []part{{seconds: 10, dbfs: -23, hz: 1000}}, -23.0},
		{"192 kHz", 192000, 2, []part{{seconds: 5, dbfs: -23, hz: 1000}}, -23.0},
		{"8 kHz mono", 8000, 1, []part{{seconds: 20, dbfs: -23, hz: 1000}}, -26.0},
		// Away from 1 kHz the K curve shows: the +4 dB shelf, the high pass;
		// ffmpeg: -19.6 and -27.6 (loudnorm: -19.65, -27.65).
		{"10 kHz", 44100, 2, []part{{seconds: 10, dbfs: -23, hz: 10000}}, -19.65},
		{"50 Hz", 44100, 2, []part{{seconds: 10, dbfs: -23, hz: 50}}, -27.65},
		// 5.1: the LFE does not count, a surround counts 1.41 (+1.5 dB); the
		// blocks across the switch-over pull the mean a little below
		// -26.0+1.5; ffmpeg: -24.6 (loudnorm: -24.62).
		{"5.1 surround only", 48000, 6, []part{
			{seconds: 10, dbfs: -23, hz: 1000, only: []int{4}},
			{seconds: 10, dbfs: -10, hz: 60, only: []int{3}},
		}, -24.6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := measure(tc.rate, tc.channels, synth(t, tc.rate, tc.channels, tc.parts...))
			if !r.HasLoudness {
				t.Fatalf("HasLoudness = false, want %.1f LUFS", tc.want)
			}
			assertNear(t, "integrated loudness (LUFS)", r.Loudness, tc.want, 0.1)
		})
	}
}

func TestMeterTruePeak(t *testing.T) {
	t.Parallel()
	// EBU Tech 3341 cases 15-19: a sine at a quarter of the sample rate whose
	// samples miss its crests by the phase given; the true peak must read
	// the crest within +0.2/-0.4 dB. The tones fade in and out over 50 ms:
	// an abrupt start rings in any interpolator (ffmpeg then reads -5.1 dBTP
	// for case 16, this meter -5.4). ffmpeg (ebur128=peak=true+sample), true
	// and sample peak: -6.0/-6.0, -6.0/-9.0, -6.1/-7.2, -6.0/-6.7,
	// +3.0/-0.0; at 44.1, 22.05 and 96 kHz -6.0/-9.0.
	tests := []struct {
		name       string
		rate       int
		dbfs       float64
		phaseDeg   float64
		wantSample float64
	}{
		{"3341-15 0°", 48000, -6, 0, -6.0},
		{"3341-16 45°", 48000, -6, 45, -9.01},
		{"3341-17 60°", 48000, -6, 60, -7.25},
		{"3341-18 67.5°", 48000, -6, 67.5, -6.69},
		{"3341-19 +3 dBTP 45°", 48000, 3, 45, -0.01},
		{"44.1 kHz 45°", 44100, -6, 45, -9.01},
		{"22.05 kHz 45°", 22050, -6, 45, -9.01},
		{"96 kHz 45°", 96000, -6, 45, -9.01},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Phase 90°+x puts the samples x away from the crests.
			s := synth(t, tc.rate, 2, part{seconds: 2, dbfs: tc.dbfs, hz: float64(tc.rate) / 4, phaseDeg: 90 + tc.phaseDeg, fade: 0.05})
			r := measure(tc.rate, 2, s)
			if d := r.TruePeak - tc.dbfs; d > 0.2 || d < -0.4 {
				t.Errorf("true peak = %.2f dBTP, want %.1f +0.2/-0.4", r.TruePeak, tc.dbfs)
			}
			assertNear(t, "sample peak (dBFS)", r.SamplePeak, tc.wantSample, 0.01)
		})
	}
}

func TestMeterDigitalSilenceHasNoLoudness(t *testing.T) {
	t.Parallel()
	s := synth(t, 44100, 2, part{seconds: 3, dbfs: math.Inf(-1)})
	r := measure(44100, 2, s)
	if r.HasLoudness {
		t.Errorf("HasLoudness = true (%.1f LUFS), want false", r.Loudness)
	}
	if !math.IsInf(r.TruePeak, -1) || !math.IsInf(r.SamplePeak, -1) {
		t.Errorf("peaks = %v dBTP, %v dBFS; want -Inf", r.TruePeak, r.SamplePeak)
	}
	if want := int64(3 * 44100); r.Frames != want || r.LeadingSilence != want || r.TrailingSilence != want || r.LongestSilence != 0 {
		t.Errorf("frames %d, silence leading %d trailing %d longest %d; want %d, %d, %d, 0",
			r.Frames, r.LeadingSilence, r.TrailingSilence, r.LongestSilence, want, want, want)
	}
}

func TestMeterNoLoudnessWithoutAFullBlock(t *testing.T) {
	t.Parallel()
	// 390 ms is shorter than one 400 ms block; ffmpeg: I: -70.0 LUFS (none).
	r := measure(48000, 2, synth(t, 48000, 2, part{seconds: 0.39, dbfs: -20, hz: 1000}))
	if r.HasLoudness {
		t.Errorf("HasLoudness = true (%.1f LUFS) for 390 ms, want false", r.Loudness)
	}
	// Everything below the -70 LUFS absolute gate; ffmpeg: I: -70.0 LUFS.
	r = measure(48000, 2, synth(t, 48000, 2, part{seconds: 5, dbfs: -80, hz: 1000}))
	if r.HasLoudness {
		t.Errorf("HasLoudness = true (%.1f LUFS) at -80 dBFS, want false", r.Loudness)
	}
	assertNear(t, "sample peak (dBFS)", r.SamplePeak, -80, 0.01)
}

func TestMeterSilence(t *testing.T) {
	t.Parallel()
	// A recording as the office makes them: room noise at -60 dBFS (below
	// the threshold, so silent), speech-like tone, a pause, tone, noise.
	// Cosine tones of whole periods start and end on a crest, so the
	// silent runs are exact.
	const rate = 16000
	noise := func(sec float64) part { return part{seconds: sec, dbfs: -60, noise: true} }
	tone := func(sec float64) part { return part{seconds: sec, dbfs: -30, hz: 500, phaseDeg: 90} }
	s := synth(t, rate, 1, noise(0.75), tone(1), noise(1.5), tone(0.5), noise(0.25), tone(2), noise(0.5))
	r := measure(rate, 1, s)
	// ffmpeg -af silencedetect=n=-50dB:d=0.01: silence 0-0.75, 1.75-3.25,
	// 3.75-4, 6-6.5.
	if r.Frames != 6.5*rate || r.LeadingSilence != 0.75*rate || r.TrailingSilence != 0.5*rate || r.LongestSilence != 1.5*rate {
		t.Errorf("frames %d, silence leading %d trailing %d longest %d; want %d, %d, %d, %d",
			r.Frames, r.LeadingSilence, r.TrailingSilence, r.LongestSilence,
			int(6.5*rate), int(0.75*rate), int(0.5*rate), int(1.5*rate))
	}
}

func TestMeterSilenceNeedsEveryChannelQuiet(t *testing.T) {
	t.Parallel()
	// The right channel speaks while the left is quiet: nothing is silent
	// but the instants where the tone crosses zero (here exactly, one
	// sample in 16).
	const rate = 8000
	s := synth(t, rate, 2, part{seconds: 1, dbfs: -20, hz: 250, phaseDeg: 90, only: []int{1}})
	r := measure(rate, 2, s)
	if r.LeadingSilence != 0 || r.TrailingSilence != 0 || r.LongestSilence != 1 {
		t.Errorf("silence leading %d trailing %d longest %d; want 0, 0, 1", r.LeadingSilence, r.TrailingSilence, r.LongestSilence)
	}
}

func TestMeterResultDoesNotDependOnWriteSizes(t *testing.T) {
	t.Parallel()
	const rate = 44100
	s := synth(t, rate, 2,
		part{seconds: 0.3, dbfs: math.Inf(-1)}, part{seconds: 4, dbfs: -18, hz: 440, phaseDeg: 30},
		part{seconds: 1, dbfs: -70, noise: true}, part{seconds: 3, dbfs: -25, hz: 3000, phaseDeg: 10})
	whole := NewMeter(rate, 2)
	whole.Write(s)
	want := whole.Result()
	for _, frames := range []int{1, 7, 1024, 1025, 4410, 100000} {
		m := NewMeter(rate, 2)
		for rest := s; len(rest) > 0; {
			n := min(len(rest), 2*frames)
			m.Write(rest[:n])
			rest = rest[n:]
		}
		got := m.Result()
		if math.Abs(got.Loudness-want.Loudness) > 1e-9 || got.TruePeak != want.TruePeak || got.SamplePeak != want.SamplePeak ||
			got.LeadingSilence != want.LeadingSilence || got.TrailingSilence != want.TrailingSilence ||
			got.LongestSilence != want.LongestSilence || got.Frames != want.Frames || got.HasLoudness != want.HasLoudness {
			t.Errorf("written %d frames at a time: %+v, want %+v", frames, got, want)
		}
	}
}

func TestMeterWritePanicsOnPartialFrame(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("Write of 3 samples to a stereo meter did not panic")
		}
	}()
	NewMeter(48000, 2).Write(make([]float32, 3))
}

func TestKWeightingMatchesBS1770At48kHz(t *testing.T) {
	t.Parallel()
	// ITU-R BS.1770-4 Tables 1 and 2.
	k := newKWeight(48000)
	got := []float64{k.shelf.b0, k.shelf.b1, k.shelf.b2, k.shelf.a1, k.shelf.a2, k.highPass.a1, k.highPass.a2}
	want := []float64{1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585,
		-1.99004745483398, 0.99007225036621}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-8 {
			t.Errorf("coefficient %d = %.14f, want %.14f", i, got[i], want[i])
		}
	}
}

func TestMeterTruePeakSkipsOnlyWhatCannotMatter(t *testing.T) {
	t.Parallel()
	// The meter skips interpolation where a bound proves it cannot raise the
	// maximum and uses the prototype's symmetry; it must find exactly the
	// peak of the plain 4× (2× at 96 kHz) polyphase interpolation of every
	// sample, computed here the slow, obvious way.
	rng := rand.New(rand.NewPCG(7, 8))
	for _, rate := range []int{44100, 96000} {
		// Bursts at random levels of tones, noise, and quarter-rate tones
		// whose samples miss the crests by up to 45° (3 dB), so that groups
		// are skipped, computed, and some nearly skipped hold the peak.
		var s []float32
		for range 200 {
			amp := math.Pow(10, -12*rng.Float64()/20)
			hz := 20 + rng.Float64()*float64(rate)/2.2
			phase := rng.Float64() * math.Pi / 4
			kind := rng.IntN(3)
			for i := range 100 + rng.IntN(2000) {
				var v float64
				switch kind {
				case 0:
					v = amp * math.Sin(2*math.Pi*hz*float64(i)/float64(rate))
				case 1:
					v = amp * rng.NormFloat64() / 3
				case 2:
					v = amp * math.Cos(math.Pi/2*float64(i)+phase)
				}
				s = append(s, float32(v))
			}
		}
		got := measure(rate, 1, s).TruePeak
		want := toDB(plainTruePeak(rate, s))
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%d Hz: true peak = %.12f dBTP, plain interpolation gives %.12f", rate, got, want)
		}
	}
}

// plainTruePeak interpolates a mono signal with libebur128's 49-tap
// Hann-windowed sinc, every branch at every sample, from silence before it.
func plainTruePeak(rate int, x []float32) float64 {
	f := 4
	if rate >= 96000 {
		f = 2
	}
	const taps = 49
	h := make([]float64, taps)
	for j := range h {
		m := float64(j) - (taps-1)/2.0
		c := 1.0
		if m != 0 {
			c = math.Sin(m*math.Pi/float64(f)) / (m * math.Pi / float64(f))
		}
		h[j] = c * 0.5 * (1 - math.Cos(2*math.Pi*float64(j)/(taps-1)))
	}
	var peak float64
	for n := range x {
		for p := range f {
			var y float64
			for j := p; j < taps; j += f {
				if k := n - (j-p)/f; k >= 0 {
					y += h[j] * float64(x[k])
				}
			}
			peak = max(peak, math.Abs(y))
		}
	}
	return peak
}

func TestMeterOnRecordedSpeech(t *testing.T) {
	t.Parallel()
	// Vietnamese speech from the test corpus (testdata/make-audio.sh).
	// Expected: ffmpeg -nostats -i F -af ebur128=peak=true+sample -f null -
	// and ffmpeg -i F -af silencedetect=n=-50dB:d=0.001 -f null - (its
	// durations × 22050).
	tests := []struct {
		file                      string
		loudness, truePeak, peak  float64
		leading, trailing, inside int64
	}{
		{"float32-mono.wav", -21.2, -3.0, -3.0, 973, 8580, 1725},
		{"pcm24-stereo-extensible.wav", -19.2, -0.2, -0.2, 286, 8580, 823},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			rate, channels, samples := readTestWAV(t, filepath.Join("..", "testdata", "audio", "wav", tc.file))
			r := measure(rate, channels, samples)
			if !r.HasLoudness {
				t.Fatal("HasLoudness = false")
			}
			assertNear(t, "integrated loudness (LUFS)", r.Loudness, tc.loudness, 0.1)
			assertNear(t, "true peak (dBTP)", r.TruePeak, tc.truePeak, 0.1)
			assertNear(t, "sample peak (dBFS)", r.SamplePeak, tc.peak, 0.1)
			if r.LeadingSilence != tc.leading || r.TrailingSilence != tc.trailing || r.LongestSilence != tc.inside {
				t.Errorf("silence leading %d trailing %d longest %d frames; want %d, %d, %d",
					r.LeadingSilence, r.TrailingSilence, r.LongestSilence, tc.leading, tc.trailing, tc.inside)
			}
		})
	}
}

// readTestWAV reads a float32 or 16/24-bit PCM WAV (plain or extensible)
// whole; just enough of a reader for the meter's tests.
func readTestWAV(t *testing.T, path string) (rate, channels int, samples []float32) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		t.Fatalf("%s: not a WAV file", path)
	}
	var format, bits int
	for c := b[12:]; len(c) >= 8; {
		id, size := string(c[:4]), int(le.Uint32(c[4:8]))
		body := c[8 : 8+size]
		switch id {
		case "fmt ":
			format, channels = int(le.Uint16(body)), int(le.Uint16(body[2:]))
			rate, bits = int(le.Uint32(body[4:])), int(le.Uint16(body[14:]))
			if format == 0xfffe {
				format = int(le.Uint16(body[24:])) // the sub-format GUID's first two bytes
			}
		case "data":
			width := bits / 8
			for i := 0; i+width <= len(body); i += width {
				switch {
				case format == 3 && bits == 32:
					samples = append(samples, math.Float32frombits(le.Uint32(body[i:])))
				case format == 1 && bits == 16:
					samples = append(samples, float32(int16(le.Uint16(body[i:])))/(1<<15))
				case format == 1 && bits == 24:
					v := int32(uint32(body[i])<<8|uint32(body[i+1])<<16|uint32(body[i+2])<<24) >> 8
					samples = append(samples, float32(v)/(1<<23))
				default:
					t.Fatalf("%s: format %d, %d bits: not handled by this test reader", path, format, bits)
				}
			}
			return rate, channels, samples
		}
		c = c[8+size+size%2:]
	}
	t.Fatalf("%s: no data chunk", path)
	return
}

func TestMeterWriteDoesNotAllocate(t *testing.T) {
	s := synth(t, 44100, 2, part{seconds: 1, dbfs: -10, hz: 997})
	m := NewMeter(44100, 2)
	if allocs := testing.AllocsPerRun(5, func() { m.Write(s) }); allocs != 0 {
		t.Errorf("Write allocated %.0f times per call, want 0", allocs)
	}
}

func TestMeterGatingMatchesPlainBS1770(t *testing.T) {
	t.Parallel()
	// The meter gates through a histogram and sums 100 ms sub-blocks; here
	// the loudness is computed the plain way BS.1770-4 writes it (table
	// coefficients at 48 kHz, every 400 ms block kept, both gates applied
	// to the list) on a signal whose bursts range from -80 to -5 dBFS, so
	// both gates cut (of 227 blocks the absolute gate keeps 218, the
	// relative 91). The two must agree within 0.01 LU (they do to 0.001).
	const rate = 48000
	rng := rand.New(rand.NewPCG(9, 10))
	var s []float32
	for range 50 {
		amp := math.Pow(10, (-80+75*rng.Float64())/20)
		hz := 40 + 8000*rng.Float64()
		for i := range 2000 + rng.IntN(40000) {
			l := amp * math.Sin(2*math.Pi*hz*float64(i)/rate)
			s = append(s, float32(l), float32(0.5*l+amp*0.1*rng.NormFloat64()))
		}
	}
	got := measure(rate, 2, s)
	want, ok := plainLoudness48k(s)
	if !ok || !got.HasLoudness {
		t.Fatalf("HasLoudness = %v, plain computation %v; want both true", got.HasLoudness, ok)
	}
	assertNear(t, "integrated loudness (LUFS)", got.Loudness, want, 0.01)
}

// plainLoudness48k is BS.1770-4 for 48 kHz stereo, straight from the text.
func plainLoudness48k(s []float32) (float64, bool) {
	type section struct{ b, a [3]float64 }
	filters := []section{
		{[3]float64{1.53512485958697, -2.69169618940638, 1.19839281085285}, [3]float64{1, -1.69065929318241, 0.73248077421585}},
		{[3]float64{1, -2, 1}, [3]float64{1, -1.99004745483398, 0.99007225036621}},
	}
	n := len(s) / 2
	sq := make([]float64, n) // K-weighted L² + R², per frame
	for c := range 2 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(s[2*i+c])
		}
		for _, f := range filters {
			y := make([]float64, n)
			for i := range x {
				for k := range 3 {
					if i-k >= 0 {
						y[i] += f.b[k] * x[i-k]
						if k > 0 {
							y[i] -= f.a[k] * y[i-k]
						}
					}
				}
			}
			x = y
		}
		for i, v := range x {
			sq[i] += v * v
		}
	}
	var blocks []float64
	for start := 0; start+19200 <= n; start += 4800 {
		var e float64
		for _, v := range sq[start : start+19200] {
			e += v
		}
		blocks = append(blocks, e/19200)
	}
	lufs := func(e float64) float64 { return -0.691 + 10*math.Log10(e) }
	gated := func(gate float64) (float64, int) {
		var sum float64
		var count int
		for _, e := range blocks {
			if lufs(e) > gate {
				sum += e
				count++
			}
		}
		return sum, count
	}
	sum, count := gated(-70)
	if count == 0 {
		return 0, false
	}
	sum, count = gated(lufs(sum/float64(count)) - 10)
	return lufs(sum / float64(count)), true
}
