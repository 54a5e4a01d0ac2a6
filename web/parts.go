package web

import (
	"loa/broadcast/live"
	"loa/internal/app"
)

// wire gives the server every part of a, at once: the station registry and
// the agent hub, the schedules, the reports and live broadcasts.
func (s *Server) wire(a *app.App) {
	s.app = a
	s.link = &StationLink{Stations: a.Stations, Hub: a.Hub, Audio: a.OpenAudio, audio: a.Hub.AudioHandler(a.OpenAudio)}
	s.sched = &Schedules{Store: a.Playlists, Planner: a.Planner, History: a.History}
	s.report = &Reports{Builder: a.Reports, Directory: a.Directory, Settings: a.ReportSettings}
	s.live = &liveState{sessions: live.NewManager(a.Blobs.TempDir(), 0), store: a.Live}
}
