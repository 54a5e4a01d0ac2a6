package report

import (
	"fmt"
	"strconv"
	"time"

	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// PlaylistPlan is the Plan kept by the playlist store: the newest version
// of every station's day, read from the store's plan summaries. Stations
// lists the stations to read.
type PlaylistPlan struct {
	Store    *playlist.Store
	Stations func() ([]string, error)
}

// PlannedDays implements Plan.
func (p PlaylistPlan) PlannedDays(from, to library.Date, fn func(DayPlan) error) error {
	ids, err := p.Stations()
	if err != nil || len(ids) == 0 { // no station in the registry: nothing planned
		return wrapPlan(err)
	}
	segs := map[uint64]string{} // segment ids repeat day after day: one string each
	err = p.Store.PlannedBetween(from, to, ids, func(d *playlist.PlannedDay) error {
		return fn(dayPlanOf(d, segs))
	})
	return wrapPlan(err)
}

// PlannedDaysOf implements StationPlan: only stations' days are read.
func (p PlaylistPlan) PlannedDaysOf(from, to library.Date, stations []string, fn func(DayPlan) error) error {
	if len(stations) == 0 {
		return nil
	}
	segs := map[uint64]string{}
	err := p.Store.PlannedBetween(from, to, stations, func(d *playlist.PlannedDay) error {
		return fn(dayPlanOf(d, segs))
	})
	return wrapPlan(err)
}

// PlannedCounts implements Plan.
func (p PlaylistPlan) PlannedCounts(from, to library.Date) (map[string]int, error) {
	ids, err := p.Stations()
	if err != nil || len(ids) == 0 {
		return map[string]int{}, wrapPlan(err)
	}
	counts, err := p.Store.PlannedCounts(from, to, ids...)
	return counts, wrapPlan(err)
}

func wrapPlan(err error) error {
	if err != nil {
		return fmt.Errorf("planned days: %w", err)
	}
	return nil
}

func dayPlanOf(pd *playlist.PlannedDay, segs map[uint64]string) DayPlan {
	d := DayPlan{Station: pd.Station, Date: pd.Date, Items: make([]PlannedItem, len(pd.Items))}
	for i, it := range pd.Items {
		seg, ok := segs[it.SegmentID]
		if !ok && it.SegmentID != 0 {
			seg = strconv.FormatUint(it.SegmentID, 10)
			segs[it.SegmentID] = seg
		}
		d.Items[i] = PlannedItem{ID: it.ID, SegmentID: seg, Title: it.Title, Topic: it.Topic,
			Start: time.UnixMilli(it.StartMs).UTC(), Duration: time.Duration(it.DurationMs) * time.Millisecond}
	}
	return d
}

// DirectoryOf reads the names a report shows from the station registry and
// the library, as they are now.
func DirectoryOf(ward string, st *stations.Store, lib *library.Store) (Directory, error) {
	dir := Directory{Ward: ward}
	all, err := st.Stations()
	if err != nil {
		return dir, fmt.Errorf("report directory: %w", err)
	}
	for _, s := range all {
		dir.Stations = append(dir.Stations, Station{ID: s.ID, Name: s.Name, Groups: s.Groups})
	}
	groups, err := st.Groups()
	if err != nil {
		return dir, fmt.Errorf("report directory: %w", err)
	}
	for _, g := range groups {
		dir.Groups = append(dir.Groups, Group{ID: g.ID, Name: g.Name})
	}
	if dir.Topics, err = lib.Topics(); err != nil {
		return dir, fmt.Errorf("report directory: %w", err)
	}
	return dir, nil
}

// StationIDs lists the registry's station ids, for PlaylistPlan.
func StationIDs(st *stations.Store) func() ([]string, error) {
	return func() ([]string, error) {
		all, err := st.Stations()
		ids := make([]string, len(all))
		for i, s := range all {
			ids[i] = s.ID
		}
		return ids, err
	}
}
