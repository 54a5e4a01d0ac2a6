package audio

import "math"

// Silence: a frame is silent when every channel's magnitude is below
// SilenceThreshold. The tracker only remembers the first and the last
// audible frame and the longest gap between two audible frames, so it runs
// in constant memory on a file of any length.
type silence struct {
	threshold   float64 // linear magnitude
	first, last int64   // audible frames; −1 until one is seen
	longest     int64   // longest silent run between two audible frames
}

func newSilence() silence {
	return silence{threshold: math.Pow(10, SilenceThreshold/20), first: -1, last: -1}
}

// scan marks the audible frames of a pass. rows hold one channel each, with
// group entries of history first; gmax[c][g] is the largest magnitude of
// rows[c][g·group : (g+1)·group]; start is the index of the pass's first
// frame in the whole signal. Groups below the threshold on every channel
// are skipped whole.
func (s *silence) scan(rows, gmax [][]float64, group int, start int64) {
	n := len(rows[0])
	for g := 1; g*group < n; g++ {
		loudest := 0.0
		for _, gm := range gmax {
			loudest = max(loudest, gm[g])
		}
		if loudest < s.threshold {
			continue
		}
		for i := g * group; i < min((g+1)*group, n); i++ {
			for _, row := range rows {
				if math.Abs(row[i]) >= s.threshold {
					s.mark(start + int64(i-group))
					break
				}
			}
		}
	}
}

// mark records an audible frame; frames arrive in increasing order.
func (s *silence) mark(frame int64) {
	if s.last < 0 {
		s.first = frame
	} else if gap := frame - s.last - 1; gap > s.longest {
		s.longest = gap
	}
	s.last = frame
}

// result returns the leading, trailing and longest inner silence of a
// signal of the given length.
func (s *silence) result(frames int64) (leading, trailing, longest int64) {
	if s.last < 0 {
		return frames, frames, 0
	}
	return s.first, frames - 1 - s.last, s.longest
}
