package playlist

import (
	"math"

	"loa/playlist/library"
)

// Loudness defaults: EBU R128-style speech target for open-air speakers, and
// the true-peak ceiling the gain must never push an item above.
const (
	DefaultTargetLUFS  = -16.0
	DefaultMaxTruePeak = -1.0
)

// Gain returns the gain in dB (to 0.1 dB) that brings a at the target
// loudness, lowered where needed so its true peak stays at or below
// maxTruePeak. Digital silence (no loudness) gets 0 dB.
func Gain(a library.Audio, targetLUFS, maxTruePeak float64) float64 {
	if a.LoudnessLUFS == nil {
		return 0
	}
	g := min(targetLUFS-*a.LoudnessLUFS, maxTruePeak-a.TruePeakDBTP)
	return math.Floor(g*10) / 10 // floor: rounding must not cross the ceiling
}
