package web

import (
	"encoding/json"
	"net/http"
)

// auditPageSize is how many entries the audit page shows at a time,
// newest first.
const auditPageSize = 50

// auditData is what the audit page shows: the filter as chosen, its
// choices, a page of entries in words, and the next page's address.
type auditData struct {
	User, Action, Object, From, To string
	Users                          []User
	Actions                        []auditAction
	Rows                           []auditRow
	Next                           string // the next (older) page's query, "" at the end
	BadQuery                       string
}

func (s *Server) auditPage(r *http.Request, p *pageData) (string, error) {
	q := r.URL.Query()
	d := auditData{User: q.Get("user"), Action: q.Get("action"), Object: q.Get("object"), From: q.Get("from"), To: q.Get("to"),
		Actions: auditActions(p.Lang)}
	users, err := s.users.List()
	if err != nil {
		return "", err
	}
	d.Users = users
	p.Title, p.Data = "audit.title", &d
	aq, err := parseAuditQuery(q, auditPageSize)
	if e, ok := err.(*apiError); ok {
		d.BadQuery = e.Field
		return "audit", nil
	}
	if err != nil {
		return "", err
	}
	entries, next, err := s.auditEntries(aq)
	if err != nil {
		return "", err
	}
	d.Rows = s.auditRows(entries, p.Lang)
	if next != "" {
		nq := r.URL.Query()
		nq.Set("cursor", next)
		d.Next = "/audit?" + nq.Encode()
	}
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
