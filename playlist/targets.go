package playlist

// targetIndex finds the segments a station is targeted by without asking
// each of the library's segments (Targets.Includes) for each station.
type targetIndex struct {
	all       []int // positions in Builder.segs
	byGroup   map[string][]int
	byStation map[string][]int
	segs      int
}

func newTargetIndex(segs []segInfo) targetIndex {
	x := targetIndex{byGroup: map[string][]int{}, byStation: map[string][]int{}, segs: len(segs)}
	for i := range segs {
		t := &segs[i].seg.Targets
		if t.All {
			x.all = append(x.all, i)
		}
		for _, g := range t.Groups {
			x.byGroup[g] = append(x.byGroup[g], i)
		}
		for _, s := range t.Stations {
			x.byStation[s] = append(x.byStation[s], i)
		}
	}
	return x
}

// targeted marks the segments of a station: marks[i] for Builder.segs[i],
// n of them.
type targeted struct {
	marks []bool
	n     int
}

// of marks the segments station is targeted by, as Targets.Includes
// decides, in marks (all false, or nil; grown to the library's length).
func (x *targetIndex) of(station Station, marks []bool) targeted {
	if len(marks) < x.segs {
		marks = make([]bool, x.segs)
	}
	t := targeted{marks: marks[:x.segs]}
	mark := func(list []int) {
		for _, i := range list {
			if !t.marks[i] {
				t.marks[i] = true
				t.n++
			}
		}
	}
	mark(x.all)
	mark(x.byStation[station.ID])
	for _, g := range station.Groups {
		mark(x.byGroup[g])
	}
	return t
}
