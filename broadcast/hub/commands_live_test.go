package hub

import (
	"strings"
	"testing"
	"time"

	"loa/broadcast/protocol"
)

// connectV1 connects an agent that speaks only protocol v1.
func connectV1(t *testing.T, s *testServer, token string) *agent {
	t.Helper()
	ws, _, err := dial(t, s, token)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	a := &agent{t: t, ws: ws}
	a.send(protocol.TypeHello, &protocol.Hello{Versions: []int{1}, Agent: "old-0.9", SentMs: time.Now().UnixMilli()})
	if w, ok := a.recv().Body.(*protocol.Welcome); !ok || w.Version != 1 {
		t.Fatalf("welcome %+v", w)
	}
	return a
}

func TestLiveCommandNeverReachesAV1Agent(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	oldToken, newToken := s.addStation(t, "tdp-31"), s.addStation(t, "tdp-32")
	laterToken := s.addStation(t, "tdp-33")
	old := connectV1(t, s, oldToken)
	cur, _ := connectAgent(t, s, newToken)
	live := protocol.Command{ID: "live-cmd-1", Kind: protocol.CommandLiveStart, Live: &protocol.Live{
		ID: "live-1", Title: "Họp tổ dân phố", Path: "/agent/live/live-1", Format: protocol.LivePCM16, Rate: 16000, Channels: 1, MaxMs: 60_000}}
	if err := s.hub.SendCommand(live, "tdp-31", "tdp-32", "tdp-33"); err != nil {
		t.Fatal(err)
	}
	if m, _ := cur.recvType(protocol.TypeCommand); m.Body.(*protocol.Command).Live.ID != "live-1" {
		t.Fatal("the v2 agent did not get live_start")
	}
	st := s.hub.Commands("tdp-31")
	if len(st) != 1 || st[0].State != protocol.StateFailed || !strings.Contains(st[0].Error, "v2") {
		t.Fatalf("v1 station's command state %+v, want failed with a clear error", st)
	}
	// A v1 agent that connects later is not sent the queued command either.
	late := connectV1(t, s, laterToken)
	late.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	late.recvType(protocol.TypePong) // its reader answers after queuing what was pending
	if st := s.hub.Commands("tdp-33"); len(st) != 1 || st[0].State != protocol.StateFailed {
		t.Fatalf("late v1 station's command state %+v", st)
	}
	// The v1 link is still up and gets v1 commands.
	if err := s.hub.SendCommand(protocol.Command{ID: "ref-1", Kind: protocol.CommandRefresh}, "tdp-31"); err != nil {
		t.Fatal(err)
	}
	if m, _ := old.recvType(protocol.TypeCommand); m.Body.(*protocol.Command).ID != "ref-1" {
		t.Fatal("the v1 agent got something other than the refresh")
	}
}
