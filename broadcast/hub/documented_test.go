package hub

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"loa/audio"
	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
)

// closeOf reads until the server closes and returns its close frame.
func (a *agent) closeOf() *websocket.CloseError {
	a.t.Helper()
	a.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := a.ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				a.t.Fatalf("connection ended without a close frame: %v", err)
			}
			return ce
		}
	}
}

// Every close the server sends says why, in the close frame's reason, as
// docs/protocol.md promises: 1009 for an oversized frame, 4000 for a binary
// frame, 4002 for a first frame that is not hello.
func TestCloseFramesCarryTheirReason(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	oversized, _ := connectAgent(t, s, s.addStation(t, "tdp-30"))
	oversized.raw(bytes.Repeat([]byte(" "), protocol.MaxMessageBytes+10))
	if ce := oversized.closeOf(); ce.Code != protocol.CloseTooLarge || !strings.Contains(ce.Text, "1048576") {
		t.Errorf("oversized frame: close %d %q", ce.Code, ce.Text)
	}

	binary, _ := connectAgent(t, s, s.addStation(t, "tdp-31"))
	if err := binary.ws.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	if ce := binary.closeOf(); ce.Code != protocol.CloseBadMessage || ce.Text == "" {
		t.Errorf("binary frame: close %d %q", ce.Code, ce.Text)
	}

	ws, _, err := dial(t, s, s.addStation(t, "tdp-32"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	first := &agent{t: t, ws: ws}
	first.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	if ce := first.closeOf(); ce.Code != protocol.CloseOutOfOrder || !strings.Contains(ce.Text, "hello") {
		t.Errorf("first frame not hello: close %d %q", ce.Code, ce.Text)
	}
}

// syncBuffer is a log the test reads while the hub writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// An agent that closes its link normally (1000 "bye") is logged with that
// code and reason, not as an abnormal closure (1006).
func TestNormalCloseIsLoggedAsSent(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	s := &testServer{log: slog.New(slog.NewTextHandler(&logs, nil))}
	base := newTestServer(t)
	s.db, s.stations, s.ledger, s.playlists = base.db, base.stations, base.ledger, base.playlists
	s.startHub(t)
	t.Cleanup(s.stop)
	a, _ := connectAgent(t, s, s.addStation(t, "tdp-33"))
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")
	if err := a.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if ce := a.closeOf(); ce.Code != websocket.CloseNormalClosure {
		t.Errorf("the server answered close %d", ce.Code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "agent link closed") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	line := logs.String()
	if !strings.Contains(line, "close_code=1000") || !strings.Contains(line, "reason=bye") || strings.Contains(line, "1006") {
		t.Errorf("log: %s", line)
	}
}

// An aired event whose title is not valid UTF-8 closes the link with 4000
// and stores nothing (no title with U+FFFD in the ledger).
func TestInvalidUTF8AiredEventIsRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	a, _ := connectAgent(t, s, s.addStation(t, "tdp-34"))
	planned := day.Add(6 * time.Hour)
	frame, err := protocol.Encode(protocol.TypeAired, a.seq+1, &protocol.Aired{Events: []protocol.AiredEvent{airedEvent("ev-utf8", planned)}})
	if err != nil {
		t.Fatal(err)
	}
	a.raw(bytes.Replace(frame, []byte(`"title":"`), []byte("\"title\":\"\xff"), 1))
	if ce := a.closeOf(); ce.Code != protocol.CloseBadMessage || !strings.Contains(ce.Text, "UTF-8") {
		t.Errorf("close %d %q", ce.Code, ce.Text)
	}
	n := 0
	s.ledger.Between(planned.Add(-time.Hour), planned.Add(time.Hour), func(ledger.Event) error { n++; return nil })
	if n != 0 {
		t.Errorf("%d events stored from a refused frame", n)
	}
}

// set_volume 0 reaches the agent with "volume":0: a station can be muted.
func TestSetVolumeZeroReachesTheAgent(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	a, _ := connectAgent(t, s, s.addStation(t, "tdp-35"))
	if err := s.hub.SendCommand(protocol.Command{ID: "cmd-mute", Kind: protocol.CommandSetVolume, Volume: 0}, "tdp-35"); err != nil {
		t.Fatal(err)
	}
	a.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, frame, err := a.ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(frame, []byte(`"kind":"set_volume"`)) {
			if !bytes.Contains(frame, []byte(`"volume":0`)) {
				t.Fatalf("set_volume 0 arrives as %s", frame)
			}
			return
		}
	}
}

// An unknown sha256 is 404, with the audio files the server really keeps.
func TestUnknownAudioIsNotFound(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	token := s.addStation(t, "tdp-36")
	blobs, err := audio.OpenBlobs(filepath.Join(t.TempDir(), "audio"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /a/{sha256}", s.hub.AudioHandler(func(sum string) (io.ReadSeekCloser, time.Time, error) {
		f, err := blobs.Open(sum)
		if err != nil {
			return nil, time.Time{}, err
		}
		return f, time.Time{}, nil
	}))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/a/"+strings.Repeat("cd", 32), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown audio: %s", resp.Status)
	}
}

// An aired frame is all or nothing: one invalid event refuses the frame
// (close 4000) and none of its events is stored. Within a frame that is
// taken, an event sent twice is stored once and counted once as a
// duplicate.
func TestAiredFrameIsAllOrNothing(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	planned := day.Add(7 * time.Hour)
	stored := func() int {
		n := 0
		s.ledger.Between(planned.Add(-time.Hour), planned.Add(time.Hour), func(ledger.Event) error { n++; return nil })
		return n
	}

	token := s.addStation(t, "tdp-37")
	a, _ := connectAgent(t, s, token)
	bad := airedEvent("ev-bad", planned)
	bad.Outcome = "sung" // not an outcome
	a.send(protocol.TypeAired, &protocol.Aired{Events: []protocol.AiredEvent{airedEvent("ev-good", planned), bad}})
	if ce := a.closeOf(); ce.Code != protocol.CloseBadMessage {
		t.Errorf("a frame with an invalid event: close %d %q", ce.Code, ce.Text)
	}
	if n := stored(); n != 0 {
		t.Fatalf("%d events of a refused frame stored", n)
	}

	a, _ = connectAgent(t, s, token)
	twice := airedEvent("ev-twice", planned)
	a.send(protocol.TypeAired, &protocol.Aired{Events: []protocol.AiredEvent{twice, airedEvent("ev-once", planned), twice}})
	m, _ := a.recvType(protocol.TypeAiredAck)
	if ack := m.Body.(*protocol.AiredAck); ack.Ref != a.seq || ack.Stored != 2 || ack.Duplicates != 1 {
		t.Errorf("ack %+v, want ref %d, 2 stored and 1 duplicate", ack, a.seq)
	}
	if n := stored(); n != 2 {
		t.Errorf("%d events stored, want 2", n)
	}
}
