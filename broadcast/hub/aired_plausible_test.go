package hub

import (
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
)

// newClockServer is a test server whose hub reads a fixed clock: 06:30 in
// the ward on the test day (the hub's decisions never read the wall clock).
func newClockServer(t *testing.T, cfg Config) (*testServer, time.Time) {
	t.Helper()
	now := day.Add(23*time.Hour + 30*time.Minute) // 06:30 on 29/11 in Asia/Ho_Chi_Minh
	s := newTestServer(t)
	cfg.Now = func() time.Time { return now }
	s.cfg = cfg
	s.restart(t)
	return s, now
}

// unplannedOf stores events as station's agent and returns each stored
// event's Unplanned by id.
func unplannedOf(t *testing.T, s *testServer, token string, events ...protocol.AiredEvent) map[string]string {
	t.Helper()
	a, _ := connectAgent(t, s, token)
	a.send(protocol.TypeAired, &protocol.Aired{Events: events})
	a.recvType(protocol.TypeAiredAck)
	got := map[string]string{}
	s.ledger.Between(time.Unix(0, 0), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), func(e ledger.Event) error {
		got[e.ID] = e.Unplanned
		return nil
	})
	return got
}

func TestAiredEventsMustNameWhatTheStationWasSent(t *testing.T) {
	t.Parallel()
	s, now := newClockServer(t, Config{})
	token := s.addStation(t, "tdp-51")
	pl := playlistFor("tdp-51", "2026-11-28", 1, "Thông báo thu thuế", "Lịch tiếp dân")
	s.playlists.set("tdp-51", pl)
	it := pl.Items[0]
	sent := airedEvent("sent", time.UnixMilli(it.StartMs))
	sent.ItemID = it.ID
	invented := airedEvent("invented", time.UnixMilli(it.StartMs))
	invented.ItemID = "it-never-planned"
	moved := airedEvent("moved", time.UnixMilli(it.StartMs).Add(time.Hour)) // a real item, another instant
	moved.ItemID = it.ID
	future := airedEvent("year-2099", time.Date(2099, 1, 1, 1, 0, 0, 0, time.UTC))
	future.ItemID = it.ID
	old := airedEvent("year-2020", time.Date(2020, 1, 1, 1, 0, 0, 0, time.UTC))
	old.ItemID = it.ID
	ended := airedEvent("ends-tomorrow", time.UnixMilli(it.StartMs))
	ended.ItemID, ended.EndedMs = it.ID, now.Add(24*time.Hour).UnixMilli()
	emergency := airedEvent("emergency", now.Add(-time.Minute))
	emergency.ItemID, emergency.CommandID, emergency.Level = "e-1", "cmd-never-sent", protocol.LevelEmergency
	got := unplannedOf(t, s, token, sent, invented, moved, future, old, ended, emergency)
	want := map[string]string{
		"sent": "", "invented": ledger.UnplannedNotSent, "moved": ledger.UnplannedNotSent,
		"year-2099": ledger.UnplannedTime, "year-2020": ledger.UnplannedTime, "ends-tomorrow": ledger.UnplannedTime,
		"emergency": ledger.UnplannedNotSent,
	}
	for id, w := range want {
		if g, ok := got[id]; !ok || g != w {
			t.Errorf("%s: unplanned %q (stored %v), want %q", id, g, ok, w)
		}
	}
	// Only the sent one counts in the rollups.
	planned := 0
	s.ledger.Rollups("2026-11-28", "2026-11-29", func(c *ledger.Cell) error { planned += c.Planned; return nil })
	if planned != 1 {
		t.Errorf("the rollups count %d planned plays, want 1", planned)
	}
}

func TestAiredEventOfACommandTheStationWasSentCounts(t *testing.T) {
	t.Parallel()
	s, now := newClockServer(t, Config{})
	token := s.addStation(t, "tdp-52")
	cmd := protocol.Command{ID: "cmd-bao-chay", Kind: protocol.CommandEmergencyStop}
	if err := s.hub.SendCommand(cmd, "tdp-52"); err != nil {
		t.Fatal(err)
	}
	ev := airedEvent("emergency", now.Add(-time.Minute))
	ev.ItemID, ev.CommandID, ev.Level = "e-1", cmd.ID, protocol.LevelEmergency
	ev.StartedMs, ev.EndedMs = now.Add(-time.Minute).UnixMilli(), now.UnixMilli()
	if got := unplannedOf(t, s, token, ev); got["emergency"] != "" {
		t.Fatalf("an emergency it was sent: %q", got["emergency"])
	}
}

func TestMessageRateSurvivesReconnects(t *testing.T) {
	t.Parallel()
	s, _ := newClockServer(t, Config{MaxMessageRate: 0.001, MaxMessageBurst: 3})
	token := s.addStation(t, "tdp-53")
	for range 3 { // each connection spends one message of the 3: a ping
		a, _ := connectAgent(t, s, token)
		a.send(protocol.TypePing, &protocol.Ping{SentMs: day.UnixMilli()})
		a.recvType(protocol.TypePong)
		a.ws.Close()
	}
	a, _ := connectAgent(t, s, token)
	a.send(protocol.TypePing, &protocol.Ping{SentMs: day.UnixMilli()})
	if code := a.closeCode(); code != int(protocol.CloseTooFast) {
		t.Fatalf("a station reconnecting to refill its allowance: close %d, want %d", code, protocol.CloseTooFast)
	}
}

func TestAiredEventsBoundedPerStationAndDay(t *testing.T) {
	t.Parallel()
	s, now := newClockServer(t, Config{MaxAiredPerDay: 3})
	token := s.addStation(t, "tdp-54")
	var events []protocol.AiredEvent
	for i := range 5 {
		events = append(events, airedEvent("ev-"+string(rune('a'+i)), now.Add(-time.Duration(i+1)*time.Minute)))
	}
	if got := unplannedOf(t, s, token, events...); len(got) != 3 {
		t.Fatalf("%d events stored, want the day's bound of 3", len(got))
	}
	if got := s.hub.AiredBoundReached(now); len(got) != 1 || got[0] != "tdp-54" {
		t.Errorf("stations at their bound: %v, want tdp-54 (the alert reads it)", got)
	}
	if got := s.hub.AiredBoundReached(now.Add(24 * time.Hour)); len(got) != 0 {
		t.Errorf("the next day, stations at their bound: %v", got)
	}
}
