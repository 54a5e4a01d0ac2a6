package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"loa/audio"
	"loa/audio/tts"
	"loa/playlist/library"
)

// Config is how files are taken in. Zero values mean the defaults of audio
// and audio/tts.
type Config struct {
	TargetLUFS float64 // loudness target for the analysis warnings and synthesised speech
	FFmpeg     string  // ffmpeg binary for converting uploads; "off" disables
	// TTS is the text-to-speech command template ("" = espeak-ng's
	// Vietnamese voice, "off" = none); TTSChime a WAV file played before
	// the text when asked ("" = a generated two-tone chime).
	TTS, TTSChime string
	// TTSAbbrev is a file of the ward's own abbreviations, one
	// "ABBR = words" a line, merged over the built-in table ("" = none).
	TTSAbbrev string

	// MaxDuration refuses audio that decodes to longer (a few KB of FLAC
	// can hold hours of silence); 0 means DefaultMaxDuration.
	MaxDuration time.Duration
	// MaxAnalyses bounds the analyses and conversions running at once
	// (each takes a core); 0 means GOMAXPROCS.
	MaxAnalyses int
	// AnalysisTimeout bounds one analysis or conversion; 0 means
	// DefaultAnalysisTimeout.
	AnalysisTimeout time.Duration
}

// Defaults of the bounds above. Four hours is the longest live broadcast;
// analysing that much takes about 3 minutes on a small server.
const (
	DefaultMaxDuration     = 4 * time.Hour
	DefaultAnalysisTimeout = 10 * time.Minute
	defaultAnalysisWait    = 30 * time.Second // for a free slot, before ErrBusy
)

var (
	// ErrBusy: as many analyses as allowed are running and the file waited
	// too long for one to finish; nothing was stored.
	ErrBusy = errors.New("ingest: too many analyses at once")
	// ErrAnalysisTimeout: the analysis or conversion ran past its time;
	// nothing was stored.
	ErrAnalysisTimeout = errors.New("ingest: analysis took too long")
)

// Pipeline takes files into the library. It is safe for concurrent use.
type Pipeline struct {
	cfg    Config
	lib    *library.Store
	blobs  *audio.Blobs
	speech *tts.Synthesizer // nil when text-to-speech is off
	slots  chan struct{}    // one per analysis running
	wait   time.Duration    // for a slot
	log    *slog.Logger
}

// New prepares the pipeline over the library and the blob store. A bad
// text-to-speech command, chime or abbreviations file is an error; a
// missing engine is only logged (see newSpeech).
func New(cfg Config, lib *library.Store, blobs *audio.Blobs, log *slog.Logger) (*Pipeline, error) {
	if log == nil {
		log = slog.Default()
	}
	speech, err := newSpeech(cfg, blobs, log)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if cfg.MaxDuration <= 0 {
		cfg.MaxDuration = DefaultMaxDuration
	}
	if cfg.MaxAnalyses <= 0 {
		cfg.MaxAnalyses = runtime.GOMAXPROCS(0)
	}
	if cfg.AnalysisTimeout <= 0 {
		cfg.AnalysisTimeout = DefaultAnalysisTimeout
	}
	return &Pipeline{cfg: cfg, lib: lib, blobs: blobs, speech: speech, log: log,
		slots: make(chan struct{}, cfg.MaxAnalyses), wait: defaultAnalysisWait}, nil
}

// acquire takes an analysis slot; the returned func gives it back.
func (p *Pipeline) acquire(ctx context.Context) (func(), error) {
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	select {
	case p.slots <- struct{}{}:
		return func() { <-p.slots }, nil
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// inspect is audio.Inspect within the pipeline's bounds.
func (p *Pipeline) inspect(ctx context.Context, path string) (audio.Analysis, error) {
	release, err := p.acquire(ctx)
	if err != nil {
		return audio.Analysis{}, err
	}
	defer release()
	actx, cancel := context.WithTimeout(ctx, p.cfg.AnalysisTimeout)
	defer cancel()
	a, err := audio.Inspect(actx, path, audio.Options{TargetLUFS: p.cfg.TargetLUFS, FFmpeg: p.cfg.FFmpeg,
		TempDir: p.blobs.TempDir(), MaxDuration: p.cfg.MaxDuration})
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return a, fmt.Errorf("%w (%v)", ErrAnalysisTimeout, p.cfg.AnalysisTimeout)
	}
	return a, err
}

// TempFile creates a file for audio on its way in, on the blob store's file
// system so that storing it is a rename.
func (p *Pipeline) TempFile() (*os.File, error) { return p.blobs.TempFile() }

// File analyses the file at path, stores it and creates seg, a draft added
// by `by`, with it; name is the file's name as the person gave it. seg's
// metadata must have passed library.Check. A file the analysis rejects
// comes back as its *audio.Error, and nothing is stored for it. The caller
// removes path (a no-op once the file is in the store).
func (p *Pipeline) File(ctx context.Context, seg library.Segment, path, name, by string) (library.Segment, error) {
	return p.FileAs(ctx, seg, path, name, by, 0)
}

// FileAs is File under an id the library reserved (0: a new one).
func (p *Pipeline) FileAs(ctx context.Context, seg library.Segment, path, name, by string, reserved uint64) (library.Segment, error) {
	a, err := p.inspect(ctx, path)
	if err != nil {
		return seg, err
	}
	if a.Path != path {
		defer os.Remove(a.Path)
	}
	seg.Audio = audioOf(a, name)
	if dups, err := p.lib.WithAudio(a.SHA256); err == nil && len(dups) > 0 {
		seg.Audio.Warnings = append(seg.Audio.Warnings, library.Note{Code: "duplicate", Message: "the same audio is already in the library", Value: float64(dups[0])})
	}
	if err := p.blobs.Put(a.Path, a.SHA256); err != nil {
		return seg, err
	}
	if reserved != 0 {
		return p.lib.CreateReserved(seg, reserved, by) // on failure the stored file is an orphan; Collect removes it
	}
	return p.lib.Create(seg, by)
}

// AnalysisVersion is the version of the analysis that measures audio: 2
// since MP3s decode through the project's own decoder (MPEG-2 frames read
// right, peaks measured unclipped). Audio measured by an older version is
// measured again at start (Remeasure).
const AnalysisVersion = 2

// audioOf keeps what the analysis found, as the library stores it.
func audioOf(a audio.Analysis, name string) library.Audio {
	out := library.Audio{Analysis: AnalysisVersion,
		SHA256: a.SHA256, Format: a.Format, ConvertedFrom: a.ConvertedFrom, OriginalName: name,
		Size: a.Size, DurationMS: a.DurationMS, SampleRate: a.SampleRate, Channels: a.Channels,
		BitrateKbps: a.BitrateKbps, LoudnessLUFS: a.LoudnessLUFS, TruePeakDBTP: a.TruePeakDBTP,
		CueInMS: a.CueInMS, CueOutMS: a.CueOutMS,
	}
	for _, w := range a.Warnings {
		out.Warnings = append(out.Warnings, library.Note{Code: w.Code, Message: w.Message, Value: w.Value})
	}
	return out
}

// Remeasure measures again every MP3 in the library that an older analysis
// measured (AnalysisVersion), one at a time within the pipeline's bounds,
// and puts the new figures on its segment without touching its status.
// It returns the segments it changed, for their stations' playlists to be
// built again. A file that is missing or no longer analyses is logged and
// left as it was.
func (p *Pipeline) Remeasure(ctx context.Context) ([]library.Segment, error) {
	list, err := p.lib.List(library.Filter{})
	if err != nil {
		return nil, err
	}
	var changed []library.Segment
	for _, seg := range list {
		if seg.Audio.Format != "mp3" || seg.Audio.Analysis >= AnalysisVersion || !p.blobs.Has(seg.Audio.SHA256) {
			continue
		}
		if ctx.Err() != nil {
			return changed, ctx.Err()
		}
		a, err := p.inspect(ctx, p.blobs.Path(seg.Audio.SHA256))
		if err != nil || a.SHA256 != seg.Audio.SHA256 {
			p.log.Warn("remeasure audio", "segment", seg.ID, "sha256", seg.Audio.SHA256, "err", err)
			if err == nil && a.Path != p.blobs.Path(seg.Audio.SHA256) {
				os.Remove(a.Path)
			}
			continue
		}
		updated, err := p.lib.Remeasure(seg.ID, audioOf(a, seg.Audio.OriginalName))
		if err != nil {
			return changed, err
		}
		p.log.Info("audio measured again", "segment", seg.ID, "loudness_was", seg.Audio.LoudnessLUFS, "loudness", updated.Audio.LoudnessLUFS)
		changed = append(changed, updated)
	}
	return changed, nil
}
