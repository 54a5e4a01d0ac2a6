// Package tts turns a Vietnamese announcement typed by an editor into one
// WAV file: it normalises the text for speech (numbers, dates, times and
// the abbreviations of administrative-reform texts read out in words),
// splits it at sentence boundaries, runs an external engine (espeak-ng by
// default, or any configured command) on each piece, and joins the pieces,
// optionally after an intro chime, with short pauses between sentences,
// levelled to the loudness target under a peak limiter.
//
// It imports nothing of Loa's but audio, knows nothing of HTTP or the
// library, and never stores anything: the caller ingests the file like any
// upload. Engine failures are *EngineError values that name the command and
// carry its stderr.
package tts
