package hub

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"loa/broadcast/protocol"
)

// An agent that stops reading is dropped once its socket and queue are
// full, and never holds back the others.
func TestSlowAgentDoesNotBlockOthers(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	connectAgent(t, s, s.addStation(t, "tdp-slow")) // never reads again
	good, _ := connectAgent(t, s, s.addStation(t, "tdp-good"))
	received := make(chan string, 1)
	go func() {
		for {
			good.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, frame, err := good.ws.ReadMessage()
			if err != nil {
				close(received)
				return
			}
			if m, err := protocol.Decode(frame); err == nil && m.Type == protocol.TypeCommand && m.Body.(*protocol.Command).ID == "after" {
				received <- "after"
				return
			}
		}
	}()
	item := playlistFor("tdp-slow", "2026-11-28", 1, strings.Repeat("Cảnh báo ", 25)).Items[0]
	for i := 0; s.hub.Connected("tdp-slow"); i++ {
		if i == 100000 {
			t.Fatal("a reader that never reads was never dropped")
		}
		cmd := protocol.Command{ID: fmt.Sprintf("em-%d", i), Kind: protocol.CommandEmergencyPlay, Item: &item, Repeat: 1}
		targets := []string{"tdp-slow"}
		if i%100 == 0 { // the good agent shares some broadcasts, not the flood
			targets = append(targets, "tdp-good")
		}
		if err := s.hub.SendCommand(cmd, targets...); err != nil {
			t.Fatal(err)
		}
	}
	if !s.hub.Connected("tdp-good") {
		t.Fatal("the good agent was dropped too")
	}
	// The good agent keeps getting commands after the slow one is gone.
	after := protocol.Command{ID: "after", Kind: protocol.CommandRefresh}
	s.hub.SendCommand(after, "tdp-good")
	if <-received != "after" {
		t.Fatal("the good agent stopped receiving")
	}
}
