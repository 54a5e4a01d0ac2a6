package playlist

import (
	"slices"
	"time"
)

// AiredStat is what aired of one segment on one station over a period.
type AiredStat struct {
	Count int       // plays that aired (completed or mostly played)
	Last  time.Time // start of the latest of them; zero when none
}

// History reports what actually aired, so that rotation follows the air and
// not the plan. The airtime ledger implements it; the builder only reads.
type History interface {
	// Aired returns, per segment id, the plays on station that started in
	// [from, to). Segments that did not air may be absent.
	Aired(station string, from, to time.Time) (map[uint64]AiredStat, error)
}

// A Play is one aired play, for PlayLog.
type Play struct {
	Station string
	Segment uint64
	At      time.Time
}

// PlayLog is a History kept in memory: a plain list of plays, for tests, the
// CLI before the ledger exists, and benchmarks.
type PlayLog struct{ byStation map[string][]Play }

// NewPlayLog indexes plays by station.
func NewPlayLog(plays []Play) *PlayLog {
	l := &PlayLog{byStation: map[string][]Play{}}
	for _, p := range plays {
		l.byStation[p.Station] = append(l.byStation[p.Station], p)
	}
	for _, list := range l.byStation {
		slices.SortFunc(list, func(a, b Play) int { return a.At.Compare(b.At) })
	}
	return l
}

// Aired implements History.
func (l *PlayLog) Aired(station string, from, to time.Time) (map[uint64]AiredStat, error) {
	out := map[uint64]AiredStat{}
	if l == nil {
		return out, nil
	}
	for _, p := range l.byStation[station] {
		if p.At.Before(from) || !p.At.Before(to) {
			continue
		}
		s := out[p.Segment]
		s.Count++
		if p.At.After(s.Last) {
			s.Last = p.At
		}
		out[p.Segment] = s
	}
	return out, nil
}
