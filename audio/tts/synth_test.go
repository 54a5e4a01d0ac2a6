package tts

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"loa/audio"
)

// needEspeak skips a test on machines without the engine; CI installs it
// (.ci/test.sh).
func needEspeak(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed")
	}
}

func readText(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// synthesize speaks text with opts into a file in a temporary directory
// and inspects the result as the library's ingest does.
func synthesize(t *testing.T, opts Options, text string, chime bool) (Result, audio.Analysis) {
	t.Helper()
	opts.TempDir = t.TempDir()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.wav")
	res, err := s.Synthesize(context.Background(), text, out, chime)
	if err != nil {
		t.Fatal(err)
	}
	noFilesLeft(t, opts.TempDir)
	a, err := audio.Inspect(context.Background(), out, audio.Options{FFmpeg: "off"})
	if err != nil {
		t.Fatalf("the synthesised file does not pass ingest: %v", err)
	}
	return res, a
}

func ptrValue(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// noFilesLeft fails if the engine's temporary files outlive a synthesis.
func noFilesLeft(t *testing.T, dir string) {
	t.Helper()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestSynthesizeCCHCAnnouncement(t *testing.T) {
	t.Parallel()
	needEspeak(t)
	res, a := synthesize(t, Options{}, readText(t, "cchc-1000.txt"), false)

	// Vietnamese is read at 2 to 6 syllables a second; the spoken text
	// has every number and abbreviation in words.
	syllables := len(strings.Fields(res.Spoken))
	secs := float64(a.DurationMS) / 1000
	if secs < float64(syllables)/6 || secs > float64(syllables)/2 {
		t.Errorf("%.1f s for %d syllables", secs, syllables)
	}
	if d := res.Duration.Milliseconds() - a.DurationMS; d < -5 || d > 5 {
		t.Errorf("reported %v, the file lasts %d ms", res.Duration, a.DurationMS)
	}
	if a.Format != "wav" || a.Channels != 1 || a.SampleRate != res.SampleRate {
		t.Errorf("format %s, %d Hz × %d", a.Format, a.SampleRate, a.Channels)
	}
	// The speech is at the target loudness with room under the peak, so
	// the library has nothing to warn about and the player no gain to add.
	if a.LoudnessLUFS == nil || math.Abs(*a.LoudnessLUFS-audio.DefaultTargetLUFS) > 1 || a.TruePeakDBTP > -1 {
		t.Errorf("loudness %v LUFS, true peak %.1f dBTP; want %.0f LUFS, under -1 dBTP", ptrValue(a.LoudnessLUFS), a.TruePeakDBTP, audio.DefaultTargetLUFS)
	}
	for _, w := range a.Warnings {
		t.Errorf("warning on synthesised speech: %s", w.Message)
	}
	if res.Pieces < 3 || !strings.Contains(res.Spoken, "ủy ban nhân dân") || strings.ContainsAny(res.Spoken, "0123456789") {
		t.Errorf("%d pieces, spoken text %q", res.Pieces, res.Spoken)
	}
}

func TestChimeComesFirst(t *testing.T) {
	t.Parallel()
	needEspeak(t)
	text := "Ủy ban nhân dân phường thông báo."
	_, plain := synthesize(t, Options{}, text, false)
	_, chimed := synthesize(t, Options{}, text, true)
	added := chimed.DurationMS - plain.DurationMS
	if added < 1500 || added > 2500 {
		t.Errorf("the chime added %d ms, want about 2 s (1.4 s chime and a 0.5 s gap)", added)
	}
	if chimed.CueInMS > 300 {
		t.Errorf("sound starts at %d ms: the chime should open the file", chimed.CueInMS)
	}

	// A chime from a file, at another rate and in stereo, is converted.
	file := filepath.Join(t.TempDir(), "chime.wav")
	w, err := createWAV(file, 44100, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.write(toPCM(twoToneChime(44100)[:44100], 2), 1); err != nil {
		t.Fatal(err)
	}
	w.close()
	_, fromFile := synthesize(t, Options{Chime: file}, text, true)
	if added := fromFile.DurationMS - plain.DurationMS; added < 1300 || added > 1700 {
		t.Errorf("a 1 s chime file added %d ms, want 1.5 s", added)
	}
}

func TestMissingEngine(t *testing.T) {
	t.Parallel()
	s, err := New(Options{Command: "loa-no-such-tts-engine -v vi -w {out}"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Available(); !errors.Is(err, ErrEngineMissing) {
		t.Errorf("Available = %v", err)
	}
	_, err = s.Synthesize(context.Background(), "Xin chào.", filepath.Join(t.TempDir(), "out.wav"), false)
	var ee *EngineError
	if !errors.Is(err, ErrEngineMissing) || !errors.As(err, &ee) || ee.Program != "loa-no-such-tts-engine" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "loa-no-such-tts-engine") || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("message %q does not say which engine is missing", err)
	}
}

func TestEngineFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, command string
		timeout       time.Duration
		says          []string // what the error must mention
	}{
		{"exits with an error", `sh -c "echo 'no voice for vi' >&2; exit 3"`, 0, []string{"exit status 3", "no voice for vi"}},
		{"writes nothing", `sh -c "exit 0"`, 0, []string{"wrote no audio"}},
		{"writes garbage", `sh -c 'echo hello > "$0"' {out}`, 0, []string{"not usable audio", "not a WAV file"}},
		{"hangs", `sleep 30`, 200 * time.Millisecond, []string{"no answer after 200ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			s, err := New(Options{Command: tt.command, Timeout: tt.timeout, TempDir: tmp})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Synthesize(context.Background(), "Xin chào.", filepath.Join(t.TempDir(), "out.wav"), false)
			if !errors.Is(err, ErrEngineFailed) {
				t.Fatalf("err = %v, want ErrEngineFailed", err)
			}
			noFilesLeft(t, tmp)
			for _, w := range tt.says {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
		})
	}
}

func TestCommandWithTextFileAndStdout(t *testing.T) {
	t.Parallel()
	needEspeak(t)
	// The text in a file, the WAV on stdout (with unknown sizes, as a
	// pipe gives them), a quoted argument.
	_, a := synthesize(t, Options{Command: `espeak-ng -v vi -s "160" --stdout -f {text}`}, "Ủy ban nhân dân phường thông báo lịch tiếp công dân.", false)
	if a.DurationMS < 1500 || a.LoudnessLUFS == nil {
		t.Errorf("%d ms, loudness %v", a.DurationMS, a.LoudnessLUFS)
	}
}

func TestNothingToSay(t *testing.T) {
	t.Parallel()
	s, _ := New(Options{})
	if _, err := s.Synthesize(context.Background(), " ... \n - ", filepath.Join(t.TempDir(), "out.wav"), false); !errors.Is(err, ErrNothingToSay) {
		t.Errorf("err = %v", err)
	}
}

func TestParseCommand(t *testing.T) {
	t.Parallel()
	if _, err := ParseCommand(`espeak-ng "-v vi`); err == nil {
		t.Error("unclosed quote accepted")
	}
	e, err := ParseCommand("")
	if err != nil || e.Program() != "espeak-ng" {
		t.Errorf("default: %v %v", e.args, err)
	}
	e, _ = ParseCommand(`piper --model '/opt/voices/vi vn.onnx' --output_file {out}`)
	if len(e.args) != 5 || e.args[2] != "/opt/voices/vi vn.onnx" {
		t.Errorf("args = %q", e.args)
	}
}

// BenchmarkSynthesize1000 speaks the 1,000-character CCHC announcement
// (with the chime) and reports the speed in × real time (seconds of audio
// per second of wall time, and per second of CPU time of this process and
// the engine runs), beside the reference: espeak-ng run once on the whole
// normalised text, with no splitting, joining or levelling.
func BenchmarkSynthesize1000(b *testing.B) {
	needEspeak(b)
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	text := readText(b, "cchc-1000.txt")
	dir := b.TempDir()
	out := filepath.Join(dir, "out.wav")
	b.Run("loa", func(b *testing.B) {
		var audioSecs float64
		cpu := cpuTime()
		for b.Loop() {
			res, err := s.Synthesize(context.Background(), text, out, true)
			if err != nil {
				b.Fatal(err)
			}
			audioSecs += res.Duration.Seconds()
		}
		b.ReportMetric(audioSecs/b.Elapsed().Seconds(), "x_realtime")
		b.ReportMetric(audioSecs/(cpuTime()-cpu).Seconds(), "x_realtime_cpu")
	})
	b.Run("espeak-ng-once", func(b *testing.B) {
		e, _ := ParseCommand("")
		spoken := s.Normalize(text)
		var audioSecs float64
		cpu := cpuTime()
		for b.Loop() {
			if err := e.Run(context.Background(), spoken, out, dir); err != nil {
				b.Fatal(err)
			}
			p, err := readWAV(out)
			if err != nil {
				b.Fatal(err)
			}
			audioSecs += float64(p.frames()) / float64(p.rate)
		}
		b.ReportMetric(audioSecs/b.Elapsed().Seconds(), "x_realtime")
		b.ReportMetric(audioSecs/(cpuTime()-cpu).Seconds(), "x_realtime_cpu")
	})
}
