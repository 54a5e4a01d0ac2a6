package hub

import (
	"testing"
	"time"

	"loa/broadcast/protocol"
)

// A restart keeps what operators watch — each station's command states —
// and still delivers a command that was waiting for an offline station.
func TestCommandsSurviveARestart(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	onlineToken := s.addStation(t, "tdp-41")
	offlineToken := s.addStation(t, "tdp-42")
	a, _ := connectAgent(t, s, onlineToken)
	item := playlistFor("tdp-41", "2026-11-28", 1, "Cảnh báo lũ").Items[0]
	item.Level = protocol.LevelEmergency
	cmd := protocol.Command{ID: "em-41", Kind: protocol.CommandEmergencyPlay, Item: &item, Repeat: 1}
	if err := s.hub.SendCommand(cmd, "tdp-41", "tdp-42"); err != nil {
		t.Fatal(err)
	}
	a.recvType(protocol.TypeCommand)
	a.send(protocol.TypeCommandAck, &protocol.CommandAck{ID: "em-41", State: protocol.StateFailed, Error: "no output"})
	a.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	a.recvType(protocol.TypePong)

	s.restart(t)
	online := s.hub.Commands("tdp-41")
	if len(online) != 1 || online[0].State != protocol.StateFailed || online[0].Error != "no output" || online[0].Kind != protocol.CommandEmergencyPlay {
		t.Fatalf("online station's command after a restart: %+v", online)
	}
	offline := s.hub.Commands("tdp-42")
	if len(offline) != 1 || offline[0].State != StateQueued || !offline[0].Expires.After(time.Now()) {
		t.Fatalf("offline station's command after a restart: %+v", offline)
	}
	b, _ := connectAgent(t, s, offlineToken)
	m, _ := b.recvType(protocol.TypeCommand)
	if got := m.Body.(*protocol.Command); got.ID != "em-41" || got.Item == nil || got.Item.Title != "Cảnh báo lũ" {
		t.Fatalf("the queued command after a restart: %+v", got)
	}
	b.send(protocol.TypeCommandAck, &protocol.CommandAck{ID: "em-41", State: protocol.StateDone})
	b.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	b.recvType(protocol.TypePong)
	if sum := s.hub.CommandSummary("em-41"); sum[protocol.StateDone] != 1 || sum[protocol.StateFailed] != 1 {
		t.Fatalf("summary after a restart: %v", sum)
	}

	// Done commands no longer carry their body on disk; a station keeps at
	// most keepCommands of them there too.
	for i := range keepCommands + 3 {
		id := "ref-" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		if err := s.hub.SendCommand(protocol.Command{ID: id, Kind: protocol.CommandRefresh}, "tdp-41"); err != nil {
			t.Fatal(err)
		}
	}
	s.restart(t)
	all, err := s.stations.AllCommands()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(all["tdp-41"]); n != keepCommands {
		t.Fatalf("%d commands of tdp-41 on disk, want %d", n, keepCommands)
	}
	for _, r := range all["tdp-42"] {
		if r.State == protocol.StateDone && r.Body != nil {
			t.Errorf("a done command kept its body: %+v", r)
		}
	}
}
