// Package audio owns everything Loa knows about audio files: recognising a
// format, validating a file by decoding all of it, measuring it (gapless
// duration, loudness, true peak, silence), converting what the Go decoders
// cannot read through ffmpeg, and keeping the content-addressed blob files.
//
// It is a leaf: it imports nothing of Loa's, knows nothing of HTTP, users or
// the database, and never stores anything itself. Rejections are *Error
// values with stable codes; turning them into words for people is the web
// layer's job.
//
//loa:imports loa/audio/...
package audio
