package web

import "net/http"

// healthz answers 200 when the database can be read.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.lib.Topics(); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
