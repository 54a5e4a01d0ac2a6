package web

import (
	"net/http"

	"loa/stations"
)

// stationsData is the stations page: every station with its last known
// state (live updates follow over /api/live), and the groups.
type stationsData struct {
	Available bool
	Stations  []stationRow
	Groups    []stations.Group
	Online    int
}

type stationRow struct {
	stationView
	LastSeen   string
	NowPlaying string
	Fill       string // the edit form's values, JSON for app.js
}

func (s *Server) stationRows() (*stationsData, error) {
	d := &stationsData{}
	l, err := s.stationLink()
	if err != nil {
		return d, nil // the page says the station link is not available
	}
	d.Available = true
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
		if row.Online {
			d.Online++
		}
		row.Fill = mustJSON(map[string]any{"name": st.Name, "groups": st.Groups, "zone": st.Zone, "volume": st.Volume, "enabled": st.Enabled})
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
	p.Data = d
	return "stations", nil
}
