package playlist

import (
	"cmp"
	"slices"
)

// Reason codes: why an item is in a playlist, or why a segment the station
// is targeted by was left out of a day. The web layer words them (with N,
// Of, Aired and LastMs as parameters) in Vietnamese or English.
const (
	// Why an item is there.
	WhyIntro    = "intro"        // the programme's intro jingle
	WhyOutro    = "outro"        // the programme's outro jingle
	WhyRelay    = "relay"        // the slot relays a live stream
	WhyPriority = "priority"     // priority bulletin: first in its slot
	WhyMinDay   = "min_per_day"  // play N of the Of required today
	WhyMinWeek  = "min_per_week" // play N of the Of required this week
	WhyRotation = "rotation"     // fair rotation: N-th play this week, Aired of them aired, last at LastMs

	// Why a targeted segment was left out of the day (or short of a quota).
	LeftEmergency    = "emergency"          // emergency bulletins play at once, never on a schedule
	LeftValidity     = "outside_validity"   // not valid on this day
	LeftNoAudio      = "no_audio"           // nothing playable between cue-in and cue-out
	LeftJingle       = "jingle"             // used as a programme's jingle, not rotated
	LeftNoSlot       = "no_slot"            // no slot today accepts its topic
	LeftTooLong      = "too_long"           // longer than every slot that accepts it
	LeftSeparation   = "separation"         // every free position was too close to its last play
	LeftMaxPerDay    = "max_per_day"        // its daily maximum was already reached
	LeftNoRoom       = "no_room"            // slots full: items aired less this week went first
	LeftMinDayUnmet  = "min_per_day_unmet"  // N plays of the Of required today fitted
	LeftMinWeekUnmet = "min_per_week_unmet" // N plays of the Of required this week fitted
)

// A Reason is a code and its parameters.
type Reason struct {
	Code   string `json:"code"`
	N      int    `json:"n,omitempty"`
	Of     int    `json:"of,omitempty"`
	Aired  int    `json:"aired,omitempty"`
	LastMs int64  `json:"last_ms,omitempty"`
}

// LeftOut lists the targeted segments left out of a day (or short of a
// quota) for one reason.
type LeftOut struct {
	Reason   Reason   `json:"reason"`
	Segments []uint64 `json:"segments"`
}

// A leftPair is one segment left out of a day for one reason.
type leftPair struct {
	why Reason
	seg uint64
}

// groupLeft gathers the pairs into one list per reason, each list keeping
// the pairs' order (candidates come by id, so each list is sorted), the
// reasons sorted by sortLeft. All lists share one array allocated at once:
// growing a list per reason by append cost a tenth of the bytes
// BenchmarkWeek10k allocated. There are only a few reasons a day, so looking
// one up is a short linear search.
func groupLeft(pairs []leftPair) []LeftOut {
	if len(pairs) == 0 {
		return nil
	}
	var out []LeftOut
	var count []int // segments per reason of out
	for _, p := range pairs {
		k := indexLeft(out, p.why)
		if k < 0 {
			k = len(out)
			out, count = append(out, LeftOut{Reason: p.why}), append(count, 0)
		}
		count[k]++
	}
	ids, at := make([]uint64, len(pairs)), 0
	for k := range out { // each list gets its exact share of ids, empty for now
		out[k].Segments = ids[at : at : at+count[k]]
		at += count[k]
	}
	for _, p := range pairs { // appends stay within each share's capacity
		k := indexLeft(out, p.why)
		out[k].Segments = append(out[k].Segments, p.seg)
	}
	sortLeft(out)
	return out
}

func indexLeft(out []LeftOut, r Reason) int {
	return slices.IndexFunc(out, func(l LeftOut) bool { return l.Reason == r })
}

// sortLeft puts the reasons in a stable order: by code, then figures.
func sortLeft(out []LeftOut) {
	slices.SortFunc(out, func(a, b LeftOut) int {
		return cmp.Or(cmp.Compare(a.Reason.Code, b.Reason.Code), cmp.Compare(a.Reason.N, b.Reason.N), cmp.Compare(a.Reason.Of, b.Reason.Of))
	})
}
