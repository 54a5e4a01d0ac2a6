package web

import (
	"net/http"
	"time"

	"loa/broadcast/alert"
	"loa/stations"
)

// stationsData is the stations page: every station with its last known
// state (live updates follow over /api/live), and the groups.
type stationsData struct {
	Stations []stationRow
	Groups   []stations.Group
	Online   int
	Names    wardNames // the areas by name, for the table and the pickers
}

type stationRow struct {
	stationView
	LastSeen   string
	NowPlaying string
	Doing      *doing // what the agent says it does; nil: nothing known
	Fill       string // the edit form's values, JSON for app.js
	// Alerts are the station's own alerts the stations page words (items
	// overdue, agent off its plan, commands not playing).
	Alerts []alert.Alert
}

// stationPageKinds are the alerts the stations page shows on a station's
// row; its status cell already says offline and faults.
var stationPageKinds = map[string]bool{alert.KindOverdue: true, alert.KindOverdueOffline: true, alert.KindOffPlan: true, alert.KindNotPlaying: true}

// doing is what a station's agent says it does, for the pages: playing
// an item (since a time) or waiting for one (at a time). The page words
// it in its language (Text).
type doing struct {
	Key   string // st.playing, st.playing_since or st.waiting_for
	Title string
	At    string // ward time: HH:MM today, else dd/mm/yyyy HH:MM
}

// doingOf reads p's status at now.
func (f formatter) doingOf(p *stations.Presence, now time.Time) *doing {
	switch {
	case p == nil:
		return nil
	case p.NowPlaying != nil && p.NowPlaying.StartedAt.IsZero():
		return &doing{Key: "st.playing", Title: p.NowPlaying.Title}
	case p.NowPlaying != nil:
		return &doing{Key: "st.playing_since", Title: p.NowPlaying.Title, At: f.timeOfDay(p.NowPlaying.StartedAt, now)}
	case p.Waiting != nil:
		return &doing{Key: "st.waiting_for", Title: p.Waiting.Title, At: f.timeOfDay(p.Waiting.PlannedAt, now)}
	}
	return nil
}

// timeOfDay writes t as HH:MM when it is on now's day in the ward, else
// with its date.
func (f formatter) timeOfDay(t, now time.Time) string {
	if f.date(t) == f.date(now) {
		return f.clock(t)
	}
	return f.dateTime(t)
}

// Text is d in lang; "" for nil.
func (d *doing) Text(lang string) string {
	switch {
	case d == nil:
		return ""
	case d.At == "":
		return T(lang, d.Key, d.Title)
	}
	return T(lang, d.Key, d.Title, d.At)
}

func (s *Server) stationRows() (*stationsData, error) {
	d := &stationsData{}
	l := s.link
	all, err := l.Stations.Stations()
	if err != nil {
		return nil, err
	}
	for _, st := range all {
		row := stationRow{stationView: s.viewStation(l, st)}
		if p := row.Presence; p != nil {
			row.LastSeen = s.fmt.dateTime(p.LastSeen)
			if p.NowPlaying != nil {
				row.NowPlaying = p.NowPlaying.Title
			}
		}
		row.Doing = s.fmt.doingOf(row.Presence, s.now())
		if row.Online {
			d.Online++
		}
		zone := st.Zone // the ward's own zone shows as the field's hint (Giờ Việt Nam); empty keeps the zone
		if zone == s.fmt.loc.String() {
			zone = ""
		}
		row.Fill = mustJSON(map[string]any{"name": st.Name, "groups": st.Groups, "zone": zone, "volume": st.Volume, "enabled": st.Enabled,
			"location": positionFill(st.Location)})
		d.Stations = append(d.Stations, row)
	}
	if d.Groups, err = l.Stations.Groups(); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) stationsPage(r *http.Request, p *pageData) (string, error) {
	d, err := s.stationRows()
	if err != nil {
		return "", err
	}
	d.Names = s.wardNames(p.Lang)
	alerts, err := s.Alerts(s.now())
	if err != nil {
		return "", err
	}
	rows := map[string]*stationRow{}
	for i := range d.Stations {
		rows[d.Stations[i].ID] = &d.Stations[i]
	}
	for _, a := range alerts {
		if row := rows[a.Station]; row != nil && stationPageKinds[a.Kind] {
			row.Alerts = append(row.Alerts, a)
		}
	}
	p.Data = d
	return "stations", nil
}
