package hub

import (
	"testing"
	"time"

	"loa/broadcast/protocol"
)

func TestMessageRateBucket(t *testing.T) {
	var m messageRate
	now := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	for i := range 3 {
		if !m.allow(now, 2, 3) {
			t.Fatalf("message %d within the burst refused", i+1)
		}
	}
	if m.allow(now, 2, 3) {
		t.Fatal("a fourth message at once was allowed")
	}
	if !m.allow(now.Add(500*time.Millisecond), 2, 3) {
		t.Fatal("refused after a token came back")
	}
}

// An agent flooding the server is cut off with 4007; others are not.
func TestFloodingAgentIsClosed(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	good, _ := connectAgent(t, s, s.addStation(t, "tdp-11"))
	bad, _ := connectAgent(t, s, s.addStation(t, "tdp-12"))
	for range DefaultMaxMessageBurst + 50 {
		// Status frames get no answer, so the server's send queue to this
		// agent stays empty and only the rate limit can close it.
		f, _ := protocol.Encode(protocol.TypeStatus, bad.seq+1, &protocol.Status{Volume: 80, OutputDB: -20})
		bad.seq++
		if bad.ws.WriteMessage(1, f) != nil {
			break
		}
	}
	if code := bad.closeCode(); code != protocol.CloseTooFast {
		t.Fatalf("flooding agent: close code %d, want %d", code, protocol.CloseTooFast)
	}
	good.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	if _, err := good.recvType(protocol.TypePong); err != nil {
		t.Fatalf("the well-behaved agent: %v", err)
	}
}
