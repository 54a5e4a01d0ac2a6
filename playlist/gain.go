package playlist

import (
	"math"

	"loa/playlist/library"
)

// Loudness defaults: EBU R128-style speech target for open-air speakers, and
// the true-peak ceiling the agent's limiter holds every item under.
const (
	DefaultTargetLUFS  = -16.0
	DefaultMaxTruePeak = -1.0
)

// LimiterHeadroom is how far above maxTruePeak the gain may push an item's
// true peak: the agent's look-ahead limiter (audio/playback) takes those
// few transients down to the ceiling, so a quiet recording with a sharp
// peak still reaches the target loudness. Past it the gain is lowered
// instead: deeper limiting would be heard.
const LimiterHeadroom = 6.0

// Gain returns the gain in dB (to 0.1 dB) that brings a at the target
// loudness, lowered where needed so its true peak stays at or below
// maxTruePeak + LimiterHeadroom. Digital silence (no loudness) gets 0 dB.
func Gain(a library.Audio, targetLUFS, maxTruePeak float64) float64 {
	if a.LoudnessLUFS == nil {
		return 0
	}
	g := min(targetLUFS-*a.LoudnessLUFS, maxTruePeak+LimiterHeadroom-a.TruePeakDBTP)
	return math.Floor(g*10) / 10 // floor: rounding must not cross the bound
}
