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
	// Recent are the last emergencies, newest first; Shown is the one whose
	// progress the page shows (?id=, else the newest), nil if none.
	Recent []emergencyView
	Shown  *emergencyView
	// Senders are the roles that may send an emergency (the setting an
	// administrator changes here).
	Senders []Role
	Roles   []Role // every role, for the setting's boxes
}

// Sends reports whether the setting lets role send an emergency.
func (d emergencyData) Sends(role Role) bool { return slices.Contains(d.Senders, role) }

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
	d := emergencyData{stationsData: sd, Items: items, Senders: p.Senders, Roles: []Role{RoleViewer, RoleEditor, RoleApprover, RoleAdmin}}
	for _, a := range alerts {
		if a.Kind == alert.KindNotPlaying {
			d.Stuck = append(d.Stuck, a)
		}
	}
	recs, err := s.recentEmergencies(showEmergencies)
	if err != nil {
		return "", err
	}
	d.Recent = s.emergencyViews(recs, d.Stuck)
	for i := range d.Recent {
		if d.Shown == nil || d.Recent[i].ID == r.URL.Query().Get("id") {
			d.Shown = &d.Recent[i]
		}
	}
	p.Title, p.Data = "em.title", d
	return "emergency", nil
}
