package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"loa/audio"
	"loa/audio/tts"
	"loa/playlist/library"
)

// ErrSpeechOff is returned by Text when text-to-speech is turned off.
var ErrSpeechOff = errors.New("text to speech is off")

// newSpeech prepares the text-to-speech engine from the configuration: a
// bad command, chime or abbreviations file fails the start, while a missing
// engine is only logged, since it may be installed later and every request
// says so clearly.
func newSpeech(cfg Config, blobs *audio.Blobs, log *slog.Logger) (*tts.Synthesizer, error) {
	if cfg.TTS == "off" {
		log.Info("text to speech is off")
		return nil, nil
	}
	opts := tts.Options{Command: cfg.TTS, Chime: cfg.TTSChime, TargetLUFS: cfg.TargetLUFS}
	if blobs != nil {
		opts.TempDir = blobs.TempDir()
	}
	if cfg.TTSAbbrev != "" {
		f, err := os.Open(cfg.TTSAbbrev)
		if err != nil {
			return nil, fmt.Errorf("tts abbreviations: %w", err)
		}
		defer f.Close()
		extra, err := tts.ParseAbbreviations(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.TTSAbbrev, err)
		}
		opts.Abbreviations = tts.DefaultAbbreviations().Merge(extra)
	}
	s, err := tts.New(opts)
	if err != nil {
		return nil, err
	}
	if err := s.Available(); err != nil {
		log.Warn("text to speech engine missing; text announcements will be refused until it is installed", "engine", s.Program(), "err", err)
	}
	return s, nil
}

// Text synthesises seg.Text (after the chime, if asked) and takes the
// speech in like an uploaded file: a draft added by `by`. It also returns
// the text as the engine read it (numbers, dates and abbreviations in
// words). seg's metadata must have passed library.Check. Engine failures
// are audio/tts's errors; ErrSpeechOff when text-to-speech is off. Nothing
// is stored unless everything succeeds.
func (p *Pipeline) Text(ctx context.Context, seg library.Segment, chime bool, by string) (library.Segment, string, error) {
	if p.speech == nil {
		return seg, "", ErrSpeechOff
	}
	tmp, err := p.blobs.TempFile()
	if err != nil {
		return seg, "", err
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // a no-op once the file is in the store
	res, err := p.speech.Synthesize(ctx, seg.Text, tmp.Name(), chime)
	if err != nil {
		return seg, "", err
	}
	seg, err = p.File(ctx, seg, tmp.Name(), "", by)
	return seg, res.Spoken, err
}

// Normalize returns text as the engine would be given it ("" when
// text-to-speech is off).
func (p *Pipeline) Normalize(text string) string {
	if p.speech == nil {
		return ""
	}
	return p.speech.Normalize(text)
}
