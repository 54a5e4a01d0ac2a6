package audio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const corpus = "../testdata/audio/"

// Expected figures come from ffmpeg 5.1 (see testdata/make-audio.sh, which
// prints them):
//
//	ffmpeg -i F -f s16le -ac 1 - | wc -c            → decoded length (bytes / 2 = frames)
//	ffmpeg -nostats -i F -af ebur128=peak=true -f null -   → I (LUFS), Peak (dBTP)
//
// Tolerances are the issue's: 5 ms, 0.5 LU, 0.5 dB.
var goodFiles = []struct {
	file       string
	format     string
	rate, ch   int
	ms         float64 // ffmpeg's decoded length
	lufs, dbtp float64
	warnings   []string // codes that must be present
}{
	{"mp3/cbr128-stereo.mp3", "mp3", 44100, 2, 8284.082, -20.2, -3.3, []string{"too_quiet"}},
	{"mp3/vbr-stereo.mp3", "mp3", 44100, 2, 8284.082, -19.8, -2.9, nil},
	{"mp3/cbr64-mono-44k.mp3", "mp3", 44100, 1, 8284.082, -23.2, -3.3, nil},
	{"mp3/cbr48-mono-22k.mp3", "mp3", 22050, 1, 8359.184, -23.1, -3.2, nil},   // MPEG-2, no Info tag
	{"mp3/cbr64-stereo-22k.mp3", "mp3", 22050, 2, 8284.082, -20.1, -3.0, nil}, // MPEG-2 with LAME tag
	{"mp3/no-info-header.mp3", "mp3", 44100, 2, 8333.061, -20.2, -3.3, nil},
	{"mp3/tags-id3v2-ape-id3v1.mp3", "mp3", 44100, 2, 8284.082, -20.2, -3.3, nil},
	{"mp3/id3v1-mono.mp3", "mp3", 44100, 1, 8284.082, -23.2, -3.3, nil},
	{"mp3/id3v24-footer.mp3", "mp3", 44100, 1, 8284.082, -23.2, -3.3, nil},
	{"mp3/trailing-junk.mp3", "mp3", 44100, 1, 8284.082, -23.2, -3.3, []string{"trailing_junk"}},
	{"mp3/silences.mp3", "mp3", 44100, 1, 20627.392, -22.4, -3.4, []string{"long_silence"}},
	{"mp3/too-quiet.mp3", "mp3", 44100, 1, 8284.082, -45.2, -25.4, []string{"too_quiet"}},
	{"mp3/very-short.mp3", "mp3", 22050, 1, 1131.565, -19.8, -0.7, []string{"very_short", "clipping"}},
	{"other/mpeg25-8k.mp3", "mp3", 8000, 1, 8496.000, -23.1, -3.2, nil},               // MPEG-2.5, decoded natively
	{"layouts/mpeg2-22k-mono-cbr32.mp3", "mp3", 22050, 1, 2560.000, -22.7, -3.5, nil}, // issue 18: go-mp3 v0.3.4 read it 4-5 dB loud
	{"layouts/mpeg25-11k-stereo-cbr32.mp3", "mp3", 11025, 2, 2500.045, -19.2, -3.1, nil},
	{"wav/pcm16-mono-22k.wav", "wav", 22050, 1, 2592.698, -21.2, -3.0, nil},
	{"wav/pcm8-mono.wav", "wav", 22050, 1, 2592.698, -21.2, -2.9, nil},
	{"wav/pcm24-stereo-extensible.wav", "wav", 22050, 2, 2592.698, -19.2, -0.2, []string{"clipping"}},
	{"wav/pcm32-mono.wav", "wav", 22050, 1, 2592.698, -21.2, -3.0, nil},
	{"wav/float32-mono.wav", "wav", 22050, 1, 2592.698, -21.2, -3.0, nil},
	{"wav/list-bext.wav", "wav", 22050, 1, 2592.698, -21.2, -3.0, nil},
	{"wav/odd-chunk.wav", "wav", 22050, 1, 2592.698, -21.2, -3.0, nil},
}

func TestInspectGoodFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range goodFiles {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			path := corpus + tc.file
			a := inspectOK(t, path, Options{FFmpeg: "off"})
			if a.Path != path || a.Format != tc.format || a.SampleRate != tc.rate || a.Channels != tc.ch {
				t.Errorf("path/format/rate/channels = %q %s %d %d, want %q %s %d %d",
					a.Path, a.Format, a.SampleRate, a.Channels, path, tc.format, tc.rate, tc.ch)
			}
			assertFigures(t, a, tc.ms, tc.lufs, tc.dbtp)
			assertWarnings(t, a, tc.warnings...)
			assertHashAndSize(t, a, path)
		})
	}
}

// Files louder than full scale: the decoder hands out float samples with
// no clipping, so the true peak is ffmpeg's (+1.3 and +4.7 dBTP; go-mp3's
// 16-bit output once read +1.3 for the second).
func TestInspectOverFullScale(t *testing.T) {
	t.Parallel()
	a := inspectOK(t, corpus+"mp3/too-loud.mp3", Options{FFmpeg: "off"})
	assertFigures(t, a, 8284.082, -10.6, 1.3)
	assertWarnings(t, a, "too_loud", "clipping")
	a = inspectOK(t, corpus+"mp3/over-full-scale.mp3", Options{FFmpeg: "off"})
	assertFigures(t, a, 2500.000, -14.6, 4.7)
	assertWarnings(t, a, "clipping")
	if w := warning(a, "clipping"); w.Value != a.TruePeakDBTP {
		t.Errorf("clipping warning carries %.1f dBTP, true peak %.1f", w.Value, a.TruePeakDBTP)
	}
}

func TestInspectDigitalSilence(t *testing.T) {
	t.Parallel()
	a := inspectOK(t, corpus+"mp3/digital-silence.mp3", Options{FFmpeg: "off"})
	if a.LoudnessLUFS != nil {
		t.Errorf("loudness = %v, want none", *a.LoudnessLUFS)
	}
	if a.TruePeakDBTP > -60 || a.DurationMS != 3000 || a.CueInMS != 0 || a.CueOutMS != 3000 {
		t.Errorf("true peak %v, duration %d, cue %d–%d; want < -60 dBTP, 3000 ms, 0–3000", a.TruePeakDBTP, a.DurationMS, a.CueInMS, a.CueOutMS)
	}
	assertWarnings(t, a, "silent")
}

func TestInspectCuePoints(t *testing.T) {
	t.Parallel()
	// 1 s of silence, speech, 4 s of silence, speech, 1.5 s of silence.
	a := inspectOK(t, corpus+"mp3/silences.mp3", Options{FFmpeg: "off"})
	if a.CueInMS < 1000 || a.CueInMS > 1060 {
		t.Errorf("cue in = %d ms, want just after the 1 s of leading silence", a.CueInMS)
	}
	if tail := a.DurationMS - a.CueOutMS; tail < 1500 || tail > 2000 {
		t.Errorf("cue out = %d ms of %d: trailing silence %d ms, want 1.5 s plus the clip's own tail", a.CueOutMS, a.DurationMS, tail)
	}
	w := warning(a, WarnLongSilence)
	if w == nil || w.Value < 4 || w.Value > 5 {
		t.Errorf("long_silence warning = %+v, want about 4 s", w)
	}
}

func TestInspectTargetLoudness(t *testing.T) {
	t.Parallel()
	a := inspectOK(t, corpus+"mp3/cbr128-stereo.mp3", Options{FFmpeg: "off", TargetLUFS: -20})
	if warning(a, WarnTooQuiet) != nil || warning(a, WarnTooLoud) != nil {
		t.Errorf("at target -20 LUFS a -20.2 LUFS file got %+v", a.Warnings)
	}
}

// Files the Go decoders cannot read are converted when ffmpeg is there; the
// figures are ffmpeg's for the original file.
func TestInspectConverts(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	for _, tc := range []struct {
		file, from string
		ms         float64
		lufs, dbtp float64
	}{
		{"other/speech.m4a", "m4a", 2600.635, -21.3, -2.7},
		{"other/speech.ogg", "ogg", 2592.708, -21.3, -2.9},
		{"other/speech.flac", "flac", 2592.698, -21.2, -3.0},
		{"bad/wav-adpcm.wav", "wav-adpcm", 2684.308, -21.2, -2.9}, // IMA ADPCM pads its last block: 59189 frames
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			a := inspectOK(t, corpus+tc.file, Options{TempDir: dir})
			if a.Format != "mp3" || a.ConvertedFrom != tc.from || filepath.Dir(a.Path) != dir {
				t.Errorf("format %q from %q at %q, want mp3 from %q in %q", a.Format, a.ConvertedFrom, a.Path, tc.from, dir)
			}
			assertFigures(t, a, tc.ms, tc.lufs, tc.dbtp)
			assertWarnings(t, a, "converted")
			assertHashAndSize(t, a, a.Path)
			assertSource(t, a, corpus+tc.file, tc.from, tc.ms)
		})
	}
}

func TestInspectConversionLeavesNothingOnFailure(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	dir := t.TempDir()
	bad := filepath.Join(t.TempDir(), "broken.m4a")
	b, _ := os.ReadFile(corpus + "other/speech.m4a")
	if err := os.WriteFile(bad, b[:64], 0o600); err != nil { // just the ftyp box
		t.Fatal(err)
	}
	_, err := Inspect(context.Background(), bad, Options{TempDir: dir})
	assertRejected(t, err, CodeConversionFailed)
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("conversion failure left %d files in TempDir", len(left))
	}
}

func TestInspectRejects(t *testing.T) {
	t.Parallel()
	size := func(name string) int64 {
		st, err := os.Stat(corpus + name)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	half := size("mp3/cbr128-stereo.mp3") / 2
	for _, tc := range []struct {
		file, code, format string
		from, to           int64 // expected Offset range, inclusive
	}{
		{"bad/empty.mp3", CodeEmpty, "", -1, -1},
		{"bad/truncated.mp3", CodeTruncated, "mp3", size("bad/truncated.mp3") - 418, size("bad/truncated.mp3") - 1},
		{"bad/corrupt-middle.mp3", CodeCorrupt, "mp3", half - 418, half + 3000},
		{"bad/image-renamed.mp3", CodeUnknownFormat, "", -1, -1},
		{"bad/text-renamed.mp3", CodeUnknownFormat, "", -1, -1},
		{"bad/random.mp3", CodeUnknownFormat, "", -1, -1},
		{"bad/id3-only.mp3", CodeNoAudio, "", 40, 40},
		{"bad/wav-data-too-long.wav", CodeTruncated, "wav", 36, 36},       // the data chunk header
		{"bad/wav-fmt-lies.wav", CodeHeaderMismatch, "wav", 32, 32},       // the block-align field
		{"bad/wav-adpcm.wav", CodeUnsupportedFormat, "wav-adpcm", -1, -1}, // ffmpeg off
		{"other/speech.m4a", CodeUnsupportedFormat, "m4a", -1, -1},
		{"other/speech.ogg", CodeUnsupportedFormat, "ogg", -1, -1},
		{"other/speech.flac", CodeUnsupportedFormat, "flac", -1, -1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			_, err := Inspect(context.Background(), corpus+tc.file, Options{FFmpeg: "off"})
			e := assertRejected(t, err, tc.code)
			if e == nil {
				return
			}
			if e.Format != tc.format || e.Offset < tc.from || e.Offset > tc.to {
				t.Errorf("format %q offset %d, want %q and offset in [%d, %d]", e.Format, e.Offset, tc.format, tc.from, tc.to)
			}
			if e.Detail == "" {
				t.Error("no detail")
			}
		})
	}
}

func TestInspectWithoutFFmpegSaysHowToFix(t *testing.T) {
	t.Parallel()
	_, err := Inspect(context.Background(), corpus+"other/speech.m4a", Options{FFmpeg: filepath.Join(t.TempDir(), "no-ffmpeg")})
	if e := assertRejected(t, err, CodeUnsupportedFormat); e != nil &&
		(e.Format != "m4a" || !strings.Contains(e.Detail, "install ffmpeg or convert to MP3/WAV")) {
		t.Errorf("rejection %q does not name the format and the fix", e.Error())
	}
}

// A file cut exactly between two frames is caught by the Info tag's count.
func TestInspectCutOnFrameBoundary(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(corpus + "mp3/cbr128-stereo.mp3")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.mp3")
	if err := os.WriteFile(path, b[:66872], 0o600); err != nil { // a frame starts at 66872
		t.Fatal(err)
	}
	_, err = Inspect(context.Background(), path, Options{FFmpeg: "off"})
	if e := assertRejected(t, err, CodeTruncated); e != nil && e.Offset != 66872 {
		t.Errorf("offset %d, want 66872", e.Offset)
	}
}

func TestInspectIOErrorsAreNotRejections(t *testing.T) {
	t.Parallel()
	_, err := Inspect(context.Background(), filepath.Join(t.TempDir(), "missing.mp3"), Options{})
	var rej *Error
	if !errors.Is(err, fs.ErrNotExist) || errors.As(err, &rej) {
		t.Errorf("missing file: %v, want a plain not-exist error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Inspect(ctx, corpus+"mp3/cbr128-stereo.mp3", Options{})
	if !errors.Is(err, context.Canceled) || errors.As(err, &rej) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

func inspectOK(t *testing.T, path string, opts Options) Analysis {
	t.Helper()
	a, err := Inspect(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Inspect(%s): %v", path, err)
	}
	return a
}

// assertFigures checks duration, loudness and true peak against ffmpeg's;
// a NaN expectation is not checked.
func assertFigures(t *testing.T, a Analysis, ms, lufs, dbtp float64) {
	t.Helper()
	if d := math.Abs(float64(a.DurationMS) - ms); d > 5 {
		t.Errorf("duration %d ms, ffmpeg %.3f ms (off by %.1f ms)", a.DurationMS, ms, d)
	}
	if a.LoudnessLUFS == nil || math.Abs(*a.LoudnessLUFS-lufs) > 0.5 {
		t.Errorf("loudness %v LUFS, ffmpeg %.1f", ptrString(a.LoudnessLUFS), lufs)
	}
	if !math.IsNaN(dbtp) && math.Abs(a.TruePeakDBTP-dbtp) > 0.5 {
		t.Errorf("true peak %.1f dBTP, ffmpeg %.1f", a.TruePeakDBTP, dbtp)
	}
	if a.CueInMS < 0 || a.CueInMS > a.CueOutMS || a.CueOutMS > a.DurationMS {
		t.Errorf("cue %d–%d ms outside 0–%d", a.CueInMS, a.CueOutMS, a.DurationMS)
	}
}

func assertWarnings(t *testing.T, a Analysis, codes ...string) {
	t.Helper()
	for _, c := range codes {
		if warning(a, c) == nil {
			t.Errorf("no %s warning in %+v", c, a.Warnings)
		}
	}
}

// assertSource checks that a converted file's Source describes the file
// as given: its format, hash and size, and ffprobe's rate and duration.
func assertSource(t *testing.T, a Analysis, path, format string, ms float64) {
	t.Helper()
	src := a.Source
	if src == nil {
		t.Fatal("no source description")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if src.Format != format || src.SHA256 != hex.EncodeToString(sum[:]) || src.Size != int64(len(b)) {
		t.Errorf("source %+v, want format %s, size %d, sha256 %x", src, format, len(b), sum)
	}
	if src.SHA256 == a.SHA256 {
		t.Error("the source and the converted file have the same hash")
	}
	if _, err := exec.LookPath("ffprobe"); err == nil && (src.SampleRate == 0 || math.Abs(float64(src.DurationMS)-ms) > 100) {
		t.Errorf("source rate %d, duration %d ms; want ffprobe's, about %.0f ms", src.SampleRate, src.DurationMS, ms)
	}
}

func assertHashAndSize(t *testing.T, a Analysis, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if a.Size != int64(len(b)) || a.SHA256 != sha256Hex(b) {
		t.Errorf("size %d sha256 %s, want %d %s", a.Size, a.SHA256, len(b), sha256Hex(b))
	}
}

func assertRejected(t *testing.T, err error, code string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("err = %v, want a *Error with code %s", err, code)
		return nil
	}
	if e.Code != code {
		t.Errorf("code %s (%v), want %s", e.Code, e, code)
	}
	return e
}

func warning(a Analysis, code string) *Warning {
	i := slices.IndexFunc(a.Warnings, func(w Warning) bool { return w.Code == code })
	if i < 0 {
		return nil
	}
	return &a.Warnings[i]
}

func ptrString(p *float64) any {
	if p == nil {
		return "none"
	}
	return *p
}
