package web

import (
	"encoding/binary"
	"encoding/json"
	"net/http"
	"strconv"
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
	e := AuditEntry{At: s.now().UTC(), User: currentUser(r).Name, Action: action, Target: target,
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

// auditLog lists entries newest first: ?limit (default 100, at most 1000),
// ?user, ?action, and ?before (an RFC 3339 instant, for the next page).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errBadQuery.withField("limit")
		}
		limit = n
	}
	before := time.Now().Add(time.Hour)
	if v := q.Get("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return errBadQuery.withField("before")
		}
		before = t
	}
	user, action := q.Get("user"), q.Get("action")
	out := []AuditEntry{}
	err := s.users.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		seek := binary.BigEndian.AppendUint64(nil, uint64(before.UnixNano()))
		k, v := c.Seek(seek)
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if (user == "" || e.User == user) && (action == "" || e.Action == action) {
				out = append(out, e)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
