package web

import (
	"strings"
	"testing"
)

// Every change to stations, groups, tokens and commands is in the audit
// log, and a token never is.
func TestAuditLogRecordsStationChanges(t *testing.T) {
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "Phường An Phú cũ"}, nil)
	token := ts.createStation(t, admin, "tdp-09")
	admin.json("PUT", "/api/stations/tdp-09", map[string]any{"name": "Tổ dân phố 9 (mới)", "groups": []string{"an-phu"}}, nil)
	var rotated map[string]string
	admin.json("POST", "/api/stations/tdp-09/token", nil, &rotated)
	admin.json("POST", "/api/commands", map[string]any{"kind": "set_volume", "volume": 50, "stations": []string{"tdp-09"}}, nil)
	admin.json("DELETE", "/api/stations/tdp-09/token", nil, nil)

	var log []AuditEntry
	admin.json("GET", "/api/audit", nil, &log)
	var actions []string
	for _, e := range log {
		if e.Action == "session.start" {
			continue // sign-ins are in the log too
		}
		actions = append(actions, e.Action)
		for _, secret := range []string{token, rotated["token"]} {
			if strings.Contains(string(e.Before)+string(e.After), secret) {
				t.Errorf("%s recorded a token", e.Action)
			}
		}
	}
	want := "station.token_revoke,command.send,station.token_rotate,station.update,station.create,group.put"
	if strings.Join(actions, ",") != want {
		t.Fatalf("actions newest first:\n got %s\nwant %s", strings.Join(actions, ","), want)
	}
	if !strings.Contains(string(log[3].Before), "Tổ dân phố tdp-09") || !strings.Contains(string(log[3].After), "Tổ dân phố 9 (mới)") {
		t.Errorf("station.update before %s after %s", log[3].Before, log[3].After)
	}
}
