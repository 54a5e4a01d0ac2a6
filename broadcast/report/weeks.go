package report

import (
	"fmt"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

// Weeks of a period, for the charts: the period cut into runs of seven
// days from its first day (the last run may be shorter), with what was
// planned and what went on air in each, for the ward and for each station.

// WeekRow is one week of the period.
type WeekRow struct {
	From    library.Date `json:"from"`
	To      library.Date `json:"to"`
	Name    string       `json:"name"` // 06/07–12/07
	Planned int          `json:"planned"`
	Plays   int          `json:"plays"`
	Airtime Airtime      `json:"airtime"`
}

// StationWeeks is one station's completion week by week (-1: nothing due).
type StationWeeks struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Compliance []float64 `json:"compliance"`
}

// weekSums are the weeks' tallies: the ward's, and each station's.
type weekSums struct {
	ward     []ledger.Tally
	stations map[string][]ledger.Tally
	planned  []map[string]int // by week, by station
}

// week is the index of local day d in the period.
func (f *figures) week(d library.Date) int { return d.Sub(f.p.From) / 7 }

func (f *figures) weekCount() int { return (f.p.Days() + 6) / 7 }

// addWeek counts tally t of snapshot s, aired at station on local day d,
// in its week (emergencies are not planned: they stay out).
func (f *figures) addWeek(station string, d library.Date, s *snapSum, t *ledger.Tally) {
	w := f.week(d)
	if s.snap.Emergency || w < 0 || w >= f.weekCount() {
		return
	}
	if f.weeks.ward == nil {
		f.weeks.ward, f.weeks.stations = make([]ledger.Tally, f.weekCount()), map[string][]ledger.Tally{}
	}
	f.weeks.ward[w].Merge(t)
	st := f.weeks.stations[station]
	if st == nil {
		st = make([]ledger.Tally, f.weekCount())
		f.weeks.stations[station] = st
	}
	st[w].Merge(t)
}

// weekDays is week w's first and last day.
func (f *figures) weekDays(w int) (library.Date, library.Date) {
	from := f.p.From.AddDays(7 * w)
	return from, min(from.AddDays(6), f.p.To)
}

// plannedWeeks reads the planned items of every week, by station.
func (b *Builder) plannedWeeks(f *figures) error {
	f.weeks.planned = make([]map[string]int, f.weekCount())
	for w := range f.weeks.planned {
		from, to := f.weekDays(w)
		counts, err := b.Plan.PlannedCounts(from, to)
		if err != nil {
			return err
		}
		f.weeks.planned[w] = counts
	}
	return nil
}

// weekRows lays the weeks out; a week planned with nothing aired shows 0.
func weekRows(f *figures) []WeekRow {
	rows := make([]WeekRow, f.weekCount())
	for w := range rows {
		from, to := f.weekDays(w)
		rows[w] = WeekRow{From: from, To: to, Name: fmt.Sprintf("%s–%s", day(from).Format("02/01"), day(to).Format("02/01"))}
		if w < len(f.weeks.ward) {
			rows[w].Plays, rows[w].Airtime = f.weeks.ward[w].OnAir(), Airtime(f.weeks.ward[w].Airtime)
		}
		if w < len(f.weeks.planned) {
			for _, n := range f.weeks.planned[w] {
				rows[w].Planned += n
			}
		}
	}
	return rows
}

// stationWeeks is each station's completion by week, in the stations
// table's order: plays over planned items (capped at 1), -1 when nothing
// was planned. Weeks still ahead count what is planned in them.
func stationWeeks(f *figures, rows []PlanRow) []StationWeeks {
	out := make([]StationWeeks, 0, len(rows))
	for _, r := range rows {
		sw := StationWeeks{ID: r.ID, Name: r.Name, Compliance: make([]float64, f.weekCount())}
		for w := range sw.Compliance {
			var t ledger.Tally
			if st := f.weeks.stations[r.ID]; st != nil {
				t = st[w]
			}
			planned := 0
			if w < len(f.weeks.planned) {
				planned = f.weeks.planned[w][r.ID]
			}
			sw.Compliance[w] = compliance(planned, &t)
		}
		out = append(out, sw)
	}
	return out
}
