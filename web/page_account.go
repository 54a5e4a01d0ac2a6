package web

import "net/http"

// accountPage is a person's own account: their sessions, each of which
// they may end, and the form that changes their password (which ends
// every other session of theirs).
func (s *Server) accountPage(r *http.Request, p *pageData) (string, error) {
	sessions, err := s.sessionViews(p.User.Name, r)
	if err != nil {
		return "", err
	}
	p.Title, p.Data = "acct.title", map[string]any{"Sessions": sessions}
	return "account", nil
}
