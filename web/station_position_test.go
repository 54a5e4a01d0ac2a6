package web

import (
	"net/http"
	"testing"

	"loa/stations"
)

// A station's position (its location, drawn on the overview's map) is
// kept when a change leaves it out — the station form's other fields —
// and removed with an empty one (the form's empty latitude and
// longitude, {0, 0}).
func TestStationPositionKeptUnlessCleared(t *testing.T) {
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "An Phú"}, nil)
	ts.createStation(t, admin, "tdp-01")
	put := func(body map[string]any) stations.Station {
		t.Helper()
		var out stations.Station
		if resp := admin.json("PUT", "/api/stations/tdp-01", body, &out); resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT %v: %s", body, resp.Status)
		}
		return out
	}
	base := map[string]any{"name": "Tổ 1", "groups": []string{"an-phu"}, "zone": stations.DefaultZone, "volume": 80, "enabled": true}
	with := map[string]any{"location": map[string]float64{"lat": 10.79, "lon": 106.72}}
	for k, v := range base {
		with[k] = v
	}
	if got := put(with); got.Location == nil || got.Location.Lat != 10.79 {
		t.Fatalf("position not set: %+v", got.Location)
	}
	if got := put(base); got.Location == nil || got.Location.Lon != 106.72 {
		t.Errorf("a change without the position lost it: %+v", got.Location)
	}
	base["location"] = map[string]float64{"lat": 0, "lon": 0}
	if got := put(base); got.Location != nil {
		t.Errorf("an empty position did not clear it: %+v", got.Location)
	}
	var bad apiErr
	base["location"] = map[string]float64{"lat": 200, "lon": 106.72}
	if resp := admin.json("PUT", "/api/stations/tdp-01", base, &bad); resp.StatusCode != http.StatusUnprocessableEntity || bad.Error.Field != "lat" {
		t.Errorf("latitude 200: %s %+v", resp.Status, bad)
	}
}
