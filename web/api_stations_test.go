package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/hub"
	"loa/broadcast/protocol"
	"loa/playlist/library"
	"loa/stations"
)

// newStationServer is a test server; the station registry and the agent
// hub are part of every one.
func newStationServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServer(t)
}

type createdStation struct {
	Station stations.Station `json:"station"`
	Token   string           `json:"token"`
}

func (ts *testServer) createStation(t *testing.T, c *client, id string) string {
	t.Helper()
	var out createdStation
	resp := c.json("POST", "/api/stations", map[string]any{"id": id, "name": "Tổ dân phố " + id, "groups": []string{"an-phu"}}, &out)
	if resp.StatusCode != http.StatusCreated || out.Token == "" || out.Station.Zone != stations.DefaultZone {
		t.Fatalf("create station: %s %+v", resp.Status, out)
	}
	return out.Token
}

// dialAgent connects to the agent link through the whole web stack and
// says hello.
func dialAgent(t *testing.T, ts *testServer, token string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{"Authorization": {"Bearer " + token}}
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/agent/v1/link", h)
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { ws.Close() })
	frame, _ := protocol.Encode(protocol.TypeHello, 1, &protocol.Hello{Versions: []int{1}, Agent: "web-test", SentMs: time.Now().UnixMilli()})
	ws.WriteMessage(websocket.TextMessage, frame)
	return ws, resp, nil
}

func readType(t *testing.T, ws *websocket.Conn, typ string) protocol.Message {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, frame, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for %s: %v", typ, err)
		}
		if m, err := protocol.Decode(frame); err == nil && m.Type == typ {
			return m
		}
	}
}

func TestStationsAPI(t *testing.T) {
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	if resp := admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "Xã An Phú cũ"}, nil); resp.StatusCode != 200 {
		t.Fatalf("put group: %s", resp.Status)
	}
	token := ts.createStation(t, admin, "tdp-05")

	var e errorBody
	resp := admin.json("POST", "/api/stations", map[string]any{"id": "Tổ 5", "name": "x"}, &e)
	if resp.StatusCode != 422 || e.Error.Code != "station_id_invalid" || e.Error.Field != "id" || !strings.Contains(e.Error.Message, "Mã trạm") {
		t.Fatalf("bad id: %s %+v", resp.Status, e)
	}
	resp = admin.json("POST", "/api/stations", map[string]any{"id": "tdp-05", "name": "x"}, &e)
	if resp.StatusCode != 409 || e.Error.Code != "station_id_taken" {
		t.Fatalf("duplicate: %s %+v", resp.Status, e)
	}
	if resp := admin.json("DELETE", "/api/groups/an-phu", nil, &e); resp.StatusCode != 409 || e.Error.Code != "group_in_use" {
		t.Fatalf("delete used group: %s %+v", resp.Status, e)
	}

	ws, _, err := dialAgent(t, ts, token)
	if err != nil {
		t.Fatal(err)
	}
	readType(t, ws, protocol.TypeWelcome)
	var list []stationView
	admin.json("GET", "/api/stations", nil, &list)
	if len(list) != 1 || !list[0].Online || list[0].Presence == nil || list[0].Presence.AgentVersion != "web-test" {
		t.Fatalf("list: %+v", list)
	}

	var sent struct {
		ID       string `json:"id"`
		Stations int    `json:"stations"`
	}
	resp = admin.json("POST", "/api/commands", map[string]any{"kind": "set_volume", "volume": 40, "groups": []string{"an-phu"}}, &sent)
	if resp.StatusCode != http.StatusAccepted || sent.Stations != 1 {
		t.Fatalf("command: %s %+v", resp.Status, sent)
	}
	if cmd := readType(t, ws, protocol.TypeCommand).Body.(*protocol.Command); cmd.ID != sent.ID || cmd.Volume != 40 {
		t.Fatalf("agent got %+v", cmd)
	}
	var refused apiErr
	resp = admin.json("POST", "/api/commands", map[string]any{"kind": "refresh", "stations": []string{"tdp-05", "tdp-50"}}, &refused)
	if resp.StatusCode != http.StatusUnprocessableEntity || refused.Error.Code != "unknown_station" || refused.Error.Field != "stations" ||
		!strings.Contains(refused.Error.Message, "tdp-50") {
		t.Fatalf("a command to a station that does not exist: %s %+v", resp.Status, refused.Error)
	}
	var status struct {
		States map[string]int `json:"states"`
	}
	admin.json("GET", "/api/commands/"+sent.ID, nil, &status)
	if status.States[hub.StateSent]+status.States[protocol.StateDelivered] != 1 {
		t.Fatalf("command status %+v", status)
	}

	var rotated map[string]string
	admin.json("POST", "/api/stations/tdp-05/token", nil, &rotated)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != protocol.CloseRevoked {
				t.Fatalf("after rotation: %v", err)
			}
			break
		}
	}
	if _, resp, err := dialAgent(t, ts, token); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old token after rotation: %v", err)
	}
	if _, _, err := dialAgent(t, ts, rotated["token"]); err != nil {
		t.Fatalf("new token: %v", err)
	}
}

func TestAgentAudioDownload(t *testing.T) {
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "An Phú"}, nil)
	token := ts.createStation(t, admin, "tdp-01")

	data := []byte("ID3 not really an mp3, but bytes are bytes")
	tmp, err := ts.blobs.TempFile()
	if err != nil {
		t.Fatal(err)
	}
	tmp.Write(data)
	tmp.Close()
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if err := ts.blobs.Put(tmp.Name(), sha); err != nil {
		t.Fatal(err)
	}
	// A station gets only audio it was sent: here an emergency broadcast.
	req, _ := http.NewRequest("GET", ts.URL+"/agent/v1/audio/"+sha, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("audio never sent: %v %v", resp.Status, err)
	}
	seg, err := ts.lib.Create(library.Segment{Title: "Báo cháy", Topic: "cchc-tthc", Level: library.LevelEmergency, Targets: library.Targets{All: true},
		Audio: library.Audio{SHA256: sha, Format: "mp3", DurationMS: 3000, Size: int64(len(data))}}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	ts.lib.Do(seg.ID, library.ActionSubmit, "admin", "")
	ts.lib.Do(seg.ID, library.ActionApprove, "admin", "")
	var e apiErr
	if resp := admin.json("POST", "/api/commands", map[string]any{"kind": "emergency_play", "segment_id": seg.ID, "stations": []string{"tdp-01"}, "repeat": 1}, &e); resp.StatusCode >= 300 {
		t.Fatalf("emergency: %s %+v", resp.Status, e)
	}
	req, _ = http.NewRequest("GET", ts.URL+"/agent/v1/audio/"+sha, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Range", "bytes=4-")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || string(body) != string(data[4:]) {
		t.Fatalf("range download: %s %q", resp.Status, body)
	}
	req.Header.Set("Authorization", "Bearer loa_st_wrong")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong token: %s", resp.Status)
	}
	// An audio file the server does not have is 404, as documented (was 500).
	req, _ = http.NewRequest("GET", ts.URL+"/agent/v1/audio/"+strings.Repeat("0", 64), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown audio: %s", resp.Status)
	}
}
