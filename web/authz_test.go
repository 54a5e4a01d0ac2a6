package web

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"loa/web/account"
)

// TestAuthorisationMatrix walks the route table: every route × anonymous,
// every role (and, for station routes, a person's session). A role below
// the route's must get 403, nobody signed in 401, and a role at or above
// it must get past the check. A new route is covered the moment it is in
// the table.
func TestAuthorisationMatrix(t *testing.T) {
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "Phường An Phú cũ"}, nil)
	stationToken := ts.createStation(t, admin, "tdp-01")
	roles := []Role{RoleViewer, RoleEditor, RoleApprover, RoleAdmin}
	for _, r := range roles {
		if r != RoleAdmin {
			ts.addUser(t, "u-"+string(r), r)
		}
	}
	userOf := map[Role]string{RoleViewer: "u-viewer", RoleEditor: "u-editor", RoleApprover: "u-approver", RoleAdmin: "admin"}

	// The emergency routes let in the roles the ward's setting names
	// (default: approvers and administrators).
	may := func(role Role, who access) bool {
		if who == sender {
			return slices.Contains(account.DefaultEmergencyRoles(), role)
		}
		return role.Can(Role(who))
	}
	for _, rt := range ts.web.routeTable() {
		method, path := splitPattern(rt.pattern)
		if rt.who == anyone || rt.who == public {
			continue // nothing to deny; TestPublicRoutesExposeNothingElse checks the public site
		}
		t.Run(rt.pattern, func(t *testing.T) {
			if got := status(t, ts, method, path, ""); got != http.StatusUnauthorized {
				t.Errorf("anonymous: %d, want 401", got)
			}
			got := statusWithToken(t, ts, method, path, stationToken)
			switch {
			case rt.who == station && (got == http.StatusUnauthorized || got == http.StatusForbidden):
				t.Errorf("the station's own token: %d, want to get past the check", got)
			case rt.who != station && got != http.StatusUnauthorized:
				t.Errorf("a station token on a person's route: %d, want 401", got)
			}
			for _, role := range roles {
				got := status(t, ts, method, path, ts.session(t, userOf[role]))
				switch {
				case rt.who == station && got != http.StatusUnauthorized:
					t.Errorf("%s session on a station route: %d, want 401", role, got)
				case rt.who != station && !may(role, rt.who) && got != http.StatusForbidden:
					t.Errorf("%s: %d, want 403", role, got)
				case rt.who != station && may(role, rt.who) && (got == http.StatusUnauthorized || got == http.StatusForbidden):
					t.Errorf("%s: %d, want to get past the check", role, got)
				}
			}
		})
	}
}

// session returns a fresh session cookie for name, made without the cost
// of a password check (routes such as logout end the session they get).
func (ts *testServer) session(t *testing.T, name string) string {
	t.Helper()
	token, err := ts.web.users.NewSession(name, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

var wildcard = regexp.MustCompile(`\{[a-z_]+(\.\.\.)?\}`)

// splitPattern turns "GET /api/segments/{id}" into a method and a path
// with every wildcard filled.
func splitPattern(p string) (method, path string) {
	method, path, _ = strings.Cut(p, " ")
	return method, wildcard.ReplaceAllString(path, "1")
}

func status(t *testing.T, ts *testServer, method, path, session string) int {
	t.Helper()
	return send(t, ts, method, path, func(req *http.Request) {
		if session != "" {
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
		}
	})
}

func statusWithToken(t *testing.T, ts *testServer, method, path, token string) int {
	t.Helper()
	return send(t, ts, method, path, func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+token) })
}

func send(t *testing.T, ts *testServer, method, path string, auth func(*http.Request)) int {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	auth(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
