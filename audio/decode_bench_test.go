package audio

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	gomp3 "github.com/hajimehoshi/go-mp3"

	"loa/audio/internal/mp3"
)

// BenchmarkDecoders times the cost of the decoder fix: Loa's fork of
// go-mp3, upstream go-mp3 v0.3.4 (today's decoder before the fix; it
// refuses MPEG-2.5 and decodes 22.05 kHz wrongly, but its speed is still
// the reference) and ffmpeg, in the same run, on one core each, over a
// minute of speech per layout (a corpus file repeated). x_realtime_cpu
// (audio seconds per CPU second, ffmpeg's from its own rusage) is the
// figure to compare on a busy machine:
//
//	go test ./audio -run '^$' -bench Decoders -benchtime 5x
func BenchmarkDecoders(b *testing.B) {
	for _, layout := range []string{"mpeg1-44k-stereo-cbr128", "mpeg2-22k-mono-cbr32", "mpeg25-8k-mono-cbr16"} {
		path, seconds := minuteOf(b, corpus+"layouts/"+layout+".mp3")
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(layout+"/loa", func(b *testing.B) {
			buf := make([]float32, 4096)
			cpu := cpuTime()
			for b.Loop() {
				d, err := mp3.NewDecoder(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				for err == nil {
					_, err = d.ReadFloat(buf)
				}
			}
			reportRealtime(b, seconds, cpuTime()-cpu)
		})
		b.Run(layout+"/go-mp3", func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				d, err := gomp3.NewDecoder(bytes.NewReader(data))
				if err != nil {
					b.Skipf("go-mp3 v0.3.4: %v", err)
				}
				if _, err := io.Copy(io.Discard, d); err != nil {
					b.Fatal(err)
				}
			}
			reportRealtime(b, seconds, cpuTime()-cpu)
		})
		b.Run(layout+"/ffmpeg", func(b *testing.B) {
			if _, err := exec.LookPath("ffmpeg"); err != nil {
				b.Skip("ffmpeg not installed")
			}
			var cpu time.Duration // ffmpeg's own, from its rusage
			for b.Loop() {
				cmd := exec.Command("ffmpeg", "-v", "error", "-threads", "1", "-i", path, "-f", "f32le", "-")
				cmd.Stdout = io.Discard
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			reportRealtime(b, seconds, cpu)
		})
	}
}

// minuteOf writes src 24 times over into a temporary file (whole MP3
// files joined decode as one stream) and returns it with its length in
// seconds (24 times src's: the first Info tag speaks for one copy only).
func minuteOf(b *testing.B, src string) (string, float64) {
	b.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), filepath.Base(src))
	if err := os.WriteFile(path, bytes.Repeat(data, 24), 0o600); err != nil {
		b.Fatal(err)
	}
	a, err := Inspect(b.Context(), src, Options{FFmpeg: "off"})
	if err != nil {
		b.Fatal(err)
	}
	return path, 24 * float64(a.DurationMS) / 1000
}
