package audio

import (
	"bufio"
	"context"
	"os"
	"slices"
	"testing"
)

// decodeFile decodes an MP3 of the corpus with the given parallelism and
// returns all PCM (before gapless trimming).
func decodeFile(t *testing.T, name string, workers, chunk int) []float32 {
	t.Helper()
	sc, _ := openMP3(t, corpus+name)
	var pcm []float32
	if _, err := decodeMP3(context.Background(), sc, workers, chunk, func(p []float32) { pcm = append(pcm, p...) }); err != nil {
		t.Fatal(err)
	}
	return pcm
}

// openMP3 opens an MP3 for decodeMP3; the file closes with the test.
func openMP3(t *testing.T, path string) (*mp3Scanner, sniffed) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, _ := f.Stat()
	r := bufio.NewReaderSize(f, 256<<10)
	sn, err := sniff(r, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	end, err := audioEnd(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := newMP3Scanner(r, sn.pos, end, sn.first)
	if err != nil {
		t.Fatal(err)
	}
	return sc, sn
}

// Chunked parallel decoding must give exactly what one go-mp3 decoder gives
// over the whole stream: the warm-up frames restore the bit reservoir, the
// IMDCT overlap and the filterbank state.
func TestParallelDecodeIsExact(t *testing.T) {
	t.Parallel()
	for _, name := range []string{
		"mp3/cbr128-stereo.mp3", "mp3/vbr-stereo.mp3", "mp3/cbr48-mono-22k.mp3",
		"mp3/cbr64-stereo-22k.mp3",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := decodeFile(t, name, 1, 1<<20) // one chunk: plain sequential go-mp3
			for _, chunk := range []int{5, 37} {
				got := decodeFile(t, name, 3, chunk)
				if len(got) != len(want) {
					t.Fatalf("chunk %d: %d samples, want %d", chunk, len(got), len(want))
				}
				if i := firstDiff(got, want); i >= 0 {
					t.Fatalf("chunk %d: sample %d is %v, sequential gives %v", chunk, i, got[i], want[i])
				}
			}
		})
	}
}

func firstDiff(a, b []float32) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func TestScanMP3(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file         string
		tag          string
		frames       int64
		samples      int64 // ffmpeg's decoded length
		delay, pad   int
		rate, layout int
	}{
		// lame 3.100 writes delay 576; ffmpeg decodes 365328 frames.
		{"mp3/cbr128-stereo.mp3", "Info", 319, 365328, 576, 1584, 44100, 2},
		{"mp3/vbr-stereo.mp3", "Xing", 319, 365328, 576, 1584, 44100, 2},
		{"mp3/tags-id3v2-ape-id3v1.mp3", "Info", 319, 365328, 576, 1584, 44100, 2},
		{"mp3/no-info-header.mp3", "", 319, 367488, 0, 0, 44100, 2},
		{"mp3/cbr48-mono-22k.mp3", "", 320, 184320, 0, 0, 22050, 1},
		{"mp3/trailing-junk.mp3", "Info", 319, 365328, 576, 1584, 44100, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(corpus + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			info, err := ScanMP3(f, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			got := []any{info.Tag, info.Frames, info.Samples, info.EncoderDelay, info.EncoderPadding, info.SampleRate, info.Channels}
			want := []any{tc.tag, tc.frames, tc.samples, tc.delay, tc.pad, tc.rate, tc.layout}
			if !slices.Equal(got, want) {
				t.Errorf("got tag, frames, samples, delay, padding, rate, channels = %v, want %v", got, want)
			}
		})
	}
}
