// Package playback is the station's pure-Go playback pipeline on
// gopxl/beep/v2: it decodes an MP3 or WAV file, skips to its cue-in, stops at
// its cue-out or planned duration, applies the loudness gain the server
// measured and the station volume, fades in and out, resamples to the
// output's rate, limits the peaks under CeilingDBFS (a look-ahead limiter
// with a makeup gain, so a raised quiet recording neither clips nor loses
// its loudness) and writes 16-bit stereo PCM to an Output. MP3 is decoded
// by audio's decoder with no clipping. Streams — a relay
// of a radio station, a live broadcast — go through the same path
// (PrepareStream), behind a Buffered that turns a late network into silence
// instead of a stalled output.
//
// Outputs here are the cgo-free ones: "wav:DIR" (each item a WAV file plus a
// timing log, for dry runs and tests), "null" and a pipe to aplay. The ALSA
// speaker lives in audio/speaker behind a cgo build tag.
//
// A watchdog bounds every item (its expected length plus a margin, and at
// most a margin without a write): an output that stops accepting audio is
// reported as ErrStalled, never a hang.
// The package knows nothing of schedules, the network or storage, and
// imports nothing of ours but audio.
package playback
