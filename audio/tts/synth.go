package tts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"loa/audio"
)

// Pauses and levels of the joined file.
const (
	SentencePause = 450 * time.Millisecond // between sentences
	ClausePause   = 200 * time.Millisecond // where a long sentence was cut
	ChimeGap      = 500 * time.Millisecond // between the chime and the speech
	leadIn        = 150 * time.Millisecond
	tail          = 400 * time.Millisecond

	maxGain     = 4.0 // +12 dB at most for speech too short to measure
	levelChecks = 3   // passes correcting the make-up gain for the limiter
	// silenceLevel and edgeMargin decide where a piece's own leading and
	// trailing silence is cut, so the pauses between pieces are even.
	silenceLevel = 64 // of 32768, about −54 dBFS
	edgeMargin   = 10 * time.Millisecond
)

// ErrNothingToSay: the text holds nothing to speak (empty, or only marks).
var ErrNothingToSay = errors.New("tts: nothing to speak in the text")

// Options configure a Synthesizer. Zero values mean the defaults.
type Options struct {
	Command       string        // engine command template (see ParseCommand); "" = DefaultCommand
	Timeout       time.Duration // per engine run; 0 = DefaultTimeout
	MaxPiece      int           // characters per engine run; 0 = DefaultMaxPiece
	Chime         string        // 16-bit PCM WAV played first when asked; "" = a generated two-tone chime
	Abbreviations Abbreviations // nil = DefaultAbbreviations()
	TempDir       string        // for the engine's files; "" = os.TempDir()
	Workers       int           // engine runs at once; 0 = GOMAXPROCS
	TargetLUFS    float64       // loudness of the speech; 0 = audio.DefaultTargetLUFS
}

// A Synthesizer turns text into a WAV file. It is safe for concurrent use.
type Synthesizer struct {
	engine    Engine
	norm      *Normalizer
	maxPiece  int
	chime     []float64 // from Options.Chime; nil: generated
	chimeRate int
	tempDir   string
	workers   int
	target    float64 // LUFS
}

// New prepares a Synthesizer: it parses the command and reads the chime
// file, but does not look for the engine (see Available).
func New(opts Options) (*Synthesizer, error) {
	e, err := ParseCommand(opts.Command)
	if err != nil {
		return nil, err
	}
	e.Timeout = opts.Timeout
	s := &Synthesizer{engine: e, norm: NewNormalizer(opts.Abbreviations), maxPiece: opts.MaxPiece,
		tempDir: opts.TempDir, workers: opts.Workers}
	if s.workers <= 0 {
		s.workers = runtime.GOMAXPROCS(0)
	}
	if s.target = opts.TargetLUFS; s.target == 0 {
		s.target = audio.DefaultTargetLUFS
	}
	if opts.Chime != "" {
		if s.chime, s.chimeRate, err = chimeFile(opts.Chime); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Available reports whether the engine is installed: nil, or an
// *EngineError wrapping ErrEngineMissing.
func (s *Synthesizer) Available() error { return s.engine.Available() }

// Program is the engine's program as configured.
func (s *Synthesizer) Program() string { return s.engine.Program() }

// Normalize returns text as the engine will be given it.
func (s *Synthesizer) Normalize(text string) string { return s.norm.Normalize(text) }

// Result describes a synthesised file.
type Result struct {
	Spoken     string        // the normalised text the engine read
	Pieces     int           // engine runs
	Duration   time.Duration // of the whole file
	SampleRate int
	Channels   int
}

// Synthesize speaks text into a new WAV file at out (16-bit PCM at the
// engine's rate), with the intro chime first when chime is set. On error
// out may hold a partial file; the caller removes it.
func (s *Synthesizer) Synthesize(ctx context.Context, text, out string, chime bool) (Result, error) {
	spoken := s.norm.Normalize(text)
	pieces := Split(spoken, s.maxPiece)
	if len(pieces) == 0 {
		return Result{}, ErrNothingToSay
	}
	files, err := s.speak(ctx, pieces)
	defer removeAll(files)
	if err != nil {
		return Result{}, err
	}
	res, err := s.join(files, pieces, out, chime)
	res.Spoken, res.Pieces = spoken, len(pieces)
	return res, err
}

// speak runs the engine on every piece, a few at a time, each into its
// own file in the temporary directory (files directly there, so that the
// blob store's collection removes what a crash leaves). It always returns
// the files it made, for the caller to remove.
func (s *Synthesizer) speak(ctx context.Context, pieces []Piece) ([]string, error) {
	var files []string
	for range pieces {
		f, err := os.CreateTemp(s.tempDir, "tts-*.wav")
		if err != nil {
			return files, fmt.Errorf("tts: %w", err)
		}
		f.Close()
		files = append(files, f.Name())
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.workers)
	for i, p := range pieces {
		g.Go(func() error { return s.engine.Run(gctx, p.Text, files[i], filepath.Dir(files[i])) })
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return files, ctx.Err()
		}
		return files, err
	}
	return files, nil
}

// removeAll removes the engine's files: its output and the text file a
// {text} template writes beside it.
func removeAll(files []string) {
	for _, f := range files {
		os.Remove(f)
		os.Remove(strings.TrimSuffix(f, filepath.Ext(f)) + ".txt")
	}
}

// span is the audible stretch of one piece, in frames.
type span struct{ from, to int }

// join writes the pieces into one file: each trimmed of its own edge
// silence, levelled to the target loudness, with even pauses between them.
// It reads the pieces a few times (measure, check the levelled loudness,
// write) so that memory holds one piece at a time.
func (s *Synthesizer) join(files []string, pieces []Piece, out string, chime bool) (Result, error) {
	spans := make([]span, len(files))
	var format pcm
	var peak int
	meter := (*audio.Meter)(nil)
	var scratch leveller
	for i, f := range files {
		p, err := s.readPiece(f, format)
		if err != nil {
			return Result{}, err
		}
		if meter == nil {
			format.rate, format.channels = p.rate, p.channels
			meter = audio.NewMeter(p.rate, p.channels)
		}
		var pk int
		spans[i], pk = audible(p)
		peak = max(peak, pk)
		scratch.feed(meter, p.samples[spans[i].from*p.channels:spans[i].to*p.channels])
	}
	if peak <= silenceLevel {
		return Result{}, s.engine.failed("wrote only silence", &tailBuffer{})
	}
	lev, err := s.level(files, spans, format, meter.Result(), float64(peak))
	if err != nil {
		return Result{}, err
	}
	w, err := createWAV(out, format.rate, format.channels)
	if err != nil {
		return Result{}, fmt.Errorf("tts output: %w", err)
	}
	err = s.writeAll(w, files, pieces, spans, format, lev, chime)
	if cerr := w.close(); err == nil && cerr != nil {
		err = fmt.Errorf("tts output: %w", cerr)
	}
	res := Result{SampleRate: format.rate, Channels: format.channels,
		Duration: time.Duration(w.frames()) * time.Second / time.Duration(format.rate)}
	return res, err
}

// level chooses the make-up gain from the speech's loudness, then checks
// the levelled speech (the limiter takes some loudness off) and corrects
// it, a few times at most. Speech too short to have a loudness is set by
// its peak.
func (s *Synthesizer) level(files []string, spans []span, format pcm, m audio.Measurement, peak float64) (*leveller, error) {
	lev := newLeveller(format.rate)
	if !m.HasLoudness {
		lev.gain = min(maxGain, lev.ceiling/peak)
		return lev, nil
	}
	lev.aim(m.Loudness, s.target, peak)
	for range levelChecks {
		check := audio.NewMeter(format.rate, format.channels)
		for i, f := range files {
			p, err := s.readPiece(f, format)
			if err != nil {
				return lev, err
			}
			lev.feed(check, lev.apply(p.samples[spans[i].from*p.channels:spans[i].to*p.channels], p.channels))
		}
		r := check.Result()
		if !r.HasLoudness || math.Abs(r.Loudness-s.target) < 0.2 {
			break
		}
		// As if the input were that much quieter: what the limiter took off.
		lev.aim(r.Loudness-20*math.Log10(lev.gain), s.target, peak)
	}
	return lev, nil
}

func (s *Synthesizer) writeAll(w *wavWriter, files []string, pieces []Piece, spans []span, format pcm, lev *leveller, chime bool) error {
	frames := func(d time.Duration) int { return int(d * time.Duration(format.rate) / time.Second) }
	if err := w.silence(frames(leadIn)); err != nil {
		return err
	}
	if chime {
		if err := w.write(s.chimeSamples(format.rate, format.channels, lev.ceiling), 1); err != nil {
			return err
		}
		if err := w.silence(frames(ChimeGap)); err != nil {
			return err
		}
	}
	for i, f := range files {
		p, err := s.readPiece(f, format)
		if err != nil {
			return err
		}
		sp := spans[i]
		if err := w.write(lev.apply(p.samples[sp.from*p.channels:sp.to*p.channels], p.channels), 1); err != nil {
			return err
		}
		pause := tail
		switch {
		case i == len(files)-1:
		case pieces[i].EndsSentence:
			pause = SentencePause
		default:
			pause = ClausePause
		}
		if err := w.silence(frames(pause)); err != nil {
			return err
		}
	}
	return nil
}

// readPiece reads an engine's output, which must be a 16-bit PCM WAV in
// the same format as the pieces before it (want.rate 0: any).
func (s *Synthesizer) readPiece(path string, want pcm) (pcm, error) {
	p, err := readWAV(path)
	if err != nil {
		return pcm{}, s.engine.failed("its output is not usable audio: "+err.Error(), &tailBuffer{})
	}
	if want.rate != 0 && (p.rate != want.rate || p.channels != want.channels) {
		return pcm{}, s.engine.failed(fmt.Sprintf("its output changed format (%d Hz × %d, then %d Hz × %d)",
			want.rate, want.channels, p.rate, p.channels), &tailBuffer{})
	}
	return p, nil
}

// audible finds where a piece's sound starts and ends (with a small
// margin) and its peak.
func audible(p pcm) (span, int) {
	first, last, peak := -1, -1, 0
	for i, v := range p.samples {
		a := int(v)
		if a < 0 {
			a = -a
		}
		if a > silenceLevel {
			if first < 0 {
				first = i / p.channels
			}
			last = i / p.channels
		}
		peak = max(peak, a)
	}
	if first < 0 {
		return span{}, peak
	}
	margin := int(edgeMargin * time.Duration(p.rate) / time.Second)
	return span{max(0, first-margin), min(p.frames(), last+1+margin)}, peak
}

// chimeSamples is the intro at the speech's rate and channels, a little
// under the speech's loudness and under the ceiling.
func (s *Synthesizer) chimeSamples(rate, channels int, ceiling float64) []int16 {
	mono := twoToneChime(rate)
	if s.chime != nil {
		mono = resample(s.chime, s.chimeRate, rate)
	}
	m := audio.NewMeter(rate, 1)
	buf := make([]float32, len(mono))
	var peak float64
	for i, v := range mono {
		buf[i] = float32(v)
		peak = max(peak, math.Abs(v))
	}
	m.Write(buf)
	gain := 1.0
	if r := m.Result(); r.HasLoudness {
		gain = dbToLinear(s.target - chimeBelow - r.Loudness)
	}
	if peak > 0 {
		gain = min(gain, ceiling/32768/peak)
	}
	for i := range mono {
		mono[i] *= gain
	}
	return toPCM(mono, channels)
}
