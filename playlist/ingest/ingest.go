package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"os"

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
}

// Pipeline takes files into the library. It is safe for concurrent use.
type Pipeline struct {
	cfg    Config
	lib    *library.Store
	blobs  *audio.Blobs
	speech *tts.Synthesizer // nil when text-to-speech is off
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
	return &Pipeline{cfg: cfg, lib: lib, blobs: blobs, speech: speech}, nil
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
	a, err := audio.Inspect(ctx, path, audio.Options{TargetLUFS: p.cfg.TargetLUFS, FFmpeg: p.cfg.FFmpeg, TempDir: p.blobs.TempDir()})
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

// audioOf keeps what the analysis found, as the library stores it.
func audioOf(a audio.Analysis, name string) library.Audio {
	out := library.Audio{
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
