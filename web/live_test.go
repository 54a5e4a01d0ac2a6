package web

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/live"
	"loa/playlist/library"
)

// newLiveServer is a test server; live broadcasting and its record are
// part of every one.
func newLiveServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServer(t)
}

// liveAdmin signs in as the admin and makes the group stations join.
func liveAdmin(t *testing.T, ts *testServer) *client {
	t.Helper()
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "Phường An Phú"}, nil)
	return admin
}

type liveOpened struct {
	ID       string `json:"id"`
	Stations int    `json:"stations"`
	Socket   string `json:"socket"`
}

// openLive opens a live session for stations as c.
func openLive(t *testing.T, c *client, title string, stations ...string) liveOpened {
	t.Helper()
	var out liveOpened
	resp := c.json("POST", "/api/live", map[string]any{"title": title, "topic": "khac", "stations": stations, "max_minutes": 5}, &out)
	if resp.StatusCode != http.StatusCreated || out.ID == "" {
		t.Fatalf("open live: %s %+v", resp.Status, out)
	}
	return out
}

// speak connects the operator's microphone socket as the page does: same
// origin, the session cookie.
func speak(t *testing.T, ts *testServer, c *client, o liveOpened) *websocket.Conn {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	h := http.Header{"Origin": {ts.URL}}
	for _, ck := range c.http.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+o.Socket, h)
	if err != nil {
		t.Fatalf("dial the live socket: %v (%v)", err, resp)
	}
	t.Cleanup(func() { ws.Close() })
	var m struct{ Type string }
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := ws.ReadJSON(&m); err != nil || m.Type != "started" {
		t.Fatalf("first message %+v, %v", m, err)
	}
	return ws
}

// stopLive stops a session as the page's Stop does and waits until it ended.
func stopLive(t *testing.T, c *client, id string) {
	t.Helper()
	var out struct{ Ended bool }
	if resp := c.json("POST", "/api/live/"+id+"/stop", struct{}{}, &out); resp.StatusCode != 200 || !out.Ended {
		t.Fatalf("stop: %s %+v", resp.Status, out)
	}
}

// listen opens a station's live stream.
func listen(t *testing.T, ts *testServer, token, id string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/agent/live/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// tone is 20 ms of a 440 Hz tone at 16 kHz mono, starting at sample n.
func tone(n int) []byte {
	b := make([]byte, 640)
	for i := range 320 {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(n+i)/16000))
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

// closeOf reads until the socket closes and returns its close code and
// the segment the server said it saved.
func closeOf(t *testing.T, ws *websocket.Conn) (code int, reason string, saved uint64) {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		var m struct {
			Type      string
			SegmentID uint64 `json:"segment_id"`
		}
		err := ws.ReadJSON(&m)
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code, ce.Text, saved
		}
		if err != nil {
			t.Fatalf("read the live socket: %v", err)
		}
		if m.Type == "saved" {
			saved = m.SegmentID
		}
	}
}

func TestLiveBroadcastReachesStationsAndBecomesASegment(t *testing.T) {
	ts := newLiveServer(t)
	// Listeners may be up to 10 s behind here: this test is about what
	// they hear, not about dropping slow ones (broadcast/live tests that).
	ts.web.live.sessions = live.NewManager(ts.blobs.TempDir(), 500)
	admin := liveAdmin(t, ts)
	tok1, tok2 := ts.createStation(t, admin, "tdp-01"), ts.createStation(t, admin, "tdp-02")
	o := openLive(t, admin, "Họp tổ dân phố khẩn", "tdp-01", "tdp-02", "tdp-01")
	if o.Stations != 2 {
		t.Fatalf("%d stations, want 2 (a repeated one counts once)", o.Stations)
	}
	ws := speak(t, ts, admin, o)
	one, two := listen(t, ts, tok1, o.ID), listen(t, ts, tok2, o.ID)
	if one.StatusCode != 200 || two.StatusCode != 200 || one.Header.Get("X-Loa-Rate") != "16000" {
		t.Fatalf("listen: %s, %s, rate %q", one.Status, two.Status, one.Header.Get("X-Loa-Rate"))
	}
	var said bytes.Buffer
	for i := range 100 { // two seconds, sent faster than real time
		said.Write(tone(i * 320))
	}
	heard := make(chan []byte, 2)
	for _, resp := range []*http.Response{one, two} {
		go func() {
			got := make([]byte, said.Len())
			io.ReadFull(resp.Body, got)
			heard <- got
		}()
	}
	for f := range slices.Chunk(said.Bytes(), 640) {
		if err := ws.WriteMessage(websocket.BinaryMessage, f); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if !bytes.Equal(<-heard, said.Bytes()) {
			t.Fatal("a station heard something else than was said")
		}
	}
	var stopped struct {
		Ended     bool   `json:"ended"`
		SegmentID uint64 `json:"segment_id"`
	}
	if resp := admin.json("POST", "/api/live/"+o.ID+"/stop", struct{}{}, &stopped); resp.StatusCode != 200 || !stopped.Ended || stopped.SegmentID == 0 {
		t.Fatalf("stop: %s %+v", resp.Status, stopped)
	}
	if code, _, saved := closeOf(t, ws); code != websocket.CloseNormalClosure || saved != stopped.SegmentID {
		t.Fatalf("socket closed %d, saved %d", code, saved)
	}
	for _, resp := range []*http.Response{one, two} {
		if rest, err := io.ReadAll(resp.Body); err != nil || len(rest) != 0 {
			t.Fatalf("the stream did not end cleanly: %d more bytes, %v", len(rest), err)
		}
	}
	seg, err := ts.lib.Segment(stopped.SegmentID)
	if err != nil {
		t.Fatal(err)
	}
	if seg.Title != "Họp tổ dân phố khẩn" || seg.Status != library.StatusApproved || seg.Level != library.LevelEmergency ||
		seg.Audio.DurationMS < 1900 || seg.Audio.DurationMS > 2100 || !slices.Equal(seg.Targets.Stations, []string{"tdp-01", "tdp-02"}) {
		t.Fatalf("segment %+v", seg)
	}
	if last := seg.History[len(seg.History)-1]; last.Action != library.ActionApprove || last.By != "admin" {
		t.Fatalf("history %+v", seg.History)
	}
	var view liveView
	if resp := admin.json("GET", "/api/live/"+o.ID, nil, &view); resp.StatusCode != 200 || view.SegmentID != seg.ID || view.LengthMs != 2000 {
		t.Fatalf("live view %s %+v", resp.Status, view)
	}
	var audit []struct{ Action, Target string }
	admin.json("GET", "/api/audit", nil, &audit)
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"live.open", "live.start", "live.end", "segment.create", "segment.approve"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}
	if left, _ := os.ReadDir(ts.blobs.TempDir()); len(left) != 0 {
		t.Fatalf("%d files left in the temp dir", len(left))
	}
}

func TestLiveStreamRefusesOtherStations(t *testing.T) {
	ts := newLiveServer(t)
	admin := liveAdmin(t, ts)
	tok1, tok2 := ts.createStation(t, admin, "tdp-01"), ts.createStation(t, admin, "tdp-02")
	tok3 := ts.createStation(t, admin, "tdp-03")
	o := openLive(t, admin, "Thông báo", "tdp-01", "tdp-03")
	speak(t, ts, admin, o)
	if resp := admin.json("DELETE", "/api/stations/tdp-03/token", nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %s", resp.Status)
	}
	for _, tc := range []struct {
		name, token, id string
		want            int
	}{
		{"a station not in the broadcast", tok2, o.ID, http.StatusForbidden},
		{"a revoked token", tok3, o.ID, http.StatusUnauthorized},
		{"no token", "", o.ID, http.StatusUnauthorized},
		{"an unknown session", tok1, "live-nope", http.StatusNotFound},
	} {
		if got := listen(t, ts, tc.token, tc.id).StatusCode; got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if got := listen(t, ts, tok1, o.ID).StatusCode; got != http.StatusOK {
		t.Fatalf("the targeted station: %d", got)
	}
	stopLive(t, admin, o.ID)
}

func TestLiveSocketOnlyForItsOperatorFromThisSite(t *testing.T) {
	ts := newLiveServer(t)
	admin := liveAdmin(t, ts)
	ts.createStation(t, admin, "tdp-01")
	ts.addUser(t, "admin2", RoleAdmin)
	other := ts.signIn(t, "admin2")
	o := openLive(t, admin, "Thông báo", "tdp-01")
	dial := func(c *client, origin string) int {
		u, _ := url.Parse(ts.URL)
		h := http.Header{"Origin": {origin}}
		for _, ck := range c.http.Jar.Cookies(u) {
			h.Add("Cookie", ck.Name+"="+ck.Value)
		}
		ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+o.Socket, h)
		if err == nil {
			ws.Close()
			return http.StatusSwitchingProtocols
		}
		return resp.StatusCode
	}
	if got := dial(other, ts.URL); got != http.StatusForbidden {
		t.Errorf("another operator: %d, want 403", got)
	}
	if got := dial(admin, "http://evil.example"); got != http.StatusForbidden {
		t.Errorf("another site: %d, want 403", got)
	}
	stopLive(t, admin, o.ID)
}

func TestLiveBadFramesEndItWithNoSegment(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  int
		data []byte
		code int
	}{
		{"text frame", websocket.TextMessage, []byte(`{"hello":1}`), websocket.CloseUnsupportedData},
		{"odd length", websocket.BinaryMessage, make([]byte, 641), websocket.CloseInvalidFramePayloadData},
		{"too big", websocket.BinaryMessage, make([]byte, 16000), websocket.CloseMessageTooBig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newLiveServer(t)
			admin := liveAdmin(t, ts)
			tok := ts.createStation(t, admin, "tdp-01")
			o := openLive(t, admin, "Thông báo", "tdp-01")
			ws := speak(t, ts, admin, o)
			stream := listen(t, ts, tok, o.ID)
			for i := range 25 { // half a second of good audio first
				ws.WriteMessage(websocket.BinaryMessage, tone(i*320))
			}
			ws.WriteMessage(tc.typ, tc.data)
			code, reason, saved := closeOf(t, ws)
			if code != tc.code || reason == "" || saved != 0 {
				t.Fatalf("closed %d %q, saved %d; want %d with a reason, nothing saved", code, reason, saved, tc.code)
			}
			if _, err := io.ReadAll(stream.Body); err != nil {
				t.Fatalf("the station's stream did not end: %v", err)
			}
			if segs, _ := ts.lib.List(library.Filter{}); len(segs) != 0 {
				t.Fatalf("%d segments made of a broken broadcast", len(segs))
			}
			var view liveView
			if resp := admin.json("GET", "/api/live/"+o.ID, nil, &view); resp.StatusCode != 200 || view.SegmentID != 0 || view.OnAir {
				t.Fatalf("live view %s %+v", resp.Status, view)
			}
			if left, _ := os.ReadDir(ts.blobs.TempDir()); len(left) != 0 {
				t.Fatalf("%d files left in the temp dir", len(left))
			}
		})
	}
}

// What the operator sees when the live form is wrong: the field, and words
// in Vietnamese.
func TestLiveFormErrorsNameTheField(t *testing.T) {
	ts := newLiveServer(t)
	admin := liveAdmin(t, ts)
	ts.createStation(t, admin, "tdp-01")
	ok := map[string]any{"title": "Họp khẩn", "topic": "khac", "stations": []string{"tdp-01"}, "max_minutes": 5}
	with := func(k string, v any) map[string]any {
		m := maps.Clone(ok)
		m[k] = v
		return m
	}
	tests := []struct {
		name        string
		body        map[string]any
		status      int
		code, field string
		vi          string
	}{
		{"no title", with("title", "  "), 422, "", "title", "bắt buộc"},
		{"too long", with("max_minutes", 500), 422, "live_length", "max_minutes", "từ 1 đến 240 phút"},
		{"unknown topic", with("topic", "khong-co"), 422, "", "topic", ""},
		{"unknown station", with("stations", []string{"tdp-99"}), 422, "unknown_station", "stations", "Không có trạm “tdp-99”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiErr
			resp := admin.json("POST", "/api/live", tt.body, &e)
			if resp.StatusCode != tt.status ||
				(tt.code != "" && e.Error.Code != tt.code) || e.Error.Field != tt.field || e.Error.Message == "" {
				t.Fatalf("got %s %+v, want %d %s on %q with a message", resp.Status, e.Error, tt.status, tt.code, tt.field)
			}
			if !strings.Contains(e.Error.Message, tt.vi) {
				t.Errorf("message %q does not say %q", e.Error.Message, tt.vi)
			}
		})
	}
}
