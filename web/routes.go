package web

import (
	"net/http"

	"loa/playlist/library"
)

// routes is the whole route table: every endpoint, its method and the role
// it needs, on one screen.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Health and sign-in.
	mux.Handle("GET /healthz", s.handle(s.healthz))
	mux.Handle("POST /api/login", s.handle(s.login))
	mux.Handle("POST /api/logout", s.handle(s.logout))
	mux.Handle("GET /api/me", s.require(RoleViewer, s.me))
	mux.Handle("GET /api/audit", s.require(RoleAdmin, s.auditLog))

	// Library.
	mux.Handle("GET /api/topics", s.require(RoleViewer, s.listTopics))
	mux.Handle("PUT /api/topics/{id}", s.require(RoleAdmin, s.putTopic))
	mux.Handle("GET /api/segments", s.require(RoleViewer, s.listSegments))
	mux.Handle("POST /api/segments", s.require(RoleEditor, s.upload))
	mux.Handle("GET /api/segments/{id}", s.require(RoleViewer, s.getSegment))
	mux.Handle("PATCH /api/segments/{id}", s.require(RoleEditor, s.editSegment))
	mux.Handle("DELETE /api/segments/{id}", s.require(RoleEditor, s.deleteSegment))
	mux.Handle("GET /api/segments/{id}/audio", s.require(RoleViewer, s.segmentAudio))
	mux.Handle("POST /api/segments/{id}/submit", s.require(RoleEditor, s.transition(library.ActionSubmit)))
	mux.Handle("POST /api/segments/{id}/approve", s.require(RoleApprover, s.transition(library.ActionApprove)))
	mux.Handle("POST /api/segments/{id}/reject", s.require(RoleApprover, s.transition(library.ActionReject)))
	mux.Handle("POST /api/segments/{id}/archive", s.require(RoleApprover, s.transition(library.ActionArchive)))
	mux.Handle("POST /api/segments/{id}/restore", s.require(RoleApprover, s.transition(library.ActionRestore)))

	// Stations.

	// Agent link.

	// Schedules and playlists.

	mux.Handle("/api/", s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound }))
	return mux
}
