package web

import (
	"net/http"

	"loa/playlist/library"
)

// onAirData is the live broadcast page: where it can go and its topics.
type onAirData struct {
	*stationsData
	Topics     []library.Topic
	MaxMinutes int
}

func (s *Server) onAirPage(r *http.Request, p *pageData) (string, error) {
	sd, err := s.stationRows()
	if err != nil {
		return "", err
	}
	topics, err := s.lib.Topics()
	if err != nil {
		return "", err
	}
	p.Title, p.Data = "oa.title", onAirData{stationsData: sd, Topics: topics, MaxMinutes: liveMaxMinutes}
	return "onair", nil
}
