package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
)

// handlerFunc is how every handler is written: it returns an error, and
// handle writes it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle turns a handlerFunc into an http.Handler that writes errors as
// JSON in the client's language and logs unexpected failures once.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := asAPIError(err)
	switch {
	case ok:
	case errors.Is(err, syscall.ENOSPC):
		e = errDiskFull
		s.log.Error("disk full", "method", r.Method, "path", r.URL.Path, "err", err)
	default:
		e = errInternal
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body errorBody
	body.Error.Code, body.Error.Field = e.Code, e.Field
	body.Error.Message = e.Vi
	if lang(r) == "en" {
		body.Error.Message = e.En
	}
	writeJSON(w, e.Status, body)
}

// lang is the client's language: Vietnamese unless it asks for English
// (?lang=en, a lang cookie, or Accept-Language preferring en).
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "vi" {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "en" || c.Value == "vi") {
		return c.Value
	}
	if al := r.Header.Get("Accept-Language"); strings.HasPrefix(strings.ToLower(al), "en") {
		return "en"
	}
	return "vi"
}

// writeJSON encodes v into a buffer first, so that an encoding failure is
// still a clean 500 rather than half a response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		slog.Error("encode response", "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jsonError words a failure to decode a JSON body, naming the JSON field
// (never the Go type behind it).
func jsonError(err error) error {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return errBodyTooLarge
	case errors.As(err, new(*apiError)):
		e, _ := asAPIError(err) // the body could not be read (too slow)
		return e
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return errBadJSON.withDetail("trường “"+typeErr.Field+"” có kiểu giá trị sai ("+typeErr.Value+")",
			"field “"+typeErr.Field+"” has the wrong type ("+typeErr.Value+")").withField(typeErr.Field)
	case errors.As(err, &typeErr):
		return errBadJSON
	}
	return errBadJSON.withDetail(err.Error(), err.Error())
}

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// readJSON decodes one JSON object from the body into v, refusing unknown
// fields, trailing data and bodies over maxJSONBody.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errUnsupportedCT
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errBadJSON
	}
	return nil
}
