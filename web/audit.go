package web

import (
	"encoding/binary"
	"encoding/json"
	"net/http"
	"time"

	"go.etcd.io/bbolt"
)

// An AuditEntry records one change a person made: who, what, when, and the
// record before and after (JSON, absent for creations and deletions).
type AuditEntry struct {
	At     time.Time       `json:"at"`
	User   string          `json:"user"`
	Action string          `json:"action"` // e.g. "segment.approve", "station.create"
	Target string          `json:"target"` // e.g. "segment/12", "station/tdp-05"
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

var bucketAudit = []byte("web.audit") // time (ns, BE) + sequence → JSON AuditEntry

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
	data, err := json.Marshal(e)
	if err == nil {
		err = s.users.db.Update(func(tx *bbolt.Tx) error {
			b := tx.Bucket(bucketAudit)
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			key := binary.BigEndian.AppendUint64(nil, uint64(e.At.UnixNano()))
			return b.Put(binary.BigEndian.AppendUint64(key, seq), data)
		})
	}
	if err != nil {
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
