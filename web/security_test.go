package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/healthz", "/api/segments", "/api/nowhere"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
	}
}

func TestCrossSiteRequestRefused(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	// A page on another site posting with the victim's cookie, as a browser
	// would send it.
	req, _ := http.NewRequest("PUT", ts.URL+"/api/topics/an-ninh", strings.NewReader(`{"name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	var e apiErr
	if resp := admin.do(req, &e); resp.StatusCode != http.StatusForbidden || e.Error.Code != "cross_origin" {
		t.Fatalf("cross-site PUT: %s %+v", resp.Status, e)
	}
	if _, err := ts.lib.Topic("an-ninh"); err == nil {
		t.Fatal("the cross-site request changed a topic")
	}
}

func TestLoginLockedAfterRepeatedFailures(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	var e apiErr
	for i := 0; i < loginFailures; i++ {
		c.json("POST", "/api/login", map[string]string{"name": "admin", "password": "doan-bua"}, &e)
	}
	// Now even the right password is refused for a while, with a clear reason.
	resp := c.json("POST", "/api/login", map[string]string{"name": "admin", "password": testPassword}, &e)
	if resp.StatusCode != http.StatusTooManyRequests || e.Error.Code != "login_locked" || !strings.Contains(e.Error.Message, "thử lại sau 15 phút") {
		t.Fatalf("after %d failures: %s %+v", loginFailures, resp.Status, e)
	}
}

func TestAuditLogRecordsWhoChangedWhat(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var seg segmentView
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac", "title": "Bản tin"}, &seg)
	admin.json("PATCH", pathOf(seg, ""), map[string]any{"revision": seg.Revision, "title": "Bản tin đã sửa"}, nil)
	admin.json("POST", pathOf(seg, "/submit"), nil, nil)

	var log []AuditEntry
	if resp := admin.json("GET", "/api/audit", nil, &log); resp.StatusCode != 200 {
		t.Fatalf("audit: %s", resp.Status)
	}
	var actions []string
	for _, e := range log {
		if e.Action == "session.start" {
			continue // sign-ins are in the log too
		}
		actions = append(actions, e.Action)
		if e.User != "admin" || e.Target != "segment/1" {
			t.Errorf("entry %+v", e)
		}
	}
	if strings.Join(actions, ",") != "segment.submit,segment.edit,segment.create" {
		t.Fatalf("actions newest first = %v", actions)
	}
	edit := log[1] // after the newest entry, the submission
	if !strings.Contains(string(edit.Before), `"title":"Bản tin"`) || !strings.Contains(string(edit.After), `"title":"Bản tin đã sửa"`) {
		t.Errorf("edit before %s after %s", edit.Before, edit.After)
	}

	ts.addUser(t, "xem", RoleViewer)
	var e apiErr
	if resp := ts.signIn(t, "xem").json("GET", "/api/audit", nil, &e); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer read the audit log: %s", resp.Status)
	}
}

func TestAPITokenActsWithItsRoleUntilRevoked(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var created struct {
		APIToken
		Token string `json:"token"`
	}
	if resp := admin.json("POST", "/api/tokens", map[string]string{"name": "Nhập bản tin hằng đêm", "role": "editor"}, &created); resp.StatusCode != 201 {
		t.Fatalf("create token: %s", resp.Status)
	}
	if !strings.HasPrefix(created.Token, "loa_api_") || created.Role != RoleEditor {
		t.Fatalf("created %+v", created)
	}
	call := func(method, path string) int {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer "+created.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := call("GET", "/api/segments"); got != 200 {
		t.Errorf("editor token lists segments: %d", got)
	}
	if got := call("POST", "/api/segments/1/approve"); got != 403 {
		t.Errorf("editor token approves: %d, want 403", got)
	}
	var list []APIToken
	admin.json("GET", "/api/tokens", nil, &list)
	if len(list) != 1 || list[0].Name != "Nhập bản tin hằng đêm" {
		t.Fatalf("tokens %+v", list)
	}
	if resp := admin.json("DELETE", "/api/tokens/"+created.ID, nil, nil); resp.StatusCode != 204 {
		t.Fatalf("revoke: %s", resp.Status)
	}
	if got := call("GET", "/api/segments"); got != 401 {
		t.Errorf("revoked token: %d, want 401", got)
	}
	var e apiErr
	if resp := admin.json("POST", "/api/tokens", map[string]string{"name": "x", "role": "god"}, &e); resp.StatusCode != 422 || e.Error.Field != "role" {
		t.Errorf("bad role: %s %+v", resp.Status, e)
	}
}

func TestForwardedForBelievedOnlyFromTrustedProxies(t *testing.T) {
	proxies, err := ParseProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{TrustedProxies: proxies}}
	tests := []struct {
		remote, xff, want string
	}{
		{"127.0.0.1:5000", "203.0.113.7", "203.0.113.7"},
		{"127.0.0.1:5000", "198.51.100.1, 203.0.113.7, 10.1.2.3", "203.0.113.7"},
		{"192.0.2.9:5000", "203.0.113.7", "192.0.2.9"}, // not a proxy: header ignored
		{"127.0.0.1:5000", "", "127.0.0.1"},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientAddr(r); got != tt.want {
			t.Errorf("%s via %q: %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
	if _, err := ParseProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix was accepted")
	}
}
