package web

import (
	"net/http"
	"time"

	"loa/playlist/library"
)

// dashboardData is the overview: what needs attention today.
type dashboardData struct {
	Waiting  int               // items awaiting approval
	Expiring []library.Segment // approved items whose validity ends within a week
	Today    string            // dd/mm/yyyy
}

const expiringWithin = 7 * 24 * time.Hour

func (s *Server) dashboardPage(r *http.Request, p *pageData) (string, error) {
	now := s.now()
	d := dashboardData{Today: s.fmt.date(now)}
	waiting, err := s.lib.List(library.Filter{Status: library.StatusSubmitted})
	if err != nil {
		return "", err
	}
	d.Waiting = len(waiting)
	approved, err := s.lib.List(library.Filter{Status: library.StatusApproved})
	if err != nil {
		return "", err
	}
	today, limit := library.DateOf(now, s.fmt.loc), library.DateOf(now.Add(expiringWithin), s.fmt.loc)
	for _, seg := range approved {
		if seg.ValidTo != "" && seg.ValidTo >= today && seg.ValidTo <= limit {
			d.Expiring = append(d.Expiring, seg)
		}
	}
	p.Data = d
	return "dashboard", nil
}
