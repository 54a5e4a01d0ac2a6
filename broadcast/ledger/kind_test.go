package ledger

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"
)

func TestKindIsKeptWithTheEventAndItsRollup(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	audio := sampleEvent("tdp-05", 1)
	relay := sampleEvent("tdp-05", 2)
	relay.Kind, relay.Title, relay.SegmentID = "relay", "Tiếp sóng VOV1", ""
	relay.Played = 90 * time.Second // cut by a reconnect
	live := sampleEvent("tdp-05", 3)
	live.Kind, live.Level, live.CommandID = "live", "emergency", "live-1"
	if _, err := s.Record([]Event{audio, relay, live}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, db = openStore(t, path) // what was durably written
	defer db.Close()
	got := map[string]string{}
	s.Between(base, base.Add(time.Hour), func(e Event) error { got[e.ID] = e.Kind; return nil })
	if got[audio.ID] != "" || got[relay.ID] != "relay" || got[live.ID] != "live" {
		t.Fatalf("kinds after reopen: %v", got)
	}
	airtime := map[string]time.Duration{}
	s.Rollups("2026-11-28", "2026-11-28", func(c *Cell) error {
		airtime[c.Snapshot.Kind] += c.Airtime
		return nil
	})
	if airtime[""] != 2*time.Minute || airtime["relay"] != 90*time.Second || airtime["live"] != 2*time.Minute {
		t.Fatalf("airtime by kind in the rollups: %v", airtime)
	}
}

// An audio event is stored exactly as before kinds existed: same bytes,
// same snapshot, so neither the ledger's size nor old records change.
func TestAudioEventsKeepTheirEncoding(t *testing.T) {
	t.Parallel()
	e := sampleEvent("tdp-05", 1)
	before := encode(&e)
	e.Kind = "audio"
	if !bytes.Equal(encode(&e), before) {
		t.Fatalf("kind audio changed the record")
	}
	if !bytes.Equal(appendSnapshot(nil, &e), appendSnapshot(nil, &Event{SegmentID: e.SegmentID, Title: e.Title,
		Topic: e.Topic, Level: e.Level, Groups: e.Groups})) {
		t.Fatalf("kind audio changed the snapshot")
	}
	e.Kind = "relay"
	if n := len(encode(&e)) - len(before); n != 1 {
		t.Fatalf("a relay costs %d bytes more, want 1", n)
	}
}
