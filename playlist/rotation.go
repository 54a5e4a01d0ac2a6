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
	order := make([]int, 0, len(st.cands))
	for i := range st.cands {
		c := &st.cands[i]
		c.inRun = false
		if c.usable && accepts(r, c.seg) {
			order = append(order, i)
		}
	}
	byRank := func(i, j int) int { return compareCands(&st.cands[i], &st.cands[j]) }
	slices.SortFunc(order, byRank)
	for cursor < end {
		k := st.pick(order, cursor, end)
		if k < 0 {
			break
		}
		i := order[k]
		c := &st.cands[i]
		start := cursor
		cursor = st.place(pl, r, c.segInfo, cursor, c.reason())
		c.count(start)
		c.inRun = true
		order = slices.Delete(order, k, k+1)
		at, _ := slices.BinarySearchFunc(order, i, byRank)
		order = slices.Insert(order, at, i)
	}
	return cursor
}

// pick returns the position in order of the first candidate that may start
// at cursor, or -1.
func (st *state) pick(order []int, cursor, end int64) int {
	sep := st.b.cfg.Separation.Milliseconds()
	for k, i := range order {
		c := &st.cands[i]
		switch {
		case cursor+c.playMs > end:
		case cursor-c.lastMs < sep:
			c.blocked = LeftSeparation
		case c.seg.Limits.MaxPerDay > 0 && c.dayCount >= c.seg.Limits.MaxPerDay:
			c.blocked = LeftMaxPerDay
		default:
			return k
		}
	}
	return -1
}

// leftOut explains, for day d, every targeted segment that did not get a
// play, and every quota that was not met.
func (st *state) leftOut(d library.Date) []LeftOut {
	var ids []uint64
	var why []Reason
	add := func(id uint64, r Reason) { ids, why = append(ids, id), append(why, r) }
	t, _ := d.Time(time.UTC)
	weekEnds := t.Weekday() == time.Sunday
	for i := range st.cands {
		c := &st.cands[i]
		if code := c.leftCode(d); code != "" {
			add(c.seg.ID, Reason{Code: code})
		}
		if c.usable && c.dayCount > 0 && c.dayCount < c.seg.Limits.MinPerDay {
			add(c.seg.ID, Reason{Code: LeftMinDayUnmet, N: c.dayCount, Of: c.seg.Limits.MinPerDay})
		}
		if weekEnds && c.usable && c.weekCount < c.seg.Limits.MinPerWeek {
			add(c.seg.ID, Reason{Code: LeftMinWeekUnmet, N: c.weekCount, Of: c.seg.Limits.MinPerWeek})
		}
	}
	return groupLeft(ids, why)
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
