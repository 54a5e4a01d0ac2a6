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
// of every station's day. Stations lists the stations to read.
type PlaylistPlan struct {
	Store    *playlist.Store
	Stations func() ([]string, error)
}

// PlannedDays implements Plan.
func (p PlaylistPlan) PlannedDays(from, to library.Date, fn func(DayPlan) error) error {
	ids, err := p.Stations()
	if err != nil {
		return fmt.Errorf("planned days: %w", err)
	}
	for _, id := range ids {
		pls, err := p.Store.PlaylistsFor(id, from)
		if err != nil {
			return fmt.Errorf("planned days of %s: %w", id, err)
		}
		for _, pl := range pls {
			if pl.Date > to {
				break
			}
			if err := fn(dayPlanOf(pl)); err != nil {
				return err
			}
		}
	}
	return nil
}

func dayPlanOf(pl playlist.Playlist) DayPlan {
	d := DayPlan{Station: pl.Station, Date: pl.Date, Items: make([]PlannedItem, len(pl.Items))}
	for i, it := range pl.Items {
		seg := ""
		if it.SegmentID != 0 {
			seg = strconv.FormatUint(it.SegmentID, 10)
		}
		d.Items[i] = PlannedItem{ID: it.ID, SegmentID: seg, Title: it.Title, Topic: it.Topic, Start: it.Start(),
			Duration: time.Duration(it.DurationMs) * time.Millisecond}
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
