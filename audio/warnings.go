package audio

import "fmt"

// Warning is something about an accepted file that a person should act on.
type Warning struct {
	Code    string  `json:"code"`    // one of the Warn* constants
	Message string  `json:"message"` // English, for the CLI and logs
	Value   float64 `json:"value"`   // the measured figure the code is about
}

// Warning codes; stable, like rejection codes.
const (
	WarnTooQuiet     = "too_quiet"     // Value: integrated loudness, LUFS
	WarnTooLoud      = "too_loud"      // Value: integrated loudness, LUFS
	WarnClipping     = "clipping"      // Value: true peak, dBTP
	WarnLongSilence  = "long_silence"  // Value: longest silence inside, seconds
	WarnVeryShort    = "very_short"    // Value: duration, seconds
	WarnSilent       = "silent"        // Value: 0; nothing audible at all
	WarnTrailingJunk = "trailing_junk" // Value: bytes ignored
	WarnConverted    = "converted"     // Value: 0; Analysis.ConvertedFrom names the source
)

// Thresholds for the level warnings.
const (
	LoudnessTolerance = 3.0  // LU either side of the target
	ClippingDBTP      = -1.0 // true peak above this clips on playback chains
	LongSilenceSec    = 3.0  // silence inside an item longer than this
	VeryShortSec      = 2.0  // items shorter than this
)

// levelWarnings judges the measurements against the target loudness.
func levelWarnings(a Analysis, target float64) []Warning {
	var w []Warning
	add := func(code string, v float64, format string, args ...any) {
		w = append(w, Warning{Code: code, Value: v, Message: fmt.Sprintf(format, args...)})
	}
	if l := a.LoudnessLUFS; l == nil {
		add(WarnSilent, 0, "no audible sound: the file is silent")
	} else if *l < target-LoudnessTolerance {
		add(WarnTooQuiet, *l, "loudness %.1f LUFS is more than %.0f LU below the target %.1f LUFS", *l, LoudnessTolerance, target)
	} else if *l > target+LoudnessTolerance {
		add(WarnTooLoud, *l, "loudness %.1f LUFS is more than %.0f LU above the target %.1f LUFS", *l, LoudnessTolerance, target)
	}
	if a.TruePeakDBTP > ClippingDBTP {
		add(WarnClipping, a.TruePeakDBTP, "true peak %.1f dBTP is above %.0f dBTP: it will distort", a.TruePeakDBTP, ClippingDBTP)
	}
	if s := a.longestSilence; s >= LongSilenceSec {
		add(WarnLongSilence, round1(s), "%.1f s of silence inside the recording", s)
	}
	if d := float64(a.DurationMS) / 1000; d < VeryShortSec {
		add(WarnVeryShort, d, "only %.2f s long", d)
	}
	return w
}
