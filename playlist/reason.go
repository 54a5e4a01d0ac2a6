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
	LeftPast         = "past"               // every slot that accepts it had passed when the day was (re)built
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
	// Programme and Slot name a slot that kept time empty while these
	// segments, which it accepts and which would have fitted, could not
	// start in it (they may have played elsewhere that day); empty: the
	// segments got no play at all that day.
	Programme string `json:"programme,omitempty"`
	Slot      string `json:"slot,omitempty"`
}

// A leftPair is one segment left out of a day for one reason.
type leftPair struct {
	why   leftReason
	seg   uint64
	group int // index of why among the day's reasons, for groupLeft
}

// leftReason is a left-out Reason while the day is built: its code as a
// number, so that the pairs hold no pointers. run is 0 for the day, else
// 1 + the index of the slot run that kept time empty.
type leftReason struct {
	why   leftWhy
	n, of int
	run   int
}

func (r leftReason) reason() Reason { return Reason{Code: r.why.code(), N: r.n, Of: r.of} }

// groupLeft gathers the pairs into one list per reason, each list keeping
// the pairs' order (candidates come by id, so each list is sorted), the
// reasons sorted by sortLeft. The day's lists and their ids are carved from
// arrays the build's days share (an allocation or two a week rather than
// two a day). There are only a few reasons a day, so looking one up is a
// short linear search, starting from the previous pair's.
func (st *state) groupLeft(pairs []leftPair) []LeftOut {
	if len(pairs) == 0 {
		return nil
	}
	var firstOf, countOf [16]int // the first pair of each reason, and its pairs
	reasons, counts := firstOf[:0], countOf[:0]
	last := 0
	for p := range pairs {
		why := &pairs[p].why
		k := last
		if k >= len(reasons) || pairs[reasons[k]].why != *why {
			k = 0
			for k < len(reasons) && pairs[reasons[k]].why != *why {
				k++
			}
			if k == len(reasons) {
				reasons, counts = append(reasons, p), append(counts, 0)
			}
		}
		pairs[p].group, last = k, k
		counts[k]++
	}
	out := carve(&st.leftFree, len(reasons), len(reasons)*st.daysLeft)
	ids, at := carve(&st.idFree, len(pairs), len(pairs)*st.daysLeft), 0
	for k, p := range reasons { // each list gets its exact share of ids, empty for now
		out[k] = LeftOut{Reason: pairs[p].why.reason(), Segments: ids[at : at : at+counts[k]]}
		if run := pairs[p].why.run; run > 0 {
			out[k].Programme, out[k].Slot = st.runs[run-1].Programme, st.runs[run-1].Slot
		}
		at += counts[k]
	}
	for _, p := range pairs { // appends stay within each share's capacity
		out[p.group].Segments = append(out[p.group].Segments, p.seg)
	}
	sortLeft(out)
	return out
}

// carve returns n elements from the room in *free, taking a new array of
// max(n, chunk) when it is short, and leaves the rest in *free. The
// slice's capacity is its length, so appending to it never reaches into
// what carve hands out next.
func carve[T any](free *[]T, n, chunk int) []T {
	if cap(*free) < n {
		*free = make([]T, 0, max(n, chunk))
	}
	out := (*free)[:n:n]
	*free = (*free)[n:n]
	return out
}

// sortLeft puts the reasons in a stable order: by code, then figures,
// the day's before a slot's.
func sortLeft(out []LeftOut) {
	slices.SortFunc(out, func(a, b LeftOut) int {
		return cmp.Or(cmp.Compare(a.Reason.Code, b.Reason.Code), cmp.Compare(a.Reason.N, b.Reason.N), cmp.Compare(a.Reason.Of, b.Reason.Of),
			cmp.Compare(a.Programme, b.Programme), cmp.Compare(a.Slot, b.Slot))
	})
}
