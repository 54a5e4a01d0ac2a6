package web

import (
	"net/http"
	"testing"
)

func TestUsersAPI(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var e apiErr
	for _, c := range []struct {
		body        map[string]any
		status      int
		code, field string
	}{
		{map[string]any{"name": "Bien Tap", "password": "mat-khau-dai"}, 422, "user_name", "name"},
		{map[string]any{"name": "bientap", "password": "ngan"}, 422, "password_too_short", "password"},
		{map[string]any{"name": "bientap", "password": "mat-khau-dai", "role": "boss"}, 422, "unknown_role", "role"},
		{map[string]any{"name": "bientap", "password": "mat-khau-dai", "role": "viewer", "groups": []string{"an-phu"}}, 422, "groups_not_applicable", "groups"},
		{map[string]any{"name": "admin", "password": "mat-khau-dai"}, 409, "user_exists", "name"},
	} {
		e = apiErr{}
		if resp := admin.json("POST", "/api/users", c.body, &e); resp.StatusCode != c.status || e.Error.Code != c.code || e.Error.Field != c.field {
			t.Errorf("%v: %s %+v, want %d %s at %s", c.body, resp.Status, e.Error, c.status, c.code, c.field)
		}
	}

	var u userAdminView
	resp := admin.json("POST", "/api/users", map[string]any{"name": "bientap", "display_name": "Nguyễn Thị Hoà", "role": "editor",
		"groups": []string{"an-phu", " an-phu ", ""}, "password": "mat-khau-dai"}, &u)
	if resp.StatusCode != http.StatusCreated || u.Role != RoleEditor || len(u.Groups) != 1 || u.DisplayName != "Nguyễn Thị Hoà" {
		t.Fatalf("create: %s %+v", resp.Status, u)
	}
	editor := ts.client(t)
	if resp := editor.json("POST", "/api/login", map[string]string{"name": "bientap", "password": "mat-khau-dai"}, nil); resp.StatusCode != 200 {
		t.Fatalf("the new user cannot sign in: %s", resp.Status)
	}
	if resp := editor.json("GET", "/api/users", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an editor lists users: %s", resp.Status)
	}

	// Disabling ends what the person can do at once.
	if resp := admin.json("PATCH", "/api/users/bientap", map[string]any{"disabled": true}, &u); resp.StatusCode != 200 || !u.Disabled {
		t.Fatalf("disable: %s %+v", resp.Status, u)
	}
	if resp := editor.json("GET", "/api/me", nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user's session still works: %s", resp.Status)
	}
	// An admin cannot lock themselves out.
	e = apiErr{}
	if resp := admin.json("PATCH", "/api/users/admin", map[string]any{"role": "viewer"}, &e); resp.StatusCode != http.StatusConflict || e.Error.Code != "self_lockout" {
		t.Errorf("self demotion: %s %+v", resp.Status, e)
	}
	if resp := admin.json("PATCH", "/api/users/nobody", map[string]any{"disabled": true}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown user: %s", resp.Status)
	}
	var list []userAdminView
	if admin.json("GET", "/api/users", nil, &list); len(list) != 2 || list[1].Name != "bientap" {
		t.Errorf("list: %+v", list)
	}
}
