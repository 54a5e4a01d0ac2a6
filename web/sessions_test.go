package web

import (
	"net/http"
	"testing"
	"time"
)

// signedIn reports whether c's session still works.
func signedIn(c *client) bool {
	c.t.Helper()
	return c.json("GET", "/api/me", nil, nil).StatusCode == http.StatusOK
}

func TestPasswordResetEndsThePersonsSessions(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	editor := ts.signIn(t, "bientap")
	admin := ts.signIn(t, "admin")
	if resp := admin.json("PATCH", "/api/users/bientap", map[string]any{"password": "mat-khau-moi-2026"}, nil); resp.StatusCode != 200 {
		t.Fatalf("reset: %s", resp.Status)
	}
	if signedIn(editor) {
		t.Fatal("the old session still works after an admin reset the password")
	}
	if !signedIn(admin) {
		t.Fatal("the admin's own session ended")
	}
}

func TestDisablingEndsSessionsForGood(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	editor := ts.signIn(t, "bientap")
	admin := ts.signIn(t, "admin")
	for _, disabled := range []bool{true, false} {
		if resp := admin.json("PATCH", "/api/users/bientap", map[string]any{"disabled": disabled}, nil); resp.StatusCode != 200 {
			t.Fatalf("disabled=%v: %s", disabled, resp.Status)
		}
	}
	if signedIn(editor) {
		t.Fatal("disabling then enabling the user brought the old session back")
	}
}

func TestOwnPasswordChangeEndsOtherSessions(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	laptop, phone := ts.signIn(t, "bientap"), ts.signIn(t, "bientap")
	var e apiErr
	resp := phone.json("PUT", "/api/me/password", map[string]string{"current": "doan-bua", "password": "mat-khau-moi-2026"}, &e)
	if resp.StatusCode != http.StatusUnprocessableEntity || e.Error.Code != "password_wrong" || e.Error.Field != "current" {
		t.Fatalf("wrong current password: %s %+v", resp.Status, e)
	}
	if resp := phone.json("PUT", "/api/me/password", map[string]string{"current": testPassword, "password": "mat-khau-moi-2026"}, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("change: %s", resp.Status)
	}
	if signedIn(laptop) || !signedIn(phone) {
		t.Fatalf("after the change: laptop %v (want out), phone %v (want in)", signedIn(laptop), signedIn(phone))
	}
	c := ts.client(t)
	if resp := c.json("POST", "/api/login", map[string]string{"name": "bientap", "password": "mat-khau-moi-2026"}, nil); resp.StatusCode != 200 {
		t.Fatalf("sign-in with the new password: %s", resp.Status)
	}
}

func TestSessionsListedAndEnded(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	ts.addUser(t, "duyet", RoleApprover)
	laptop, phone := ts.signIn(t, "bientap"), ts.signIn(t, "bientap")
	other := ts.signIn(t, "duyet")
	var mine []sessionView
	laptop.json("GET", "/api/sessions", nil, &mine)
	if len(mine) != 2 {
		t.Fatalf("own sessions: %+v", mine)
	}
	var phoneID string
	for _, s := range mine {
		if !s.Current {
			phoneID = s.ID
		}
		if s.Created.IsZero() || s.Expires.IsZero() || s.Addr == "" {
			t.Errorf("session without its details: %+v", s)
		}
	}
	if phoneID == "" {
		t.Fatalf("no session marked current: %+v", mine)
	}
	// Someone else cannot end it; its owner can.
	if resp := other.json("DELETE", "/api/sessions/"+phoneID, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another user ended it: %s", resp.Status)
	}
	if resp := laptop.json("DELETE", "/api/sessions/"+phoneID, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("end own session: %s", resp.Status)
	}
	if signedIn(phone) || !signedIn(laptop) {
		t.Fatal("the wrong session ended")
	}
	// An admin sees and ends anyone's.
	admin := ts.signIn(t, "admin")
	var theirs []sessionView
	admin.json("GET", "/api/users/bientap/sessions", nil, &theirs)
	if len(theirs) != 1 {
		t.Fatalf("admin's view of bientap's sessions: %+v", theirs)
	}
	if resp := admin.json("DELETE", "/api/users/bientap/sessions", nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("admin ends all: %s", resp.Status)
	}
	if signedIn(laptop) || !signedIn(other) {
		t.Fatal("ending bientap's sessions did not end exactly those")
	}
}

func TestAPITokenOfDisabledCreatorStopsWorking(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "quantri2", RoleAdmin)
	second := ts.signIn(t, "quantri2")
	var tok struct{ Token string }
	second.json("POST", "/api/tokens", map[string]string{"name": "nhap-hang-dem", "role": "editor"}, &tok)
	if code := bearerStatus(t, ts, tok.Token); code != 200 {
		t.Fatalf("fresh token: %d", code)
	}
	admin := ts.signIn(t, "admin")
	admin.json("PATCH", "/api/users/quantri2", map[string]any{"disabled": true}, nil)
	if code := bearerStatus(t, ts, tok.Token); code != http.StatusUnauthorized {
		t.Fatalf("token of a disabled user: %d, want 401", code)
	}
}

func TestAPITokenExpires(t *testing.T) {
	ts := newTestServer(t)
	now := time.Date(2026, 12, 7, 23, 59, 50, 0, time.UTC)
	ts.web.now = func() time.Time { return now }
	admin := ts.signIn(t, "admin")
	var tok struct {
		Token   string
		Expires time.Time `json:"expires"`
	}
	var e apiErr
	if resp := admin.json("POST", "/api/tokens", map[string]any{"name": "x", "role": "viewer", "expires_in_days": 0}, &e); resp.StatusCode != 422 || e.Error.Field != "expires_in_days" {
		t.Fatalf("0 days: %s %+v", resp.Status, e)
	}
	admin.json("POST", "/api/tokens", map[string]any{"name": "giam-sat", "role": "viewer", "expires_in_days": 30}, &tok)
	if !tok.Expires.Equal(now.Add(30 * 24 * time.Hour)) {
		t.Fatalf("expires %v", tok.Expires)
	}
	if code := bearerStatus(t, ts, tok.Token); code != 200 {
		t.Fatalf("within its time: %d", code)
	}
	now = now.Add(30*24*time.Hour + time.Second)
	if code := bearerStatus(t, ts, tok.Token); code != http.StatusUnauthorized {
		t.Fatalf("expired token: %d, want 401", code)
	}
}

// bearerStatus is the status of GET /api/me with an API token.
func bearerStatus(t *testing.T, ts *testServer, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
