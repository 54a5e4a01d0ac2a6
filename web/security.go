package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// contentSecurityPolicy allows only this server's own scripts, styles,
// media and connections (websockets included), and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

// secure wraps the whole handler: security headers on every answer, and
// cross-site state-changing requests refused (the standard library's
// CrossOriginProtection reads Sec-Fetch-Site / Origin, which every current
// browser sends; clients that are not browsers send neither and pass).
func (s *Server) secure(h http.Handler) http.Handler {
	body := s.boundBody(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(s.handle(func(http.ResponseWriter, *http.Request) error { return errCrossOrigin }))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Referrer-Policy", "same-origin")
		hdr.Set("Permissions-Policy", "microphone=(self), camera=(), geolocation=()")
		if s.isHTTPS(r) {
			hdr.Set("Strict-Transport-Security", "max-age=31536000")
		}
		body.ServeHTTP(w, r)
	}))
}

var errCrossOrigin = &apiError{http.StatusForbidden, "cross_origin", "Yêu cầu từ trang web khác bị từ chối", "Cross-origin request refused", ""}

// Sign-in lockout: after loginFailures wrong passwords for one name from
// one address within loginWindow, that pair is locked out for loginLockout.
// The table keeps at most loginTableMax pairs and forgets failures older
// than the window.
const (
	loginFailures = 5
	loginWindow   = 15 * time.Minute
	loginLockout  = 15 * time.Minute
	loginTableMax = 10_000
)

// throttle counts failed sign-ins per (name, address). It lives in memory:
// a restart forgets it, which costs an attacker a restart they cannot cause.
type throttle struct {
	mu       sync.Mutex
	failures map[string][]time.Time // at most loginFailures, oldest first
	swept    time.Time
}

// locked reports how long key is still locked out (0: not locked).
func (t *throttle) locked(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	recent := t.recent(key, now)
	if len(recent) < loginFailures {
		return 0
	}
	return recent[len(recent)-1].Add(loginLockout).Sub(now)
}

func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failures == nil {
		t.failures = map[string][]time.Time{}
	}
	if now.Sub(t.swept) > time.Minute {
		t.sweep(now)
	}
	recent := t.recent(key, now)
	if recent == nil && len(t.failures) >= loginTableMax {
		t.evictOne()
	}
	if len(recent) >= loginFailures {
		recent = recent[1:]
	}
	t.failures[key] = append(recent, now)
}

func (t *throttle) succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, key)
}

// recent drops failures older than the window and the lockout; t.mu is held.
func (t *throttle) recent(key string, now time.Time) []time.Time {
	list := t.failures[key]
	keep := list[:0]
	for _, at := range list {
		if now.Sub(at) < max(loginWindow, loginLockout) {
			keep = append(keep, at)
		}
	}
	if len(keep) == 0 {
		delete(t.failures, key)
		return nil
	}
	t.failures[key] = keep
	return keep
}

// sweep forgets every pair whose failures are all old; t.mu is held.
func (t *throttle) sweep(now time.Time) {
	for key := range t.failures {
		t.recent(key, now)
	}
	t.swept = now
}

// evictOne makes room in a full table by forgetting the pair whose last
// failure is oldest; t.mu is held.
func (t *throttle) evictOne() {
	var oldest string
	var at time.Time
	for key, list := range t.failures {
		if last := list[len(list)-1]; oldest == "" || last.Before(at) {
			oldest, at = key, last
		}
	}
	delete(t.failures, oldest)
}

func errLoginLocked(wait time.Duration) *apiError {
	min := strconv.Itoa(int(wait.Minutes()) + 1)
	return &apiError{http.StatusTooManyRequests, "login_locked",
		"Đăng nhập sai quá nhiều lần; hãy thử lại sau " + min + " phút",
		"Too many failed sign-ins; try again in " + min + " minutes", ""}
}
