package web

import (
	"encoding/json"
	"net/http"
)

// audit records a change made by the request's user. The change itself is
// already committed by its own store, so a failure to record it is logged
// loudly but does not undo or fail the request.
func (s *Server) audit(r *http.Request, action, target string, before, after any) {
	s.auditAs(r, currentUser(r).Name, action, target, before, after)
}

// auditAs is audit on behalf of user, for a request that has no user yet
// (a sign-in).
func (s *Server) auditAs(r *http.Request, user, action, target string, before, after any) {
	e := AuditEntry{At: s.now().UTC(), User: user, Action: action, Target: target,
		Before: rawJSON(before), After: rawJSON(after)}
	if err := s.users.Record(e); err != nil {
		s.log.Error("audit log write failed", "action", action, "target", target, "user", e.User, "err", err)
	}
}

func rawJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return data
}

// auditLog lists entries newest first: ?limit (default 100, at most
// 1000), ?user, ?action, ?object, ?from and ?to (ward days), and for the
// next page ?cursor (from the X-Next-Cursor header) or ?before (an RFC 3339
// instant).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q, err := parseAuditQuery(r.URL.Query(), 100)
	if err != nil {
		return err
	}
	out, next, err := s.auditEntries(q)
	if err != nil {
		return err
	}
	if next != "" {
		w.Header().Set("X-Next-Cursor", next)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
