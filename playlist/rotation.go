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
	case c.seg.Level == library.LevelPriority && !c.inRun:
		return tierPriority, 0
	case c.dayCount < c.seg.Limits.MinPerDay:
		return tierMinDay, c.seg.Limits.MinPerDay - c.dayCount
	case c.dayCount < c.weekMin:
		return tierMinWeek, c.weekMin - c.dayCount
	}
	return tierRotation, 0
}

func compareCands(a, b *cand) int {
	ta, oa := a.tier()
	tb, ob := b.tier()
	return cmp.Or(cmp.Compare(ta, tb), cmp.Compare(ob, oa), cmp.Compare(a.weekCount, b.weekCount),
		cmp.Compare(a.lastMs, b.lastMs), cmp.Compare(a.seg.ID, b.seg.ID))
}

// reason says why c gets the position it is about to take.
func (c *cand) reason() Reason {
	switch t, _ := c.tier(); t {
	case tierPriority:
		return Reason{Code: WhyPriority}
	case tierMinDay:
		return Reason{Code: WhyMinDay, N: c.dayCount + 1, Of: c.seg.Limits.MinPerDay}
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
		i, ok := st.pickQuota(quota, cursor, end)
		if !ok {
			i, ok = st.pickRotation(rot, cursor, end)
		}
		if !ok {
			break
		}
		c := &st.cands[i]
		why := c.reason()
		oldMaster, oldRot := st.find(st.master, i), st.find(rot, i)
		start := cursor
		cursor = st.place(pl, r, c.segInfo, cursor, why)
		c.count(start)
		c.inRun = true
		st.reinsert(st.master, oldMaster, i)
		st.reinsert(rot, oldRot, i)
	}
	st.rot, st.quota = rot, quota
	return cursor
}

// byRotation orders candidates for fair rotation: fewest plays this week,
// then least recently played, then id. Keys are unique.
func (st *state) byRotation(i, j int) int {
	a, b := &st.cands[i], &st.cands[j]
	return cmp.Or(cmp.Compare(a.weekCount, b.weekCount), cmp.Compare(a.lastMs, b.lastMs), cmp.Compare(a.seg.ID, b.seg.ID))
}

func (st *state) sortMaster() { slices.SortFunc(st.master, st.byRotation) }

func (st *state) find(order []int, i int) int {
	k, _ := slices.BinarySearchFunc(order, i, st.byRotation)
	return k
}

// reinsert moves order[k] (candidate i, whose tallies just grew) to its
// new place; the slice keeps its length.
func (st *state) reinsert(order []int, k, i int) {
	rest := order[k+1:]
	to, _ := slices.BinarySearchFunc(rest, i, st.byRotation)
	copy(order[k:], rest[:to])
	order[k+to] = i
}

// pickQuota returns the best-ranked candidate still owed a play (or a
// priority bulletin not yet in this run) that may start at cursor.
func (st *state) pickQuota(quota []int, cursor, end int64) (int, bool) {
	best := -1
	for _, i := range quota {
		c := &st.cands[i]
		if t, _ := c.tier(); t == tierRotation || !st.mayStart(c, cursor, end) {
			continue
		}
		if best < 0 || compareCands(c, &st.cands[best]) < 0 {
			best = i
		}
	}
	return best, best >= 0
}

// pickRotation returns the first candidate in rotation order that may start
// at cursor. Candidates still in a quota tier were offered by pickQuota.
func (st *state) pickRotation(rot []int, cursor, end int64) (int, bool) {
	for _, i := range rot {
		c := &st.cands[i]
		if t, _ := c.tier(); t == tierRotation && st.mayStart(c, cursor, end) {
			return i, true
		}
	}
	return -1, false
}

// mayStart checks the hard rules for c at cursor, noting what blocked it.
func (st *state) mayStart(c *cand, cursor, end int64) bool {
	switch {
	case cursor+c.playMs > end:
		return false
	case cursor-c.lastMs < st.b.cfg.Separation.Milliseconds():
		c.blocked = LeftSeparation
		return false
	case c.seg.Limits.MaxPerDay > 0 && c.dayCount >= c.seg.Limits.MaxPerDay:
		c.blocked = LeftMaxPerDay
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
		if code := c.leftCode(d); code != "" {
			pairs = append(pairs, leftPair{Reason{Code: code}, c.seg.ID})
		}
		if c.usable && c.dayCount > 0 && c.dayCount < c.seg.Limits.MinPerDay {
			pairs = append(pairs, leftPair{Reason{Code: LeftMinDayUnmet, N: c.dayCount, Of: c.seg.Limits.MinPerDay}, c.seg.ID})
		}
		if weekEnds && c.usable && c.weekCount < c.seg.Limits.MinPerWeek {
			pairs = append(pairs, leftPair{Reason{Code: LeftMinWeekUnmet, N: c.weekCount, Of: c.seg.Limits.MinPerWeek}, c.seg.ID})
		}
	}
	st.left = pairs // scratch for the next day
	return groupLeft(pairs)
}

// leftCode is why c got no play at all on day d; "" when it played.
func (c *cand) leftCode(d library.Date) string {
	switch {
	case c.jingle:
		return LeftJingle
	case c.seg.Level == library.LevelEmergency:
		return LeftEmergency
	case c.playMs <= 0:
		return LeftNoAudio
	case !d.Within(c.seg.ValidFrom, c.seg.ValidTo):
		return LeftValidity
	case c.dayCount > 0:
		return ""
	case !c.slotted:
		return LeftNoSlot
	case !c.fits:
		return LeftTooLong
	case c.blocked != "":
		return c.blocked
	}
	return LeftNoRoom
}
