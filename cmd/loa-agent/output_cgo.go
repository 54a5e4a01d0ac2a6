//go:build cgo

package main

import (
	"log/slog"

	"loa/audio/playback"
	"loa/audio/speaker"
)

// openSpeaker opens the ALSA device directly (this build has cgo).
func openSpeaker(device string, rate int, _ *slog.Logger) (playback.Output, error) {
	return speaker.Open(device, rate)
}
