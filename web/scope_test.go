package web

import (
	"net/http"
	"strings"
	"testing"
)

// A user limited to some groups works only on items aimed inside them,
// and the server checks it whatever the page shows.
func TestGroupLimitedUsers(t *testing.T) {
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	for _, g := range []string{"an-phu", "binh-trung"} {
		admin.json("PUT", "/api/groups/"+g, map[string]string{"name": g}, nil)
	}
	ts.createStation(t, admin, "tdp-01") // in an-phu
	admin.json("POST", "/api/stations", map[string]any{"id": "tdp-05", "name": "Tổ dân phố 5", "groups": []string{"binh-trung"}}, nil)
	ts.addLimitedUser(t, "bt-anphu", RoleEditor, "an-phu")
	ts.addLimitedUser(t, "ld-binhtrung", RoleApprover, "binh-trung")
	editor := ts.signIn(t, "bt-anphu")

	var own segmentView
	if resp := editor.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac"}, &own); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload without targets: %s", resp.Status)
	}
	if own.Targets.All || len(own.Targets.Groups) != 1 || own.Targets.Groups[0] != "an-phu" {
		t.Errorf("a limited editor's upload is aimed at %+v, want their group", own.Targets)
	}
	refused := []map[string]string{
		{"topic": "khac", "targets": "all"},
		{"topic": "khac", "groups": "binh-trung"},
		{"topic": "khac", "stations": "tdp-05"},
	}
	for _, fields := range refused {
		var e apiErr
		resp := editor.upload("mp3/cbr64-mono-44k.mp3", fields, &e)
		if resp.StatusCode != http.StatusForbidden || e.Error.Code != "out_of_scope" || !strings.Contains(e.Error.Message, "cụm, trạm được giao") {
			t.Errorf("%v: %s %+v, want 403 out_of_scope", fields, resp.Status, e.Error)
		}
	}
	var station segmentView
	if resp := editor.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac", "stations": "tdp-01"}, &station); resp.StatusCode != http.StatusCreated {
		t.Errorf("a station of their own group: %s", resp.Status)
	}
	var e apiErr
	if resp := editor.json("PATCH", pathOf(own, ""), map[string]any{"revision": own.Revision, "targets": map[string]any{"all": true}}, &e); resp.StatusCode != http.StatusForbidden {
		t.Errorf("widening to every station: %s", resp.Status)
	}
	editor.json("POST", pathOf(own, "/submit"), nil, nil)

	// An approver of another area cannot approve it; an unlimited admin can.
	other := ts.signIn(t, "ld-binhtrung")
	if resp := other.json("POST", pathOf(own, "/approve"), nil, &e); resp.StatusCode != http.StatusForbidden || e.Error.Code != "out_of_scope" {
		t.Errorf("approver of another area: %s %+v", resp.Status, e.Error)
	}
	if resp := admin.json("POST", pathOf(own, "/approve"), nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("admin approves: %s", resp.Status)
	}
}

func (ts *testServer) addLimitedUser(t *testing.T, name string, role Role, groups ...string) {
	t.Helper()
	hash, err := hashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.web.users.Put(User{Name: name, Role: role, Groups: groups, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
}
