package report

import (
	"fmt"
	"time"

	"loa/broadcast/ledger"
	"loa/internal/ward"
	"loa/playlist/library"
)

// A Plan is the planned side: the newest playlist version of every station
// and local day. The report only counts planned items per station;
// Reconcile matches them one by one.
type Plan interface {
	// PlannedDays calls fn once for every station day in [from, to] that
	// has a playlist.
	PlannedDays(from, to library.Date, fn func(DayPlan) error) error
	// PlannedCounts returns how many items each station has planned in
	// [from, to]: what PlannedDays would list, without the items.
	PlannedCounts(from, to library.Date) (map[string]int, error)
}

// DayPlan is one station's planned items of one local day.
type DayPlan struct {
	Station string
	Date    library.Date
	Items   []PlannedItem
}

// PlannedItem is one planned entry of a playlist.
type PlannedItem struct {
	ID        string // the playlist item id agents report as item_id
	SegmentID string
	Title     string
	Topic     string
	Start     time.Time
	Duration  time.Duration
}

// Directory names what the ledger only knows by id: the ward, its stations
// (in display order), groups and topics.
type Directory struct {
	Ward     string
	Stations []Station
	Groups   []Group
	Topics   []library.Topic
}

// Station is a station as the report lists it.
type Station struct {
	ID     string
	Name   string
	Groups []string
}

// Group is a group of stations.
type Group struct{ ID, Name string }

// Builder builds reports. Plan may be nil (nothing planned: compliance is
// shown as blank). Zero Zone and LateMargin mean the ledger's.
type Builder struct {
	Ledger     *ledger.Store
	Plan       Plan
	Zone       *time.Location
	LateMargin time.Duration
	Now        func() time.Time
	// ReportGrace is how long after an item's planned end its station has
	// to report it before it counts as overdue (zero: DefaultReportGrace).
	ReportGrace time.Duration
	// Scan reads every event instead of the rollups, and the aired log of
	// some stations every event of its days instead of theirs alone: for
	// checks and for measuring what the rollups and the station index save.
	Scan bool
	// Listens reads the public bulletins' online listens (nil: the report
	// has none).
	Listens Listens
}

func (b *Builder) zone() *time.Location {
	if b.Zone != nil {
		return b.Zone
	}
	return b.Ledger.Zone()
}

func (b *Builder) margin() time.Duration {
	if b.LateMargin > 0 {
		return b.LateMargin
	}
	return b.Ledger.LateMargin()
}

// useRollups: rollups are cut in the ledger's zone with its margin; any
// other cut reads the events.
func (b *Builder) useRollups() bool {
	return !b.Scan && b.zone().String() == b.Ledger.Zone().String() && b.margin() == b.Ledger.LateMargin()
}

// Build reports on period p and the period before it, as of b.Now.
func (b *Builder) Build(p Period, dir Directory) (*Report, error) {
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	return b.BuildAt(now(), p, dir)
}

// BuildAt reports on period p and the period before it as of now: items
// planned after now are not yet due.
func (b *Builder) BuildAt(now time.Time, p Period, dir Directory) (*Report, error) {
	cur, err := b.figures(p, now)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p.Code(), err)
	}
	prev, err := b.figures(p.Previous(), now)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p.Previous().Code(), err)
	}
	r := &Report{
		Ward: dir.Ward, Period: infoOf(p), Previous: infoOf(p.Previous()), Zone: b.zone().String(),
		GeneratedAt: now.UTC().Truncate(time.Second), LateMargin: Airtime(b.margin()), Source: "rollups",
	}
	if !b.useRollups() {
		r.Source = "events"
	}
	assemble(r, dir, cur, prev)
	if err := b.listenFigures(r, p); err != nil {
		return nil, fmt.Errorf("report %s: online listens: %w", p.Code(), err)
	}
	return r, nil
}

// figures are one period's sums, before they are laid out.
type figures struct {
	p        Period
	stations map[string]*stationSum
	snaps    []*snapSum // by snapshot id, dense; nil where unused
	months   map[string]*ledger.Tally
	index    map[string]int // station → bit in snapSum.reached
	problems []ProblemRow   // station names are filled in by assemble
	planned  map[string]int // planned items by station
	future   map[string]int // of them, not due yet and not reported
	weeks    weekSums       // by week of the period, for the charts
}

type stationSum struct {
	ledger.Tally // not emergency
	bit          int
}

type snapSum struct {
	snap    ledger.Snapshot
	tally   ledger.Tally
	reached []uint64 // bitset of stations
}

func newFigures(p Period) *figures {
	return &figures{p: p, stations: map[string]*stationSum{},
		months: map[string]*ledger.Tally{}, index: map[string]int{}, planned: map[string]int{}, future: map[string]int{}}
}

func (b *Builder) figures(p Period, now time.Time) (*figures, error) {
	f := newFigures(p)
	var err error
	if b.useRollups() {
		err = b.fromRollups(f)
	} else {
		err = b.fromEvents(f)
	}
	if err != nil {
		return nil, err
	}
	if b.Plan == nil {
		return f, nil
	}
	if f.planned, err = b.Plan.PlannedCounts(p.From, p.To); err != nil {
		return nil, err
	}
	if f.future, err = b.notDue(p, now); err != nil {
		return nil, err
	}
	return f, b.plannedWeeks(f)
}

func (b *Builder) fromRollups(f *figures) error {
	var (
		st       *stationSum
		stName   string
		month    *ledger.Tally
		lastDay  ward.Day
		problems int
	)
	err := b.Ledger.Rollups(f.p.From, f.p.To, func(c *ledger.Cell) error {
		if st == nil || c.Station != stName {
			st, stName = f.station(c.Station), c.Station
		}
		if c.Day != lastDay {
			month, lastDay = f.month(c.Day), c.Day
		}
		s := f.snap(c.SnapshotID)
		if s == nil {
			s = f.newSnap(c.SnapshotID, *c.Snapshot)
		}
		f.add(st, month, s, &c.Tally)
		f.addWeek(c.Station, c.Day, s, &c.Tally)
		problems += c.Count[ledger.StatusFailed] + c.Count[ledger.StatusMissed]
		return nil
	})
	if err != nil {
		return err
	}
	f.problems = make([]ProblemRow, 0, problems) // the rollups know how many
	lo, hi := f.p.Bounds(b.zone())
	return b.Ledger.Problems(lo, hi, func(e ledger.Event) error {
		f.problems = append(f.problems, problemOf(&e))
		return nil
	})
}

// fromEvents sums the same figures from every event of the period.
func (b *Builder) fromEvents(f *figures) error {
	lo, hi := f.p.Bounds(b.zone())
	ids := map[string]uint32{}
	var buf []byte
	loc, margin := b.zone(), b.margin()
	return b.Ledger.Between(lo, hi, func(e ledger.Event) error {
		buf = snapshotKey(buf[:0], &e)
		id, ok := ids[string(buf)]
		if !ok {
			id = uint32(len(ids) + 1)
			ids[string(buf)] = id
		}
		if e.Unplanned != "" { // as the rollups: listed with the problems, counted nowhere
			f.problems = append(f.problems, problemOf(&e))
			return nil
		}
		st := ledger.Classify(&e, margin)
		if st == ledger.StatusFailed || st == ledger.StatusMissed {
			f.problems = append(f.problems, problemOf(&e))
		}
		var t ledger.Tally
		t.Add(&e, st)
		month := f.month(ward.DayOf(e.Planned, loc))
		s := f.snap(id)
		if s == nil {
			s = f.newSnap(id, snapshotOf(&e))
		}
		f.add(f.station(e.StationID), month, s, &t)
		f.addWeek(e.StationID, ward.DayOf(e.Planned, loc), s, &t)
		return nil
	})
}

func snapshotKey(b []byte, e *ledger.Event) []byte {
	for _, s := range append([]string{e.SegmentID, e.Title, e.Topic, e.Level}, e.Groups...) {
		b = append(append(b, s...), 0)
	}
	if e.Emergency() {
		b = append(b, 1)
	}
	return append(b, e.Kind...)
}

func snapshotOf(e *ledger.Event) ledger.Snapshot {
	return ledger.Snapshot{SegmentID: e.SegmentID, Title: e.Title, Topic: e.Topic, Level: e.Level,
		Kind: e.Kind, Emergency: e.Emergency(), Groups: e.Groups}
}

func (f *figures) station(id string) *stationSum {
	s := f.stations[id]
	if s == nil {
		s = &stationSum{bit: len(f.index)}
		f.stations[id], f.index[id] = s, len(f.index)
	}
	return s
}

func (f *figures) month(d ward.Day) *ledger.Tally {
	k := string(d[:7]) // YYYY-MM
	m := f.months[k]
	if m == nil {
		m = new(ledger.Tally)
		f.months[k] = m
	}
	return m
}

func (f *figures) snap(id uint32) *snapSum {
	if int(id) < len(f.snaps) {
		return f.snaps[id]
	}
	return nil
}

func (f *figures) newSnap(id uint32, snap ledger.Snapshot) *snapSum {
	if int(id) >= len(f.snaps) {
		f.snaps = append(f.snaps, make([]*snapSum, int(id)+1-len(f.snaps))...)
	}
	s := &snapSum{snap: snap}
	f.snaps[id] = s
	return s
}

// add counts one cell: station st's tally t of snapshot s on a day of
// month. Emergency broadcasts count only on their snapshot.
func (f *figures) add(st *stationSum, month *ledger.Tally, s *snapSum, t *ledger.Tally) {
	s.tally.Merge(t)
	if t.OnAir() > 0 {
		w := st.bit / 64
		for len(s.reached) <= w {
			s.reached = append(s.reached, 0)
		}
		s.reached[w] |= 1 << (st.bit % 64)
	}
	if !s.snap.Emergency {
		st.Merge(t)
		month.Merge(t)
	}
}
