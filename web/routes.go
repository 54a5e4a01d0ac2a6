package web

import (
	"net/http"

	"loa/playlist/library"
)

// A route is one endpoint: its method and path pattern, who may call it,
// and its handler. Every endpoint of the server is in routeTable, and the
// authorisation test walks the same table: a route cannot exist without
// saying who may use it.
type route struct {
	pattern string
	who     access
	handler handlerFunc
}

// access says who may call a route: anyone, a station with its token, or a
// signed-in user whose role includes the named one.
type access string

const (
	anyone   access = "anyone"
	public   access = "public" // anyone, on the public listening site (public.go)
	station  access = "station"
	viewer          = access(RoleViewer)
	editor          = access(RoleEditor)
	approver        = access(RoleApprover)
	admin           = access(RoleAdmin)
)

// routeTable is the whole API on one screen, grouped by feature.
func (s *Server) routeTable() []route {
	return append([]route{
		// Health and sign-in.
		{"GET /healthz", anyone, s.healthz},
		{"GET /metrics", anyone, s.metricsEndpoint}, // loopback, else a viewer (metrics.go)
		{"GET /api/alerts", viewer, s.listAlerts},
		{"POST /api/login", anyone, s.login},
		{"POST /api/logout", anyone, s.logout},
		{"GET /api/me", viewer, s.me},
		{"PUT /api/me/password", viewer, s.changeOwnPassword},
		{"GET /api/sessions", viewer, s.listOwnSessions},
		{"DELETE /api/sessions/{id}", viewer, s.endOwnSession},
		{"GET /api/audit", admin, s.auditLog},
		{"GET /api/backup", admin, s.backup},
		{"GET /api/tokens", admin, s.listTokens},
		{"POST /api/tokens", admin, s.createToken},
		{"DELETE /api/tokens/{id}", admin, s.revokeToken},
		{"GET /api/settings/approval", viewer, s.getApprovalSettings},
		{"PUT /api/settings/approval", admin, s.putApprovalSettings},
		{"GET /api/settings/emergency", viewer, s.getEmergencySettings},
		{"PUT /api/settings/emergency", admin, s.putEmergencySettings},

		// Library.
		{"GET /api/topics", viewer, s.listTopics},
		{"PUT /api/topics/{id}", admin, s.putTopic},
		{"GET /api/segments", viewer, s.listSegments},
		{"POST /api/segments", editor, s.upload},
		{"GET /api/segments/{id}", viewer, s.getSegment},
		{"PATCH /api/segments/{id}", editor, s.editSegment},
		{"DELETE /api/segments/{id}", editor, s.deleteSegment},
		{"GET /api/segments/{id}/audio", viewer, s.segmentAudio},
		{"POST /api/segments/{id}/submit", editor, s.transition(library.ActionSubmit)},
		{"POST /api/segments/{id}/approve", approver, s.transition(library.ActionApprove)},
		{"POST /api/segments/{id}/reject", approver, s.transition(library.ActionReject)},
		{"POST /api/segments/{id}/archive", approver, s.transition(library.ActionArchive)},
		{"POST /api/segments/{id}/restore", approver, s.transition(library.ActionRestore)},
		{"PUT /api/segments/{id}/public", approver, s.setSegmentPublic}, // Nghe lại (public.go)

		// Text to speech.
		{"POST /api/segments/tts", editor, s.synthesise},

		// Stations.
		{"GET /api/stations", viewer, s.listStations},
		{"POST /api/stations", admin, s.createStation},
		{"GET /api/stations/{id}", viewer, s.getStation},
		{"PUT /api/stations/{id}", admin, s.putStation},
		{"DELETE /api/stations/{id}", admin, s.deleteStation},
		{"POST /api/stations/{id}/token", admin, s.rotateStationToken},
		{"DELETE /api/stations/{id}/token", admin, s.revokeStationToken},
		{"GET /api/groups", viewer, s.listGroups},
		{"PUT /api/groups/{id}", admin, s.putGroup},
		{"DELETE /api/groups/{id}", admin, s.deleteGroup},
		{"POST /api/commands", sender, s.sendCommand}, // kinds other than an emergency: admin
		{"GET /api/commands/{id}", viewer, s.commandStatus},

		// Live broadcast (live.go): the operator's microphone, and the agents' stream.
		{"POST /api/live", admin, s.startLive},
		{"GET /api/live/{id}", viewer, s.liveStatus},
		{"GET /api/live/{id}/socket", admin, s.liveSocket},
		{"POST /api/live/{id}/stop", admin, s.stopLive},
		{"GET /agent/live/{id}", station, s.agentLive},

		// Agent link.
		{"GET /agent/v1/link", station, s.agentLink},
		{"GET /agent/v1/audio/{sha256}", station, s.agentAudio},

		// Schedules and playlists.
		{"GET /api/programmes", viewer, s.listProgrammes},
		{"GET /api/programmes/{id}", viewer, s.getProgramme},
		{"PUT /api/programmes/{id}", admin, s.putProgramme},
		{"DELETE /api/programmes/{id}", admin, s.deleteProgramme},
		{"GET /api/playlists/{station}/{date}", viewer, s.getPlaylist},
		{"GET /api/playlists/{station}/{date}/versions", viewer, s.listPlaylistVersions},
		{"GET /api/playlists/{station}/{date}/shares", viewer, s.weekShares},
		{"POST /api/playlists/rebuild", admin, s.rebuildPlaylists},
		{"GET /api/schedule/rules", viewer, s.getScheduleRules},
		{"PUT /api/schedule/rules", admin, s.putScheduleRules},

		// Reports.
		{"GET /api/reports/{period}", viewer, s.getReport},
		{"GET /api/reports/{period}/items", viewer, s.reconcileReport},
		{"GET /api/airlog", viewer, s.getAirlog},
		{"GET /api/report-settings", viewer, s.getReportSettings},
		{"PUT /api/report-settings", admin, s.putReportSettings},
		{"GET /api/reports/{period}/listens", viewer, s.reportListens}, // Nghe lại trên mạng

		// Users.
		{"GET /api/users", admin, s.listUsers},
		{"POST /api/users", admin, s.createUser},
		{"PATCH /api/users/{name}", admin, s.editUser},
		{"GET /api/users/{name}/sessions", admin, s.listUserSessions},
		{"DELETE /api/users/{name}/sessions", admin, s.endUserSessions},

		// Pages.
		{"GET /static/", anyone, rawHandler(staticFiles())},
		{"GET /favicon.ico", anyone, favicon},
		{"GET /login", anyone, s.loginPage},
		{"GET /lang/{lang}", anyone, s.setLang},
		{"GET /{$}", anyone, s.home},
		{"GET /overview", viewer, s.page("dashboard", s.dashboardPage)},
		{"GET /library", viewer, s.page("library", s.libraryPage)},
		{"GET /schedule", viewer, s.page("schedule", s.schedulePage)},
		{"GET /stations", viewer, s.page("stations", s.stationsPage)},
		{"GET /emergency", sender, s.page("emergency", s.emergencyPage)},
		{"GET /onair", admin, s.page("onair", s.onAirPage)},
		{"GET /reports", viewer, s.page("reports", s.reportsPage)},
		{"GET /airlog", viewer, s.page("reports", s.airlogPage)},
		{"GET /report-settings", admin, s.page("reports", s.reportSettingsPage)},
		{"GET /users", admin, s.page("users", s.usersPage)},
		{"GET /account", viewer, s.page("account", s.accountPage)},
		{"GET /audit", admin, s.page("audit", s.auditPage)},
		{"GET /api/events", viewer, s.pageEvents},
	}, s.publicRoutes()...)
}

// routes registers the route table on a mux, each route behind its access
// check; unknown /api/ paths answer a JSON 404.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		if rt.who == sender { // a signed-in person the emergency setting allows (emergency_settings.go)
			rt.who, rt.handler = viewer, s.requireSender(rt.handler)
		}
		if rt.who == public { // the public site: its own limit, no session (public.go)
			mux.Handle(rt.pattern, s.countRequests(rt.pattern, s.limitPublic(s.handle(rt.handler))))
			continue
		}
		if rt.who != anyone && rt.who != station && isPage(rt.pattern) {
			mux.Handle(rt.pattern, s.countRequests(rt.pattern, s.limitByAddr(s.pageGuard(Role(rt.who), rt.handler))))
			continue
		}
		h := s.guard(rt.who, rt.handler)
		if rt.who != station {
			h = s.limitByAddr(h)
		}
		mux.Handle(rt.pattern, s.countRequests(rt.pattern, h))
	}
	mux.Handle("/api/", s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound }))
	return mux
}

// guard wraps h in the check that who demands.
func (s *Server) guard(who access, h handlerFunc) http.Handler {
	switch who {
	case anyone:
		return s.handle(h)
	case station:
		return s.handle(s.requireStation(h))
	}
	return s.require(Role(who), h)
}

// requireStation lets in a request with a valid station token
// (api_stations.go); until a station store is wired, no station is.
func (s *Server) requireStation(h handlerFunc) handlerFunc {
	return s.authenticateStation(h)
}

// rawHandler adapts a plain http.Handler (a websocket upgrade, say) to the
// route table.
func rawHandler(h http.Handler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		h.ServeHTTP(w, r)
		return nil
	}
}
