// Package ingest is the one way audio enters the library: an upload, a text
// an editor typed (synthesised by audio/tts) and a live broadcast's
// recording all come here as a file on disk. Ingest analyses the file
// (audio.Inspect: format, validation, duration, loudness, conversion
// through ffmpeg), moves it into the content-addressed blob store and
// creates the library segment that points at it. Nothing is stored for a
// file the analysis rejects.
//
// It knows nothing of HTTP, sessions or the audit log: the caller says who
// is adding the segment, words the errors (*audio.Error from the analysis,
// the library's errors, ErrSpeechOff and audio/tts's engine errors) and
// records the audit entry.
package ingest
