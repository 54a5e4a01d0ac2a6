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
		actions = append(actions, e.Action)
		if e.User != "admin" || e.Target != "segment/1" {
			t.Errorf("entry %+v", e)
		}
	}
	if strings.Join(actions, ",") != "segment.submit,segment.edit,segment.create" {
		t.Fatalf("actions newest first = %v", actions)
	}
	edit := log[1]
	if !strings.Contains(string(edit.Before), `"title":"Bản tin"`) || !strings.Contains(string(edit.After), `"title":"Bản tin đã sửa"`) {
		t.Errorf("edit before %s after %s", edit.Before, edit.After)
	}

	ts.addUser(t, "xem", RoleViewer)
	var e apiErr
	if resp := ts.signIn(t, "xem").json("GET", "/api/audit", nil, &e); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer read the audit log: %s", resp.Status)
	}
}
