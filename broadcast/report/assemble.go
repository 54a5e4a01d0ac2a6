package report

import (
	"cmp"
	"math/bits"
	"slices"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

// assemble lays the sums of the period and the previous one out as the
// report's tables.
func assemble(r *Report, dir Directory, cur, prev *figures) {
	topics := map[string]library.Topic{}
	for _, t := range dir.Topics {
		topics[t.ID] = t
	}
	r.Totals, r.PrevTotals = totals(cur, topics), totals(prev, topics)
	r.Kinds = kindRows(cur, prev)
	r.Topics = topicRows(dir.Topics, topics, cur, prev, r.Totals.Airtime)
	r.Stations = stationRows(dir.Stations, cur, prev)
	r.Groups = groupRows(dir, cur, prev)
	r.Items = itemRows(cur)
	r.Months = monthRows(cur)
	r.Weeks = weekRows(cur)
	r.Heat = stationWeeks(cur, r.Stations)
	names := map[string]string{}
	for _, s := range dir.Stations {
		names[s.ID] = s.Name
	}
	r.Problems = problemRows(cur.problems, names)
}

// regular sums every snapshot that is not an emergency broadcast.
func (f *figures) regular(keep func(*snapSum) bool) ledger.Tally {
	var t ledger.Tally
	for _, s := range f.snaps {
		if s == nil {
			continue
		}
		if !s.snap.Emergency && (keep == nil || keep(s)) {
			t.Merge(&s.tally)
		}
	}
	return t
}

// plannedTotal sums the planned items and those of them not due yet.
func (f *figures) plannedTotal() (planned, future int) {
	for _, p := range f.planned {
		planned += p
	}
	for _, n := range f.future {
		future += n
	}
	return planned, future
}

func totals(f *figures, topics map[string]library.Topic) Totals {
	all := f.regular(nil)
	cchc := f.regular(func(s *snapSum) bool { return topics[s.snap.Topic].CCHC })
	t := Totals{Plays: all.OnAir(), Airtime: Airtime(all.Airtime), CCHCAirtime: Airtime(cchc.Airtime)}
	if all.Airtime > 0 {
		t.CCHCShare = float64(cchc.Airtime) / float64(all.Airtime)
	}
	distinct := map[string]bool{}
	for _, s := range f.snaps {
		if s == nil {
			continue
		}
		switch {
		case s.snap.Emergency:
			t.Emergency += s.tally.OnAir()
			t.EmergencyAirtime += Airtime(s.tally.Airtime)
		case s.tally.OnAir() > 0:
			distinct[cmp.Or(s.snap.SegmentID, "title:"+s.snap.Title)] = true
		}
	}
	t.DistinctItems = len(distinct)
	planned, future := f.plannedTotal()
	fill(&t.Statuses, &all, planned, future)
	return t
}

func topicRows(order []library.Topic, topics map[string]library.Topic, cur, prev *figures, airtime Airtime) []TopicRow {
	sum := func(f *figures) map[string]*ledger.Tally {
		m := map[string]*ledger.Tally{}
		for _, s := range f.snaps {
			if s == nil {
				continue
			}
			if !s.snap.Emergency {
				if m[s.snap.Topic] == nil {
					m[s.snap.Topic] = new(ledger.Tally)
				}
				m[s.snap.Topic].Merge(&s.tally)
			}
		}
		return m
	}
	c, p := sum(cur), sum(prev)
	ids := []string{}
	for _, t := range order {
		if !t.Archived || c[t.ID] != nil || p[t.ID] != nil {
			ids = append(ids, t.ID)
		}
	}
	ids = append(ids, extra(ids, c, p)...)
	rows := make([]TopicRow, 0, len(ids))
	for _, id := range ids {
		t := topicName(topics, id)
		row := TopicRow{ID: id, Name: t.Name, NameEn: t.NameEn, CCHC: t.CCHC}
		if x := c[id]; x != nil {
			row.Plays, row.Airtime = x.OnAir(), Airtime(x.Airtime)
		}
		if x := p[id]; x != nil {
			row.PrevPlays, row.PrevAirtime = x.OnAir(), Airtime(x.Airtime)
		}
		if airtime > 0 {
			row.Share = float64(row.Airtime) / float64(airtime)
		}
		rows = append(rows, row)
	}
	return rows
}

// extra lists the keys of the maps that are not in known, sorted.
func extra[V any](known []string, maps ...map[string]V) []string {
	var out []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(known, k) && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

func stationRows(dir []Station, cur, prev *figures) []PlanRow {
	ids := make([]string, 0, len(dir))
	names := map[string]string{}
	for _, s := range dir {
		ids, names[s.ID] = append(ids, s.ID), s.Name
	}
	ids = append(ids, extra(ids, cur.stations, prev.stations)...)
	ids = append(ids, extra(ids, cur.planned)...)
	rows := make([]PlanRow, 0, len(ids))
	for _, id := range ids {
		var c, p ledger.Tally
		if s := cur.stations[id]; s != nil {
			c = s.Tally
		}
		if s := prev.stations[id]; s != nil {
			p = s.Tally
		}
		rows = append(rows, planRow(id, cmp.Or(names[id], id), &c, &p,
			[2]int{cur.planned[id], cur.future[id]}, [2]int{prev.planned[id], prev.future[id]}))
	}
	return rows
}

// planRow is one station's or group's row; planned and prevPlanned hold
// the planned items and those of them not due yet.
func planRow(id, name string, c, p *ledger.Tally, planned, prevPlanned [2]int) PlanRow {
	row := PlanRow{ID: id, Name: name, Plays: c.OnAir(), Airtime: Airtime(c.Airtime),
		PrevPlays: p.OnAir(), PrevPlanned: prevPlanned[0], PrevCompliance: compliance(prevPlanned[0]-prevPlanned[1], p)}
	fill(&row.Statuses, c, planned[0], planned[1])
	return row
}

// groupRows counts aired events in the groups their station was in when
// they aired, and planned items in the groups stations are in now.
func groupRows(dir Directory, cur, prev *figures) []PlanRow {
	aired := func(f *figures) map[string]*ledger.Tally {
		m := map[string]*ledger.Tally{}
		for _, s := range f.snaps {
			if s == nil {
				continue
			}
			for _, g := range s.snap.Groups {
				if !s.snap.Emergency {
					if m[g] == nil {
						m[g] = new(ledger.Tally)
					}
					m[g].Merge(&s.tally)
				}
			}
		}
		return m
	}
	planned := func(f *figures) map[string][2]int {
		m := map[string][2]int{}
		for _, s := range dir.Stations {
			for _, g := range s.Groups {
				m[g] = [2]int{m[g][0] + f.planned[s.ID], m[g][1] + f.future[s.ID]}
			}
		}
		return m
	}
	c, p, cp, pp := aired(cur), aired(prev), planned(cur), planned(prev)
	ids := make([]string, 0, len(dir.Groups))
	names := map[string]string{}
	for _, g := range dir.Groups {
		ids, names[g.ID] = append(ids, g.ID), g.Name
	}
	ids = append(ids, extra(ids, c, p)...)
	rows := make([]PlanRow, 0, len(ids))
	for _, id := range ids {
		rows = append(rows, planRow(id, cmp.Or(names[id], id), orZero(c[id]), orZero(p[id]), cp[id], pp[id]))
	}
	return rows
}

func orZero(t *ledger.Tally) *ledger.Tally {
	if t == nil {
		return new(ledger.Tally)
	}
	return t
}

// itemRows merges snapshots by segment, title and topic: an item whose
// title was edited between airings is listed under each title it aired with.
func itemRows(f *figures) []ItemRow {
	type acc struct {
		row     ItemRow
		t       ledger.Tally
		reached []uint64
	}
	byKey := map[[3]string]*acc{}
	for _, s := range f.snaps {
		if s == nil {
			continue
		}
		if s.snap.Emergency || s.tally.OnAir() == 0 {
			continue
		}
		k := [3]string{s.snap.SegmentID, s.snap.Title, s.snap.Topic}
		a := byKey[k]
		if a == nil {
			a = &acc{row: ItemRow{SegmentID: k[0], Title: k[1], Topic: k[2]}}
			byKey[k] = a
		}
		a.t.Merge(&s.tally)
		for len(a.reached) < len(s.reached) {
			a.reached = append(a.reached, 0)
		}
		for i, w := range s.reached {
			a.reached[i] |= w
		}
	}
	rows := make([]ItemRow, 0, len(byKey))
	for _, a := range byKey {
		a.row.Plays, a.row.Airtime = a.t.OnAir(), Airtime(a.t.Airtime)
		for _, w := range a.reached {
			a.row.Stations += bits.OnesCount64(w)
		}
		rows = append(rows, a.row)
	}
	slices.SortFunc(rows, func(x, y ItemRow) int {
		return cmp.Or(cmp.Compare(y.Plays, x.Plays), cmp.Compare(y.Airtime, x.Airtime),
			cmp.Compare(x.Title, y.Title), cmp.Compare(x.SegmentID, y.SegmentID), cmp.Compare(x.Topic, y.Topic))
	})
	return rows
}

func monthRows(f *figures) []MonthRow {
	var rows []MonthRow
	last := day(f.p.To)
	for m := day(f.p.From); !m.After(last); m = time.Date(m.Year(), m.Month()+1, 1, 0, 0, 0, 0, time.UTC) {
		k := m.Format("2006-01")
		mp := Month(m.Year(), int(m.Month()))
		row := MonthRow{Month: k, NameVi: mp.Name("vi"), NameEn: mp.Name("en")}
		if t := f.months[k]; t != nil {
			row.Plays, row.Airtime = t.OnAir(), Airtime(t.Airtime)
		}
		rows = append(rows, row)
	}
	return rows
}

// problemOf is a failed or missed event as the report lists it.
func problemOf(e *ledger.Event) ProblemRow {
	if e.Unplanned != "" { // airtime the station invented: shown, counted nowhere
		return ProblemRow{Planned: e.Planned, Station: e.StationID, Title: e.Title, Topic: e.Topic, Status: StatusUnplanned,
			Reason: e.Unplanned, ReasonVi: reasonText("vi", e.Unplanned), ReasonEn: reasonText("en", e.Unplanned)}
	}
	status := ledger.StatusFailed
	if e.Outcome == "missed" {
		status = ledger.StatusMissed
	}
	return ProblemRow{Planned: e.Planned, Station: e.StationID, Title: e.Title, Topic: e.Topic, Status: status.String(),
		Reason: e.Reason, ReasonVi: reasonText("vi", e.Reason), ReasonEn: reasonText("en", e.Reason)}
}

// problemRows names the stations of the problem rows.
func problemRows(rows []ProblemRow, names map[string]string) []ProblemRow {
	for i := range rows {
		rows[i].StationName = cmp.Or(names[rows[i].Station], rows[i].Station)
	}
	return rows
}
