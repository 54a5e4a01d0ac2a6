package playlist

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"loa/playlist/library"
)

// A Station is what the builder needs to know about a station: the station
// registry converts its own records into this, so that playlist never
// imports it.
type Station struct {
	ID     string
	Groups []string
	Zone   *time.Location // the station's IANA zone; required
}

// Notes on a compiled slot, saying how its local time was turned into an
// instant.
const (
	// NoteDSTGap: the wall-clock start does not exist that day (clocks jump
	// forward over it); the slot starts at the first instant after the
	// jump and keeps its full length.
	NoteDSTGap = "dst_gap_shifted"
	// NoteDSTAmbiguous: the wall-clock start happens twice that day (clocks
	// fall back); the slot runs once, at the first occurrence.
	NoteDSTAmbiguous = "dst_ambiguous_first"
	// NoteClipped: the slot overlapped an earlier-starting slot of the same
	// station and starts when that one ends.
	NoteClipped = "clipped_by_overlap"
	// NoteHidden: the slot lies entirely inside an earlier-starting slot
	// and has no airtime of its own.
	NoteHidden = "hidden_by_overlap"
)

// A SlotRun is one slot compiled for one station and local day into UTC
// instants. Slots of a day never overlap: where programmes collide, the slot
// that starts first keeps its time (ties go by programme id, then slot id).
type SlotRun struct {
	Programme string   `json:"programme"`
	Slot      string   `json:"slot"`
	Kind      SlotKind `json:"kind"`
	StartMs   int64    `json:"start_ms"`
	EndMs     int64    `json:"end_ms"`
	Note      string   `json:"note,omitempty"`

	prog *Programme
	slot *Slot
}

// Start and End return the run's instants in UTC.
func (r SlotRun) Start() time.Time { return time.UnixMilli(r.StartMs).UTC() }
func (r SlotRun) End() time.Time   { return time.UnixMilli(r.EndMs).UTC() }

// compileDay returns the slot runs of programmes for station on local day d,
// in start order, without overlaps.
func compileDay(programmes []Programme, st Station, d library.Date) ([]SlotRun, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("compile day %q: not a calendar day", d)
	}
	wd := d.Weekday()
	var runs []SlotRun
	for i := range programmes {
		p := &programmes[i]
		if !p.Targets.Includes(st.ID, st.Groups) {
			continue
		}
		for j := range p.Slots {
			s := &p.Slots[j]
			if !s.on(d, wd) || p.cancelled(d, s.ID) {
				continue
			}
			start, note := LocalInstant(d, s.Start, st.Zone)
			end := start.Add(time.Duration(s.Minutes) * time.Minute)
			runs = append(runs, SlotRun{Programme: p.ID, Slot: s.ID, Kind: s.Kind,
				StartMs: start.UnixMilli(), EndMs: end.UnixMilli(), Note: note, prog: p, slot: s})
		}
	}
	slices.SortFunc(runs, func(a, b SlotRun) int {
		return cmp.Or(cmp.Compare(a.StartMs, b.StartMs), cmp.Compare(a.Programme, b.Programme), cmp.Compare(a.Slot, b.Slot))
	})
	return unoverlap(runs), nil
}

// unoverlap clips each run to start no earlier than the end of the runs
// before it; a run left with no time keeps a zero length and NoteHidden.
func unoverlap(runs []SlotRun) []SlotRun {
	var busyUntil int64
	for i := range runs {
		r := &runs[i]
		if r.StartMs >= busyUntil {
			busyUntil = r.EndMs
			continue
		}
		if r.EndMs <= busyUntil {
			r.StartMs, r.Note = r.EndMs, NoteHidden
			continue
		}
		r.StartMs, r.Note = busyUntil, NoteClipped
		busyUntil = r.EndMs
	}
	return runs
}

// LocalInstant turns the wall-clock time c on calendar day day into an
// instant in loc, explicitly:
// Go's time.Date leaves the choice unspecified in the two cases that matter.
// A time skipped by a forward jump maps to the instant of the jump
// (NoteDSTGap); a time that happens twice maps to its first occurrence
// (NoteDSTAmbiguous).
func LocalInstant(day library.Date, c ClockTime, loc *time.Location) (time.Time, string) {
	y, m, d := day.Date()
	naive := time.Date(y, m, d, int(c)/60, int(c)%60, 0, 0, time.UTC)
	var found []time.Time
	minOffset := 1 << 30
	for _, probe := range []time.Duration{-26 * time.Hour, 0, 26 * time.Hour} {
		_, off := naive.Add(probe).In(loc).Zone()
		minOffset = min(minOffset, off)
		t := naive.Add(-time.Duration(off) * time.Second)
		if sameWall(t.In(loc), naive) && !slices.ContainsFunc(found, t.Equal) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		// Read with the smaller (pre-jump) offset, the wall time lands
		// after the jump; the zone period it falls in starts at the jump.
		after := naive.Add(-time.Duration(minOffset) * time.Second)
		start, _ := after.In(loc).ZoneBounds()
		return start.UTC(), NoteDSTGap
	case 1:
		return found[0].UTC(), ""
	}
	slices.SortFunc(found, time.Time.Compare)
	return found[0].UTC(), NoteDSTAmbiguous
}

func sameWall(local, naive time.Time) bool {
	y1, m1, d1 := local.Date()
	y2, m2, d2 := naive.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && local.Hour() == naive.Hour() && local.Minute() == naive.Minute()
}

// weekStart returns the Monday of d's ISO week.
func weekStart(d library.Date) library.Date {
	return d.AddDays(-(int(d.Weekday()) + 6) % 7)
}

// addDays returns the calendar day n days after d.
func addDays(d library.Date, n int) library.Date {
	return d.AddDays(n)
}

// dayStart returns the first instant of local day d in loc (midnight, or
// the end of a jump over midnight).
func dayStart(d library.Date, loc *time.Location) time.Time {
	s, _ := LocalInstant(d, 0, loc)
	return s
}
