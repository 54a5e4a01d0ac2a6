package audio

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"time"
)

// DefaultTargetLUFS is the loudness target when Options.TargetLUFS is 0.
const DefaultTargetLUFS = -16.0

// Options for Inspect. Zero values mean defaults.
type Options struct {
	TargetLUFS float64 // loudness target for warnings; 0 means -16
	FFmpeg     string  // ffmpeg binary; "" looks it up in PATH; "off" disables conversion
	TempDir    string  // where a converted file is written ("" = os.TempDir())

	// Workers decoding one MP3 at the same time; 0 means GOMAXPROCS (at
	// most 4), 1 decodes sequentially.
	Workers int

	// MaxDuration refuses a file that decodes to longer (CodeTooLong); a
	// conversion stops writing just past it. 0: no bound.
	MaxDuration time.Duration
}

// Analysis describes a valid audio file. JSON names are those of
// `loa probe --json`.
type Analysis struct {
	Path          string    `json:"-"`
	Format        string    `json:"format"`                   // "mp3", "wav"
	ConvertedFrom string    `json:"converted_from,omitempty"` // "m4a", ...
	DurationMS    int64     `json:"duration_ms"`              // gapless
	SampleRate    int       `json:"sample_rate"`
	Channels      int       `json:"channels"` // source channels
	BitrateKbps   int       `json:"bitrate_kbps"`
	LoudnessLUFS  *float64  `json:"loudness_lufs"` // nil: no loudness (silence)
	TruePeakDBTP  float64   `json:"true_peak_dbtp"`
	CueInMS       int64     `json:"cue_in_ms"`  // leading silence
	CueOutMS      int64     `json:"cue_out_ms"` // where trailing silence starts
	SHA256        string    `json:"sha256"`     // of the (stored) file
	Size          int64     `json:"size"`
	Warnings      []Warning `json:"warnings"`

	// Source is the file as it was given, when it was converted (the rest
	// of Analysis describes the converted file); nil otherwise.
	Source *Source `json:"source,omitempty"`

	longestSilence float64 // seconds, for the long_silence warning
}

// Source describes a file as it was given: for a file Inspect converted,
// the rate, channels, duration and bitrate come from ffprobe and are zero
// when it is not installed beside ffmpeg.
type Source struct {
	Format      string `json:"format"` // as in ConvertedFrom
	SampleRate  int    `json:"sample_rate"`
	Channels    int    `json:"channels"`
	DurationMS  int64  `json:"duration_ms"`
	BitrateKbps int    `json:"bitrate_kbps"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Inspect validates the file at path by decoding all of it (streaming,
// bounded memory, decoder panics recovered) and measures it. When the
// format must be converted (M4A/AAC, Ogg, MPEG-2.5 8 kHz...) and ffmpeg is
// available, it converts into TempDir and the result describes the
// converted file, whose path is Analysis.Path (caller owns it); otherwise
// Analysis.Path == path.
//
// A file that is not acceptable is rejected with an *Error; any other error
// is an I/O failure or ctx ending.
func Inspect(ctx context.Context, path string, opts Options) (Analysis, error) {
	a, err := inspectNative(ctx, path, opts)
	var rej *Error
	if errors.As(err, &rej) && rej.Code == CodeUnsupportedFormat {
		a, err = convertAndInspect(ctx, path, rej.Format, opts)
	}
	if err == nil && opts.MaxDuration > 0 && a.DurationMS > opts.MaxDuration.Milliseconds() {
		if a.Path != path {
			os.Remove(a.Path)
		}
		return Analysis{}, reject(CodeTooLong, a.Format, -1, "longer than %v", opts.MaxDuration)
	}
	return a, err
}

// inspectNative reads path once: the hash, the format, the frames or
// samples and the meter all take their bytes from the same pass.
func inspectNative(ctx context.Context, path string, opts Options) (Analysis, error) {
	f, err := os.Open(path)
	if err != nil {
		return Analysis{}, fmt.Errorf("inspect: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Analysis{}, fmt.Errorf("inspect: %w", err)
	}
	if st.Size() == 0 {
		return Analysis{}, reject(CodeEmpty, "", -1, "the file is empty")
	}
	in := newHashingReader(ctx, f)
	a, err := inspectStream(ctx, in, f, st.Size(), opts)
	if err != nil {
		return Analysis{}, err
	}
	if a.SHA256, err = in.finish(); err != nil {
		return Analysis{}, fmt.Errorf("inspect: %w", err)
	}
	a.Path, a.Size = path, st.Size()
	a.Warnings = append(a.Warnings, levelWarnings(a, opts.target())...)
	if a.Warnings == nil {
		a.Warnings = []Warning{} // JSON: [] rather than null
	}
	return a, nil
}

func inspectStream(ctx context.Context, in *hashingReader, ra io.ReaderAt, size int64, opts Options) (Analysis, error) {
	sn, err := sniff(in.r, size)
	if err != nil {
		return Analysis{}, err
	}
	switch sn.format {
	case FormatMP3:
		return inspectMP3(ctx, in.r, ra, size, sn, opts)
	case FormatWAV:
		return inspectWAV(ctx, in.r, size)
	}
	return Analysis{}, reject(CodeUnsupportedFormat, sn.format, -1, "%s audio cannot be read directly", sn.format)
}

func (o Options) target() float64 {
	if o.TargetLUFS == 0 {
		return DefaultTargetLUFS
	}
	return o.TargetLUFS
}

// hashingReader feeds everything read from the file through sha256.
type hashingReader struct {
	r *bufio.Reader
	h hash.Hash
}

func newHashingReader(ctx context.Context, f io.Reader) *hashingReader {
	h := sha256.New()
	return &hashingReader{h: h, r: bufio.NewReaderSize(io.TeeReader(ctxReader{ctx, f}, h), 256<<10)}
}

// finish reads what the parsers left (trailing tags, chunks after the
// audio) and returns the hash of the whole file.
func (hr *hashingReader) finish() (string, error) {
	if _, err := io.Copy(io.Discard, hr.r); err != nil {
		return "", err
	}
	return hex.EncodeToString(hr.h.Sum(nil)), nil
}

// ctxReader stops reading once ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// measured copies the meter's findings into a.
func (a *Analysis) measured(m Measurement, rate int) {
	ms := func(frames int64) int64 { return int64(math.Round(float64(frames) * 1000 / float64(rate))) }
	a.DurationMS = ms(m.Frames)
	if m.HasLoudness {
		l := round1(m.Loudness)
		a.LoudnessLUFS = &l
	}
	a.TruePeakDBTP = round1(max(m.TruePeak, -200))
	a.longestSilence = float64(m.LongestSilence) / float64(rate)
	if m.LeadingSilence < m.Frames {
		a.CueInMS, a.CueOutMS = ms(m.LeadingSilence), ms(m.Frames-m.TrailingSilence)
	} else { // all silent: nothing to cut
		a.CueInMS, a.CueOutMS = 0, a.DurationMS
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
