package agent

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/protocol"
)

// statusServer is a server that welcomes one agent with a status interval
// of an hour, so every status after the first is one the agent sent
// because what its player does changed. Frames it should send go to send.
type statusServer struct {
	url      string
	statuses chan *protocol.Status
	send     chan []byte
}

func newStatusServer(t *testing.T) *statusServer {
	t.Helper()
	s := &statusServer{statuses: make(chan *protocol.Status, 64), send: make(chan []byte, 4)}
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		if err := s.welcome(ws); err != nil {
			t.Errorf("handshake: %v", err)
			return
		}
		go func() {
			for f := range s.send {
				ws.WriteMessage(websocket.TextMessage, f)
			}
		}()
		for {
			_, frame, err := ws.ReadMessage()
			if err != nil {
				return
			}
			m, err := protocol.Decode(frame)
			if err != nil {
				t.Errorf("the agent sent a frame the protocol refuses: %v\n%s", err, frame)
				return
			}
			if st, ok := m.Body.(*protocol.Status); ok {
				s.statuses <- st
			}
		}
	}))
	t.Cleanup(func() { close(s.send); srv.CloseClientConnections(); srv.Close() })
	s.url = srv.URL
	return s
}

func (s *statusServer) welcome(ws *websocket.Conn) error {
	_, frame, err := ws.ReadMessage()
	if err != nil {
		return err
	}
	m, err := protocol.Decode(frame)
	if err != nil {
		return err
	}
	now := time.Now().UnixMilli()
	hour := time.Hour.Milliseconds()
	w := &protocol.Welcome{Version: protocol.Version, Station: "tdp-05", PingIntervalMs: hour, StatusIntervalMs: hour,
		MaxAiredBatch: 100, ClockSample: protocol.ClockSample{EchoMs: m.Body.(*protocol.Hello).SentMs, RecvMs: now, SendMs: now}}
	out, err := protocol.Encode(protocol.TypeWelcome, 1, w)
	if err != nil {
		return err
	}
	return ws.WriteMessage(websocket.TextMessage, out)
}

// next waits for the next status (a bound on a hang: the periodic one is
// an hour away).
func (s *statusServer) next(t *testing.T) *protocol.Status {
	t.Helper()
	select {
	case st := <-s.statuses:
		return st
	case <-time.After(10 * time.Second):
		t.Fatal("no status within 10 s")
		return nil
	}
}

// A new playlist changes the item the player waits for; the agent says so
// at once, not at its next periodic status.
func TestStatusIsSentWhenThePlayerChanges(t *testing.T) {
	t.Parallel()
	srv := newStatusServer(t)
	now := time.Now()
	later := testItem(t, "later", jingle, now.Add(3*time.Hour))
	b := newTestAgent(t, now, func(c *Config) { c.Server = srv.url }, later)
	b.run(t, b.a.Run)

	st := srv.next(t)
	if st.Waiting == nil { // sent on connect before the player planned
		st = srv.next(t)
	}
	if st.Waiting == nil || st.Waiting.ItemID != "later" || st.Waiting.PlaylistVersion != 1 {
		t.Fatalf("the status waits for %+v, want later from version 1", st.Waiting)
	}
	sooner := testItem(t, "sooner", jingle, now.Add(2*time.Hour))
	pl := b.day
	pl.Version++
	pl.Items = []protocol.Item{sooner, later}
	pl.Hash = pl.ComputeHash()
	frame, err := protocol.Encode(protocol.TypePlaylist, 2, &pl)
	if err != nil {
		t.Fatal(err)
	}
	srv.send <- frame
	st = srv.next(t)
	if w := st.Waiting; w == nil || w.ItemID != "sooner" || w.PlaylistVersion != 2 || w.PlaylistHash != pl.Hash || w.PlannedMs != sooner.StartMs {
		t.Fatalf("after version 2 the status waits for %+v, want sooner from version 2", w)
	}
}
