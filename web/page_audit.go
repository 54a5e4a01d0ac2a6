package web

import (
	"encoding/json"
	"net/http"

	"go.etcd.io/bbolt"
)

// auditPageSize is how many entries the audit page shows, newest first.
const auditPageSize = 200

func (s *Server) auditPage(r *http.Request, p *pageData) (string, error) {
	q := r.URL.Query()
	user, action := q.Get("user"), q.Get("action")
	var entries []AuditEntry
	err := s.users.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(entries) < auditPageSize; k, v = c.Prev() {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if (user == "" || e.User == user) && (action == "" || e.Action == action) {
				entries = append(entries, e)
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	p.Title, p.Data = "audit.title", map[string]any{"Entries": entries, "User": user, "Action": action}
	return "audit", nil
}

// mustJSON encodes v for a data attribute; the values given are plain
// records that always encode.
func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(data)
}
