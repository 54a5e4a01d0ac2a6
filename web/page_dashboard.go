package web

import (
	"net/http"
	"slices"
	"time"

	"loa/broadcast/alert"
	"loa/broadcast/report"
	"loa/playlist"
	"loa/playlist/library"
)

// dashboardData is the overview: what needs attention today.
type dashboardData struct {
	Stations *stationsData
	Offline  []stationRow      // stations not heard from within the grace period
	Faulty   []stationRow      // stations reporting faults (silent output, playback errors…)
	Short    []stationRow      // online stations holding less than minPlaylistDays of playlists
	Missed   int               // planned items missed or failed today so far
	Waiting  int               // items awaiting approval
	Expiring []library.Segment // approved items whose validity ends within a week
	Today    string            // dd/mm/yyyy
	Slots    []todaySlot       // today's programme slots, in time order
	// Alerts are those of Alerts the lists above do not show: the data
	// disk low, items overdue, agents off their plan, commands not playing.
	Alerts []alert.Alert
	Map    stationMap // the ward's stations by state (station_map.go)
}

// todaySlot is one slot of today's timeline.
type todaySlot struct {
	Start, End string
	Programme  string
	Kind       playlist.SlotKind
	Cancelled  bool
}

const (
	expiringWithin = 7 * 24 * time.Hour
	// minPlaylistDays: a station holding fewer days of playlists than this
	// has not received what the planner built (it plays on from its cache
	// when the link drops, so it should always hold today and tomorrow).
	minPlaylistDays = 2
)

// missedToday counts today's planned items that were missed or failed,
// from the same reconciliation the reports use.
func (s *Server) missedToday(now time.Time, d *dashboardData) error {
	dir, err := s.report.Directory()
	if err != nil {
		return err
	}
	today := library.DateOf(now, s.fmt.loc)
	rep, err := s.report.Builder.Build(report.Range(today, today), dir)
	if err != nil {
		return err
	}
	d.Missed = rep.Totals.Missed + rep.Totals.Failed
	return nil
}

func (s *Server) dashboardPage(r *http.Request, p *pageData) (string, error) {
	now := s.now()
	d := dashboardData{Today: s.fmt.date(now)}
	var err error
	if d.Stations, err = s.stationRows(); err != nil {
		return "", err
	}
	for _, st := range d.Stations.Stations {
		if !st.Online && st.Enabled {
			d.Offline = append(d.Offline, st)
		}
		if st.Online && st.Presence != nil && len(st.Presence.Faults) > 0 {
			d.Faulty = append(d.Faulty, st)
		}
		if st.Online && st.Presence != nil && !st.Presence.StatusAt.IsZero() && st.Presence.PlaylistDays < minPlaylistDays {
			d.Short = append(d.Short, st)
		}
	}
	if err := s.libraryAlerts(now, &d); err != nil {
		return "", err
	}
	if err := s.serverAlerts(now, &d); err != nil {
		return "", err
	}
	d.Map = s.stationMap(d.Stations, d.Alerts, p.T("names.no_area"))
	if err := s.todaySlots(now, &d); err != nil {
		return "", err
	}
	if err := s.missedToday(now, &d); err != nil {
		return "", err
	}
	p.Data = d
	return "dashboard", nil
}

// dashboardKinds are the alerts the overview lists as the webhook words
// them; it shows the others (offline, faults, missed) in its own lists.
var dashboardKinds = map[string]bool{alert.KindDiskLow: true, alert.KindOverdue: true, alert.KindOverdueOffline: true,
	alert.KindOffPlan: true, alert.KindNotPlaying: true}

// serverAlerts adds the alerts the station and library lists do not
// show: the same ones the webhook sends, critical first.
func (s *Server) serverAlerts(now time.Time, d *dashboardData) error {
	alerts, err := s.Alerts(now)
	if err != nil {
		return err
	}
	for _, a := range alerts {
		if dashboardKinds[a.Kind] {
			d.Alerts = append(d.Alerts, a)
		}
	}
	return nil
}

func (s *Server) libraryAlerts(now time.Time, d *dashboardData) error {
	waiting, err := s.lib.List(library.Filter{Status: library.StatusSubmitted})
	if err != nil {
		return err
	}
	d.Waiting = len(waiting)
	approved, err := s.lib.List(library.Filter{Status: library.StatusApproved})
	if err != nil {
		return err
	}
	today, limit := library.DateOf(now, s.fmt.loc), library.DateOf(now.Add(expiringWithin), s.fmt.loc)
	for _, seg := range approved {
		if seg.ValidTo != "" && seg.ValidTo >= today && seg.ValidTo <= limit {
			d.Expiring = append(d.Expiring, seg)
		}
	}
	return nil
}

// todaySlots lists the slots every programme has today in the ward's zone,
// with the ones an exception cancels marked.
func (s *Server) todaySlots(now time.Time, d *dashboardData) error {
	progs, err := s.sched.Store.Programmes()
	if err != nil {
		return err
	}
	today := library.DateOf(now, s.fmt.loc)
	wd := now.In(s.fmt.loc).Weekday()
	for _, prog := range progs {
		for _, sl := range prog.Slots {
			on := sl.Date == today || (sl.Date == "" && slices.Contains(sl.Days, wd) && today.Within(sl.From, sl.To))
			if !on {
				continue
			}
			d.Slots = append(d.Slots, todaySlot{
				Start: sl.Start.String(), End: playlist.ClockTime((int(sl.Start) + sl.Minutes) % (24 * 60)).String(),
				Programme: prog.Name, Kind: sl.Kind, Cancelled: cancelled(prog, sl.ID, today),
			})
		}
	}
	slices.SortFunc(d.Slots, func(a, b todaySlot) int {
		if a.Start < b.Start {
			return -1
		}
		if a.Start > b.Start {
			return 1
		}
		return 0
	})
	return nil
}

func cancelled(prog playlist.Programme, slot string, day library.Date) bool {
	for _, e := range prog.Exceptions {
		if e.Date == day && (len(e.Slots) == 0 || slices.Contains(e.Slots, slot)) {
			return true
		}
	}
	return false
}
