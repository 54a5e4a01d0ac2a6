package playlist

import (
	"cmp"
	"slices"
	"time"

	"loa/playlist/library"
)

// The order in which candidates compete for the next position of a slot:
//
//  0. priority bulletins not yet in this slot run (Circular 39: ahead of others);
//  1. segments short of their daily minimum, most owed first;
//  2. segments behind the pace of their weekly minimum (what is still owed,
//     spread over the days left in the week), most owed first;
//  3. everything else, by fair rotation: fewest plays this week (aired before
//     the build, then planned), then least recently played, then segment id.
//
// The first candidate in this order that fits the time left, respects the
// separation since its last play and is under its daily maximum gets the
// position. Tallies come from what aired, so an item that was planned but
// missed (station offline) comes back first.
const (
	tierPriority = iota
	tierMinDay
	tierMinWeek
	tierRotation
)

func (c *cand) tier() (tier, owed int) {
	switch {
	case c.priority && !c.inRun:
		return tierPriority, 0
	case c.dayCount < c.minPerDay:
		return tierMinDay, c.minPerDay - c.dayCount
	case c.dayCount < c.weekMin:
		return tierMinWeek, c.weekMin - c.dayCount
	}
	return tierRotation, 0
}

// reason says why c gets the position it is about to take.
func (c *cand) reason() Reason {
	switch t, _ := c.tier(); t {
	case tierPriority:
		return Reason{Code: WhyPriority}
	case tierMinDay:
		return Reason{Code: WhyMinDay, N: c.dayCount + 1, Of: c.minPerDay}
	case tierMinWeek:
		return Reason{Code: WhyMinWeek, N: c.weekCount + 1, Of: c.seg.Limits.MinPerWeek}
	}
	r := Reason{Code: WhyRotation, N: c.weekCount + 1, Aired: c.weekAired}
	if c.lastMs != noPlay {
		r.LastMs = c.lastMs
	}
	return r
}

// fillAudio fills [cursor, end) of an announcements or column run from the
// library and returns the next free instant.
func (st *state) fillAudio(pl *Playlist, r *SlotRun, cursor, end int64) int64 {
	rot, quota := st.rot[:0], st.quota[:0]
	for _, i := range st.master {
		c := &st.cands[i]
		c.inRun = false
		if c.usable && accepts(r, c.seg) {
			rot = append(rot, i)
			if t, _ := c.tier(); t < tierRotation {
				quota = append(quota, i)
			}
		}
	}
	for cursor < end {
		var i, k int
		if quota, i = st.pickQuota(quota, cursor, end); i >= 0 {
			k = st.search(rot, i)
		} else if k = st.pickRotation(rot, cursor, end); k >= 0 {
			i = rot[k]
		} else {
			break
		}
		c := &st.cands[i]
		why := c.reason()
		m := st.search(st.master, i)
		start := cursor
		cursor = st.place(pl, r, c.segInfo, cursor, why)
		c.count(start)
		c.inRun = true
		st.reinsert(st.master, m, i)
		st.reinsert(rot, k, i)
		if t, _ := c.tier(); t == tierRotation && why.Code != WhyRotation {
			quota = remove(quota, i) // it stays in the rotation tier for the rest of the run
		}
	}
	if cursor < end {
		st.noteKeptOut(rot, cursor, end)
	}
	st.rot, st.quota = rot, quota
	return cursor
}

// noteKeptOut notes, for a run that keeps [cursor, end) empty, the
// candidates it accepts that would fit there but could not start: too
// close to their last play (here or in an earlier slot) or at their daily
// maximum. Otherwise a slot holding only its jingle says nothing of the
// items that played an hour before elsewhere (issue 17).
func (st *state) noteKeptOut(rot []int, cursor, end int64) {
	from := len(st.kept)
	for _, i := range rot {
		c := &st.cands[i]
		if c.inRun || cursor+c.playMs > end {
			continue
		}
		switch {
		case cursor-c.lastMs < st.sepMs:
			st.kept = append(st.kept, leftPair{why: leftReason{why: whySeparation, n: st.sepMinutes(), run: st.run}, seg: c.seg.ID})
		case c.maxPerDay > 0 && c.dayCount >= c.maxPerDay:
			st.kept = append(st.kept, leftPair{why: leftReason{why: whyMaxPerDay, run: st.run}, seg: c.seg.ID})
		}
	}
	slices.SortFunc(st.kept[from:], func(a, b leftPair) int { return cmp.Compare(a.seg, b.seg) })
}

// sepMinutes is the separation in whole minutes, as reasons give it.
func (st *state) sepMinutes() int { return int(st.sepMs / time.Minute.Milliseconds()) }

// remove deletes i from list, if there, not keeping the order.
func remove(list []int, i int) []int {
	if k := slices.Index(list, i); k >= 0 {
		list[k] = list[len(list)-1]
		list = list[:len(list)-1]
	}
	return list
}

// byRotation orders candidates for fair rotation: fewest plays this week,
// then least recently played, then id (candidates are kept by segment id,
// so their indexes order them as the ids do). Keys are unique.
func (st *state) byRotation(i, j int) int {
	switch {
	case i == j:
		return 0
	case rotationBefore(&st.cands[i], i, &st.cands[j], j):
		return -1
	}
	return 1
}

// rotationBefore reports whether candidate a (index i) comes before b
// (index j) in rotation order; small enough to inline in search.
func rotationBefore(a *cand, i int, b *cand, j int) bool {
	return a.weekCount < b.weekCount || a.weekCount == b.weekCount && (a.lastMs < b.lastMs || a.lastMs == b.lastMs && i < j)
}

// sortMaster puts master in rotation order. Candidates that never played
// (no plays this week, none lately: most of them when a build starts)
// come first, by id, so only the others need sorting.
func (st *state) sortMaster() {
	fresh := 0
	for k, i := range st.master {
		if c := &st.cands[i]; c.weekCount == 0 && c.lastMs == noPlay {
			st.master[fresh], st.master[k] = st.master[k], st.master[fresh]
			fresh++
		}
	}
	slices.Sort(st.master[:fresh])
	slices.SortFunc(st.master[fresh:], st.byRotation)
}

// search returns the position in order (sorted by byRotation) where
// candidate i is or would be.
func (st *state) search(order []int, i int) int {
	c := &st.cands[i]
	lo, hi := 0, len(order)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if j := order[m]; rotationBefore(&st.cands[j], j, c, i) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// reinsert moves order[k] (candidate i, whose tallies just grew) to its
// new place; the slice keeps its length.
func (st *state) reinsert(order []int, k, i int) {
	rest := order[k+1:]
	to := st.search(rest, i)
	copy(order[k:], rest[:to])
	order[k+to] = i
}

// pickQuota returns the best-ranked candidate still owed a play (or a
// priority bulletin not yet in this run) that may start at cursor, or -1,
// and quota without the candidates that cannot play again in this run
// (too long for the time left, or at their daily maximum). Every
// candidate of quota is in a quota tier. Each is checked, so that what
// blocked it is noted.
func (st *state) pickQuota(quota []int, cursor, end int64) ([]int, int) {
	best, bestTier, bestOwed := -1, 0, 0
	kept := quota[:0]
	for _, i := range quota {
		c := &st.cands[i]
		if cursor+c.playMs > end || c.maxPerDay > 0 && c.dayCount >= c.maxPerDay {
			continue // the time left only shrinks, the count only grows
		}
		kept = append(kept, i)
		if !st.mayStart(c, cursor, end) {
			continue
		}
		t, owed := c.tier()
		if best < 0 || t < bestTier || t == bestTier && (owed > bestOwed || owed == bestOwed && st.byRotation(i, best) < 0) {
			best, bestTier, bestOwed = i, t, owed
		}
	}
	return kept, best
}

// pickRotation returns the position in rot of the first candidate in
// rotation order that may start at cursor, or -1. Candidates still in a
// quota tier were offered by pickQuota.
func (st *state) pickRotation(rot []int, cursor, end int64) int {
	for k, i := range rot {
		c := &st.cands[i]
		if t, _ := c.tier(); t == tierRotation && st.mayStart(c, cursor, end) {
			return k
		}
	}
	return -1
}

// mayStart checks the hard rules for c at cursor, noting what blocked it.
func (st *state) mayStart(c *cand, cursor, end int64) bool {
	switch {
	case cursor+c.playMs > end:
		return false
	case cursor-c.lastMs < st.sepMs:
		c.blocked = whySeparation
		return false
	case c.maxPerDay > 0 && c.dayCount >= c.maxPerDay:
		c.blocked = whyMaxPerDay
		return false
	}
	return true
}

// leftOut explains, for day d, every targeted segment that did not get a
// play, and every quota that was not met.
func (st *state) leftOut(d library.Date) []LeftOut {
	pairs := st.left[:0]
	t, _ := d.Time(time.UTC)
	weekEnds := t.Weekday() == time.Sunday
	for i := range st.cands {
		c := &st.cands[i]
		if why := c.leftWhy(); why == whySeparation {
			pairs = append(pairs, leftPair{why: leftReason{why: why, n: st.sepMinutes()}, seg: c.seg.ID})
		} else if why != whyNone {
			pairs = append(pairs, leftPair{why: leftReason{why: why}, seg: c.seg.ID})
		}
		if c.usable && c.dayCount > 0 && c.dayCount < c.minPerDay {
			pairs = append(pairs, leftPair{why: leftReason{why: whyMinDayUnmet, n: c.dayCount, of: c.minPerDay}, seg: c.seg.ID})
		}
		if weekEnds && c.usable && c.weekCount < c.seg.Limits.MinPerWeek {
			pairs = append(pairs, leftPair{why: leftReason{why: whyMinWeekUnmet, n: c.weekCount, of: c.seg.Limits.MinPerWeek}, seg: c.seg.ID})
		}
	}
	pairs = append(pairs, st.kept...)
	st.left = pairs // scratch for the next day
	return st.groupLeft(pairs)
}

// leftWhy is a left-out reason code held per candidate as a small number
// (they are noted at every position of every slot; strings cost a write
// barrier each while the collector runs).
type leftWhy uint8

const (
	whyNone leftWhy = iota
	whyJingle
	whyEmergency
	whyNoAudio
	whyValidity
	whySeparation
	whyMaxPerDay
	whyNoSlot
	whyTooLong
	whyNoRoom
	whyMinDayUnmet
	whyMinWeekUnmet
	whyPast
)

var leftWhyCodes = [...]string{whyNone: "", whyJingle: LeftJingle, whyEmergency: LeftEmergency,
	whyNoAudio: LeftNoAudio, whyValidity: LeftValidity, whySeparation: LeftSeparation, whyMaxPerDay: LeftMaxPerDay,
	whyNoSlot: LeftNoSlot, whyTooLong: LeftTooLong, whyNoRoom: LeftNoRoom, whyMinDayUnmet: LeftMinDayUnmet,
	whyMinWeekUnmet: LeftMinWeekUnmet, whyPast: LeftPast}

func (w leftWhy) code() string { return leftWhyCodes[w] }

// unusableWhy is why c cannot be scheduled at all on day d; whyNone when
// it can.
func (c *cand) unusableWhy(d library.Date) leftWhy {
	switch {
	case c.jingle:
		return whyJingle
	case c.seg.Level == library.LevelEmergency:
		return whyEmergency
	case c.playMs <= 0:
		return whyNoAudio
	case !d.Within(c.seg.ValidFrom, c.seg.ValidTo):
		return whyValidity
	}
	return whyNone
}

// leftWhy is why c got no play at all today; whyNone when it played.
func (c *cand) leftWhy() leftWhy {
	switch {
	case !c.usable:
		return c.unusable
	case c.dayCount > 0:
		return whyNone
	case !c.slotted:
		return whyNoSlot
	case !c.fits:
		return whyTooLong
	case !c.open:
		return whyPast
	case c.blocked != whyNone:
		return c.blocked
	}
	return whyNoRoom
}
