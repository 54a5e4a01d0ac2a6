package audio

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Benchmarks. The short ones run on the corpus; the 60-minute ones need
// long files, made by audio/bench.sh (which also times ffmpeg on the same
// files and measures peak memory):
//
//	audio/bench.sh                          # makes the files, runs everything
//	LOA_BENCH_DIR=/tmp/x go test ./audio -run '^$' -bench Long -benchtime 3x
//
// "x_realtime" is seconds of audio per second of wall time; "x_realtime_cpu"
// per second of CPU time of the whole process (getrusage), which a loaded
// machine does not inflate; "cpu_ms/op" is that CPU time per operation.

func BenchmarkInspectShortMP3(b *testing.B) {
	benchInspect(b, corpus+"mp3/cbr128-stereo.mp3", Options{FFmpeg: "off"})
}

func BenchmarkInspectShortWAV(b *testing.B) {
	benchInspect(b, corpus+"wav/pcm24-stereo-extensible.wav", Options{FFmpeg: "off"})
}

// The 60-minute files, decoded on every core and on one.
func BenchmarkLongInspect128kStereo(b *testing.B) {
	benchInspect(b, longFile(b, "long-128k-stereo.mp3"), Options{FFmpeg: "off"})
}

func BenchmarkLongInspect128kStereo1Worker(b *testing.B) {
	benchInspect(b, longFile(b, "long-128k-stereo.mp3"), Options{FFmpeg: "off", Workers: 1})
}

func BenchmarkLongInspect48kMono(b *testing.B) {
	benchInspect(b, longFile(b, "long-48k-mono.mp3"), Options{FFmpeg: "off"})
}

func BenchmarkLongInspect48kMono1Worker(b *testing.B) {
	benchInspect(b, longFile(b, "long-48k-mono.mp3"), Options{FFmpeg: "off", Workers: 1})
}

// Decoding alone (no meter, no hash), to see what they add.
func BenchmarkLongDecodeOnly128kStereo(b *testing.B) {
	path := longFile(b, "long-128k-stereo.mp3")
	var frames int64
	cpu := cpuTime()
	for b.Loop() {
		frames = decodeOnly(b, path)
	}
	reportRealtime(b, float64(frames)/44100, cpuTime()-cpu)
}

// Duration from headers alone: with the Info tag (O(1)), and walking every
// frame header (the same file with its Info frame cut off).
func BenchmarkLongScanMP3Info(b *testing.B) {
	benchScan(b, longFile(b, "long-128k-stereo.mp3"), 0)
}

func BenchmarkLongScanMP3NoInfo(b *testing.B) {
	path := longFile(b, "long-128k-stereo.mp3")
	info := scanFile(b, path, 0)
	if info.Tag == "" {
		b.Fatal("the long file has no Info tag")
	}
	benchScan(b, path, 417) // the Info frame of a 128 kbps 44.1 kHz file is 417 bytes
}

func benchInspect(b *testing.B, path string, opts Options) {
	var a Analysis
	cpu := cpuTime()
	for b.Loop() {
		var err error
		if a, err = Inspect(context.Background(), path, opts); err != nil {
			b.Fatal(err)
		}
	}
	reportRealtime(b, float64(a.DurationMS)/1000, cpuTime()-cpu)
}

func benchScan(b *testing.B, path string, skip int64) {
	var info MP3Info
	cpu := cpuTime()
	for b.Loop() {
		info = scanFile(b, path, skip)
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu_ms/op")
	if info.Duration < 59*time.Minute {
		b.Fatalf("duration %v, want an hour", info.Duration)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/scan")
}

// scanFile runs ScanMP3 on path from byte skip on.
func scanFile(b *testing.B, path string, skip int64) MP3Info {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	info, err := ScanMP3(&offsetReader{f, skip}, st.Size()-skip)
	if err != nil {
		b.Fatal(err)
	}
	return info
}

type offsetReader struct {
	f   *os.File
	off int64
}

func (r *offsetReader) ReadAt(p []byte, off int64) (int, error) { return r.f.ReadAt(p, off+r.off) }

func decodeOnly(b *testing.B, path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	r := bufio.NewReaderSize(f, 256<<10)
	sn, err := sniff(r, st.Size())
	if err != nil {
		b.Fatal(err)
	}
	sc, err := newMP3Scanner(r, sn.pos, st.Size(), sn.first)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	if _, err := decodeMP3(context.Background(), sc, 0, 0, func(p []float32) { n += int64(len(p) / sn.first.channels()) }); err != nil {
		b.Fatal(err)
	}
	return n
}

func reportRealtime(b *testing.B, audioSeconds float64, cpu time.Duration) {
	b.ReportMetric(audioSeconds*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
	b.ReportMetric(audioSeconds*float64(b.N)/cpu.Seconds(), "x_realtime_cpu")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu_ms/op")
}

func longFile(b *testing.B, name string) string {
	dir := os.Getenv("LOA_BENCH_DIR")
	if dir == "" {
		b.Skip("set LOA_BENCH_DIR to a directory made by audio/bench.sh")
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		b.Skip(err)
	}
	return path
}
