package playback

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"loa/audio"
)

// The level at the speaker, measured: recordings from −30 to −8 LUFS (and
// an MP3 that decodes 4.7 dB past full scale) are analysed as the server
// analyses uploads, given the loudness gain to the target, played one after
// another through the WAV output, and the output is measured with the
// project's meter. Each item must come out within 1 LU of the target with
// no sample over the limiter's ceiling, and start and end on a ramp.
func TestLevelAtTheSpeaker(t *testing.T) {
	t.Parallel()
	const target = audio.DefaultTargetLUFS
	dir := t.TempDir()
	var paths []string
	for _, lufs := range []float64{-30, -23, -16, -8} {
		paths = append(paths, speechAt(t, dir, lufs))
	}
	paths = append(paths, testAudio+"mp3/over-full-scale.mp3")
	out, err := NewWAV(filepath.Join(dir, "out"), 44100)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	out.p.ahead = time.Hour // no real-time pacing: the test measures levels, not timing
	var spread []float64
	for i, path := range paths {
		a, err := audio.Inspect(context.Background(), path, audio.Options{FFmpeg: "off"})
		if err != nil {
			t.Fatal(err)
		}
		it := Item{Name: fmt.Sprintf("item%d", i), Path: path, GainDB: target - *a.LoudnessLUFS}
		p, err := Prepare(it, out)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := p.Play(context.Background(), nil); err != nil || res.Outcome != Completed {
			t.Fatalf("%s: %v %s", path, err, res.Outcome)
		}
		got := readOutputWAV(t, filepath.Join(dir, "out", fmt.Sprintf("%04d-%s.wav", i+1, it.Name)))
		m := audio.NewMeter(44100, 1) // both channels carry the mono source: measure it as Inspect did
		m.Write(got)
		r := m.Result()
		spread = append(spread, r.Loudness-target)
		t.Logf("%-40s %6.1f LUFS, %+5.1f dBTP → gain %+5.1f dB → at the speaker %6.1f LUFS, peak %5.1f dBFS, %5.1f dBTP",
			filepath.Base(path), *a.LoudnessLUFS, a.TruePeakDBTP, it.GainDB, r.Loudness, r.SamplePeak, r.TruePeak)
		if math.Abs(r.Loudness-target) > 1 {
			t.Errorf("%s plays at %.1f LUFS, target %.1f", path, r.Loudness, target)
		}
		if r.SamplePeak > CeilingDBFS+0.01 || r.TruePeak > 0 {
			t.Errorf("%s: sample peak %.2f dBFS (ceiling %.1f), true peak %.2f dBTP", path, r.SamplePeak, CeilingDBFS, r.TruePeak)
		}
		assertRamps(t, path, got, 44100)
	}
	t.Logf("spread at the speaker: %+.2f to %+.2f LU around the target", slices.Min(spread), slices.Max(spread))
}

// assertRamps checks the first and last milliseconds rise from and fall to
// silence: within k ms of an edge no sample exceeds k/FadeEdge of full
// scale, so an item never starts or stops with a click.
func assertRamps(t *testing.T, name string, x []float32, rate int) {
	t.Helper()
	for _, ms := range []int{1, 3} {
		k := rate * ms / 1000
		bound := float64(ms)/float64(FadeEdge.Milliseconds()) + 1.0/32768
		var head, tail float64
		for i := range k {
			head = max(head, math.Abs(float64(x[i])))
			tail = max(tail, math.Abs(float64(x[len(x)-1-i])))
		}
		if head > bound || tail > bound {
			t.Errorf("%s: first/last %d ms reach %.3f/%.3f of full scale, want a ramp under %.3f", name, ms, head, tail, bound)
		}
	}
}

// speechAt writes the corpus speech (22.05 kHz mono) as a 16-bit WAV at
// lufs (±0.3 LU): what the gain pushes past full scale is clipped, as in an
// over-driven recording, so the loudest takes a few tries.
func speechAt(t *testing.T, dir string, lufs float64) string {
	t.Helper()
	src, err := os.ReadFile(testAudio + "wav/pcm16-mono-22k.wav")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("speech%+.0f.wav", lufs))
	gainDB := lufs - measure(t, testAudio+"wav/pcm16-mono-22k.wav")
	for range 8 {
		b := slices.Clone(src)
		g := math.Pow(10, gainDB/20)
		for i := 44; i+1 < len(b); i += 2 {
			v := float64(int16(binary.LittleEndian.Uint16(b[i:]))) * g
			binary.LittleEndian.PutUint16(b[i:], uint16(int16(max(-32768, min(32767, math.Round(v))))))
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		got := measure(t, path)
		if math.Abs(got-lufs) <= 0.3 {
			return path
		}
		gainDB += lufs - got
	}
	t.Fatalf("could not make speech at %.0f LUFS", lufs)
	return ""
}

func measure(t *testing.T, path string) float64 {
	t.Helper()
	a, err := audio.Inspect(context.Background(), path, audio.Options{FFmpeg: "off"})
	if err != nil || a.LoudnessLUFS == nil {
		t.Fatalf("%s: %v", path, err)
	}
	return *a.LoudnessLUFS
}

// readOutputWAV returns the left channel of a WAV the output wrote.
func readOutputWAV(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pcm := b[44:]
	x := make([]float32, len(pcm)/4)
	for i := range x {
		x[i] = float32(int16(binary.LittleEndian.Uint16(pcm[4*i:]))) / 32768
	}
	return x
}
