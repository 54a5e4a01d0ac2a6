package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// CSRF protection has two layers. Cross-site requests are refused outright
// by http.CrossOriginProtection (security.go). On top of that, every
// state-changing request a browser makes with a session cookie must carry
// the session's CSRF token in the X-CSRF-Token header: the pages put it in
// <meta name="csrf-token"> and app.js sends it with every API call. The
// token is an HMAC of the session token, so it needs no storage and dies
// with the session; the session cookie is HttpOnly, so no page script can
// compute it. Programs (loa import, API tokens) are not browsers: a
// request with neither Sec-Fetch-Site nor Origin cannot carry a victim's
// cookie from another site, so it needs no token.
const csrfHeader = "X-CSRF-Token"

var errCSRF = &apiError{http.StatusForbidden, "csrf", "Trang đã cũ hoặc phiên làm việc đã thay đổi; hãy tải lại trang rồi thử lại", "The page is out of date or the session changed; reload the page and try again", ""}

// csrfToken is the token of the session whose cookie value is session.
func csrfToken(session string) string {
	mac := hmac.New(sha256.New, []byte(session))
	mac.Write([]byte("loa-csrf-v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// pageCSRF is the token for the page's meta tag ("" when not signed in).
func pageCSRF(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return csrfToken(c.Value)
}

// checkCSRF enforces the token on a browser's state-changing request made
// with the session cookie session.
func checkCSRF(r *http.Request, session string) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Origin") == "" {
		return nil // not a browser
	}
	if !hmac.Equal([]byte(r.Header.Get(csrfHeader)), []byte(csrfToken(session))) {
		return errCSRF
	}
	return nil
}
