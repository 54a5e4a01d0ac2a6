package web

import (
	"net/http"
	"slices"

	"loa/playlist/library"
)

var errOutOfScope = &apiError{http.StatusForbidden, "out_of_scope",
	"Tài khoản của bạn chỉ được làm việc với bản tin phát cho cụm, trạm được giao",
	"Your account may only work on items for the groups it is limited to", "targets"}

// checkScope enforces a user's group limit (User.Groups) on an
// announcement's targets: a limited editor or approver may only work on
// items aimed inside their groups — not at every station, not at another
// group, and at single stations only if they belong to one of those groups.
// Users without a limit may work on anything their role allows.
func (s *Server) checkScope(r *http.Request, t library.Targets) error {
	mine := currentUser(r).Groups
	if len(mine) == 0 {
		return nil
	}
	if t.All {
		return errOutOfScope
	}
	for _, g := range t.Groups {
		if !slices.Contains(mine, g) {
			return errOutOfScope
		}
	}
	for _, id := range t.Stations {
		if !s.stationInGroups(id, mine) {
			return errOutOfScope
		}
	}
	return nil
}

// stationInGroups reports whether a station belongs to one of groups.
func (s *Server) stationInGroups(id string, groups []string) bool {
	st, err := s.link.Stations.Station(id)
	if err != nil {
		return false
	}
	for _, g := range st.Groups {
		if slices.Contains(groups, g) {
			return true
		}
	}
	return false
}

// defaultScope aims an upload that named no targets at the uploader's own
// groups when they are limited to some (instead of every station).
func defaultScope(r *http.Request, seg *library.Segment, named bool) {
	if mine := currentUser(r).Groups; len(mine) > 0 && !named {
		seg.Targets = library.Targets{Groups: slices.Clone(mine)}
	}
}
