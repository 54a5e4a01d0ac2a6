package web

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// Request bodies must keep coming. A body (JSON, a form) has
// DefaultBodyTimeout to arrive whole; an upload has no fixed limit but a
// rate floor: after a grace period it must average DefaultUploadFloor, and
// no pause may last longer than DefaultBodyTimeout. A client that dribbles
// its body (a slow-body attack holding connections open) is cut off with
// 408.
const (
	DefaultBodyTimeout = 30 * time.Second
	DefaultUploadGrace = 30 * time.Second
	DefaultUploadFloor = 8 << 10 // bytes a second: an hour-long MP3 over a poor 3G line
)

// bodyLimits are the limits above; zero fields mean the defaults (tests
// shorten them).
type bodyLimits struct {
	timeout, grace time.Duration
	floor          float64 // bytes a second
}

func (l bodyLimits) orDefaults() bodyLimits {
	if l.timeout <= 0 {
		l.timeout = DefaultBodyTimeout
	}
	if l.grace <= 0 {
		l.grace = DefaultUploadGrace
	}
	if l.floor <= 0 {
		l.floor = DefaultUploadFloor
	}
	return l
}

var errBodyTimeout = &apiError{http.StatusRequestTimeout, "body_timeout",
	"Dữ liệu gửi lên đến quá chậm nên đã bị ngắt; hãy kiểm tra kết nối mạng rồi thử lại",
	"The request body arrived too slowly and was cut off; check the connection and try again", ""}

// boundBody puts the read deadlines on a request with a body.
func (s *Server) boundBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			h.ServeHTTP(w, r)
			return
		}
		b := &deadlineBody{rc: r.Body, ctl: http.NewResponseController(w), lim: s.bodies.orDefaults(), start: time.Now(),
			upload: strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")}
		if b.extend() != nil { // a writer without deadlines (not a real connection)
			h.ServeHTTP(w, r)
			return
		}
		// A deadline left when the handler returns also bounds the
		// server's discarding of an unread rest; the next request on the
		// connection sets its own.
		r.Body = b
		h.ServeHTTP(w, r)
	})
}

// deadlineBody moves the connection's read deadline as a body arrives.
type deadlineBody struct {
	rc     io.ReadCloser
	ctl    *http.ResponseController
	lim    bodyLimits
	start  time.Time
	upload bool
	read   int64
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.read += int64(n)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return n, errBodyTimeout
	case err == io.EOF:
		// Done: a deadline left behind would cut the connection's
		// watch for the client going away while the handler works.
		b.ctl.SetReadDeadline(time.Time{})
	case err == nil && n > 0 && b.upload:
		b.extend()
	}
	return n, err
}

func (b *deadlineBody) Close() error { return b.rc.Close() }

// extend sets the deadline: the whole body within the timeout, or for an
// upload, the rate floor and at most a timeout's pause.
func (b *deadlineBody) extend() error {
	deadline := b.start.Add(b.lim.timeout)
	if b.upload {
		deadline = b.start.Add(b.lim.grace + time.Duration(float64(b.read)/b.lim.floor*float64(time.Second)))
		if pause := time.Now().Add(b.lim.timeout); pause.Before(deadline) {
			deadline = pause
		}
	}
	return b.ctl.SetReadDeadline(deadline)
}
