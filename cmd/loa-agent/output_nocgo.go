//go:build !cgo

package main

import (
	"log/slog"

	"loa/audio/playback"
)

// openSpeaker pipes to aplay: a build without cgo has no ALSA binding.
func openSpeaker(device string, rate int, log *slog.Logger) (playback.Output, error) {
	return playback.NewAplay(device, rate, log)
}
