package web

import (
	"net/http"
	"slices"

	"loa/broadcast/alert"
	"loa/playlist/library"
)

// emergencyData is the emergency page: what can be played (approved
// items, emergency level first) and where.
type emergencyData struct {
	*stationsData
	Items []library.Segment
	// Stuck are the stations holding an emergency or live command they do
	// not play (alert command_not_playing): a problem, not progress.
	Stuck []alert.Alert
}

func (s *Server) emergencyPage(r *http.Request, p *pageData) (string, error) {
	sd, err := s.stationRows()
	if err != nil {
		return "", err
	}
	items, err := s.lib.List(library.Filter{Status: library.StatusApproved})
	if err != nil {
		return "", err
	}
	// Emergency bulletins first, then priority, then the rest; newest
	// first within a level (List's order, kept by the stable sort).
	rank := func(l library.Level) int { return -slices.Index(library.Levels, l) }
	slices.SortStableFunc(items, func(a, b library.Segment) int { return rank(a.Level) - rank(b.Level) })
	alerts, err := s.Alerts(s.now())
	if err != nil {
		return "", err
	}
	d := emergencyData{stationsData: sd, Items: items}
	for _, a := range alerts {
		if a.Kind == alert.KindNotPlaying {
			d.Stuck = append(d.Stuck, a)
		}
	}
	p.Title, p.Data = "em.title", d
	return "emergency", nil
}
