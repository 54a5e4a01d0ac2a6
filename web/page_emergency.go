package web

import (
	"net/http"
	"slices"

	"loa/playlist/library"
)

// emergencyData is the emergency page: what can be played (approved
// items, emergency level first) and where.
type emergencyData struct {
	*stationsData
	Items []library.Segment
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
	p.Title, p.Data = "em.title", emergencyData{stationsData: sd, Items: items}
	return "emergency", nil
}
