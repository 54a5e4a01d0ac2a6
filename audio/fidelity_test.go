package audio

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// minFidelitySNR is how close Loa's MP3 decode must be to a reference
// decoder's, in dB of signal over difference. Two correct float decoders
// differ only by rounding: ffmpeg and mpg123 agree to 113–125 dB on these
// files, and ours, which computes in float32, agrees with each to 118–125
// dB. A bitstream mistake costs far more: a frame size one byte short
// (go-mp3 v0.3.4 at 22.05 kHz) gives about 0 dB, intensity positions read
// from the wrong channel about 30 dB, one scalefactor band edge two lines
// off (the 24 kHz table) 56 dB. 70 dB sits between the two.
const minFidelitySNR = 70

// ffmpeg 5.1 starts the 18th long scalefactor band of 24 kHz at line 330;
// ISO 13818-3, the LAME encoder that wrote these files, mpg123 and Loa say
// 332. Against ffmpeg a 24 kHz file therefore only reaches about 56 dB.
const ffmpeg24kSNR = 50

// lsfIntensity: for MPEG-2 intensity stereo the references disagree (ffmpeg
// and mpg123 by 44–66 dB on these files): ISO 13818-3 makes the largest
// value of each position's length illegal, ffmpeg every position from 16
// up and none below, mpg123 position 7. Loa follows ffmpeg, the project's
// reference, and is held to it alone there.

// fidelityFiles are the MP3s the fidelity test decodes: every layout of
// testdata/audio/layouts, and the other MP3s of the corpus that decode.
func fidelityFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"layouts/*.mp3", "mp3/*.mp3", "other/*.mp3", "found/*.mp3"} {
		m, err := filepath.Glob(corpus + pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 30 {
		t.Fatalf("found %d MP3s in the corpus; run testdata/make-audio.sh", len(files))
	}
	return files
}

// TestDecoderFidelity decodes every MP3 layout with Loa's decoder and with
// the reference decoders installed (ffmpeg, mpg123), aligns them and
// requires minFidelitySNR against each, and that the references agree with
// each other. Rerun with -v for the table in docs/benchmarks.md.
func TestDecoderFidelity(t *testing.T) {
	t.Parallel()
	refs := referenceDecoders()
	if len(refs) == 0 {
		t.Skip("neither ffmpeg nor mpg123 installed")
	}
	for _, path := range fidelityFiles(t) {
		name, _ := filepath.Rel(corpus, path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ch := decodeGapless(t, path)
			line := fmt.Sprintf("%-42s %d ch", name, ch)
			decoded := map[string][]float32{}
			for _, ref := range refs {
				want := ref.decode(t, path)
				decoded[ref.name] = want
				snr := alignedSNR(want, got, ch)
				line += fmt.Sprintf("  vs %s %6.1f dB", ref.name, snr)
				if min := ref.min(path); snr < min {
					t.Errorf("SNR against %s %.1f dB, want at least %.0f dB", ref.name, snr, min)
				}
			}
			if a, b := decoded["ffmpeg"], decoded["mpg123"]; a != nil && b != nil {
				snr := alignedSNR(a, b, ch)
				line += fmt.Sprintf("  (mpg123 vs ffmpeg %6.1f dB)", snr)
				if min := min(refs[0].min(path), refs[1].min(path)); snr < min {
					t.Errorf("mpg123 and ffmpeg agree only to %.1f dB", snr)
				}
			}
			t.Log(line)
		})
	}
}

// A referenceDecoder decodes to float samples of the source's channels,
// gapless when a LAME tag says so.
type referenceDecoder struct {
	name string
	args []string // "{}" stands for the file
	min  func(path string) float64
}

func referenceDecoders() []referenceDecoder {
	var refs []referenceDecoder
	for _, r := range []referenceDecoder{
		{"ffmpeg", []string{"-v", "error", "-i", "{}", "-f", "f32le", "-"}, func(path string) float64 {
			if strings.Contains(path, "24k") {
				return ffmpeg24kSNR
			}
			return minFidelitySNR
		}},
		{"mpg123", []string{"-q", "-e", "f32", "-s", "{}"}, func(path string) float64 {
			switch {
			case strings.Contains(path, "/found/"):
				return math.Inf(-1) // damaged: mpg123 conceals errors its own way
			case strings.Contains(path, "intensity") && !strings.Contains(path, "mpeg1-"):
				return math.Inf(-1) // see lsfIntensity
			}
			return minFidelitySNR
		}},
	} {
		if _, err := exec.LookPath(r.name); err == nil {
			refs = append(refs, r)
		}
	}
	return refs
}

func (r referenceDecoder) decode(t *testing.T, path string) []float32 {
	t.Helper()
	args := slices.Clone(r.args)
	args[slices.Index(args, "{}")] = path
	out, err := exec.Command(r.name, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	pcm := make([]float32, len(out)/4)
	for i := range pcm {
		pcm[i] = math.Float32frombits(binary.LittleEndian.Uint32(out[4*i:]))
	}
	return pcm
}

// decodeGapless decodes an MP3 as Inspect does (parallel chunks, encoder
// delay and padding trimmed) and returns its samples and channel count.
func decodeGapless(t *testing.T, path string) ([]float32, int) {
	t.Helper()
	sc, sn := openMP3(t, path)
	ch := sn.first.channels()
	tr := newTrimmer(sc.xing, sn.first, ch)
	var pcm []float32
	if _, err := decodeMP3(context.Background(), sc, 0, 0, func(p []float32) { pcm = append(pcm, tr.trim(p)...) }); err != nil {
		t.Fatal(err)
	}
	return pcm, ch
}

// alignedSNR is snrDB at the best alignment, searched only when the two
// are not already close unshifted.
func alignedSNR(want, got []float32, ch int) float64 {
	if snr := snrDB(want, got, ch, 0); snr >= minFidelitySNR {
		return snr
	}
	return snrDB(want, got, ch, bestLag(want, got, ch, 1200))
}

// bestLag is the shift of got against want, within ±max frames, that
// correlates best over the first second or so.
func bestLag(want, got []float32, ch, max int) int {
	n := min(len(want)/ch, 48000)
	best, lag := math.Inf(-1), 0
	for l := -max; l <= max; l++ {
		var c float64
		for i := 0; i < n; i += 2 { // every other frame is plenty
			j := i + l
			if j < 0 || j >= len(got)/ch {
				continue
			}
			c += float64(want[i*ch]) * float64(got[j*ch])
		}
		if c > best {
			best, lag = c, l
		}
	}
	return lag
}

// snrDB compares got, shifted by lag frames, with want over their overlap.
func snrDB(want, got []float32, ch, lag int) float64 {
	var sig, diff float64
	for i := 0; i < len(want)/ch; i++ {
		j := i + lag
		if j < 0 || j >= len(got)/ch {
			continue
		}
		for c := range ch {
			w, g := float64(want[i*ch+c]), float64(got[j*ch+c])
			sig += w * w
			diff += (w - g) * (w - g)
		}
	}
	if diff == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(sig/diff)
}
