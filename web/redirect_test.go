package web

import (
	"net/http"
	"net/url"
	"testing"
)

func TestRedirectAfterSignInStaysOnTheSite(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	anon := ts.client(t)
	bad := []string{
		"/\t/evil.example", "/\r/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example",
		"/\\/evil.example", "https://evil.example", "/ /evil.example", "/\u00a0/evil.example",
	}
	for _, next := range bad {
		for _, path := range []string{"/login", "/lang/en"} {
			c := admin
			if path == "/lang/en" {
				c = anon
			}
			resp := location(t, c, path+"?next="+url.QueryEscape(next))
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
				t.Errorf("%s?next=%q: %s → %q, want / ", path, next, resp.Status, loc)
			}
		}
	}
	// A clean path of this site is kept.
	resp := location(t, admin, "/login?next="+url.QueryEscape("/library?status=submitted"))
	if loc := resp.Header.Get("Location"); loc != "/library?status=submitted" {
		t.Errorf("a clean path: %q", loc)
	}
}

func TestLocalPathRefusesControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"/reports?period=2026-Q4": "/reports?period=2026-Q4",
		"/\t/evil.example":        "/",
		"/%2F/evil.example":       "/",
		"evil.example":            "/",
		"":                        "/",
		"/x\x7f":                  "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// location makes a GET as c, without following the redirect (nor parsing
// its target, which a hostile one may not survive).
func location(t *testing.T, c *client, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
