package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// A browser's state-changing request with the session cookie needs the
// page's CSRF token; programs without browser headers do not.
func TestCSRFTokenRequiredFromBrowsers(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	session := ts.session(t, "admin")

	put := func(token string, browser bool) (int, apiErr) {
		req, _ := http.NewRequest("PUT", ts.URL+"/api/topics/an-ninh", strings.NewReader(`{"name":"An ninh trật tự"}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
		if browser {
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Origin", ts.URL)
		}
		if token != "" {
			req.Header.Set(csrfHeader, token)
		}
		var e apiErr
		resp := admin.do(req, &e)
		return resp.StatusCode, e
	}
	if got, e := put("", true); got != http.StatusForbidden || e.Error.Code != "csrf" || !strings.Contains(e.Error.Message, "tải lại trang") {
		t.Errorf("browser without the token: %d %+v, want 403 csrf", got, e.Error)
	}
	if got, _ := put("doan-bua", true); got != http.StatusForbidden {
		t.Errorf("browser with a wrong token: %d, want 403", got)
	}
	if got, _ := put(csrfToken(session), true); got != http.StatusOK {
		t.Errorf("browser with the page's token: %d, want 200", got)
	}
	if got, _ := put("", false); got != http.StatusOK {
		t.Errorf("a program (no browser headers): %d, want 200", got)
	}

	// The pages carry the token of their session for app.js.
	req, _ := http.NewRequest("GET", ts.URL+"/library", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `<meta name="csrf-token" content="`+csrfToken(session)+`">`) {
		t.Error("the library page lacks its CSRF token")
	}
}
