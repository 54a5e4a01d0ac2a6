package sim

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/agent"
	"loa/broadcast/protocol"
)

// Findings of the ward simulation, each as the smallest test that shows it.

// TestHandledMarksLastAsLongAsTheirPlaylist — found by TestWardWeek (seeds
// 1 and 3): every hour the agents reported yesterday's morning items missed
// again. The agent keeps a playlist by its local date but dropped the
// "handled" marks of its items by their UTC date, so in the ward (UTC+7)
// the marks of a day's items before 07:00 went a day before their
// playlist: the player found them unhandled and past, journaled them
// missed again, and — for a station offline since — overwrote their
// unsent "completed" events with "missed".
func TestHandledMarksLastAsLongAsTheirPlaylist(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "agent.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := agent.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	// The morning bulletin of Monday 28/12 in the ward: 27/12 23:00 UTC.
	at := time.Date(2026, 12, 28, 6, 0, 0, 0, wardLoc).UnixMilli()
	item := protocol.Item{ID: "sang-1", SegmentID: "9", Title: "Bản tin sáng", Level: "ordinary", Kind: protocol.KindAudio,
		StartMs: at, DurationMs: 3000}
	if err := st.PutPlaylist(protocol.Playlist{Station: "tdp-01", Date: "2026-12-28", Zone: wardZone, Version: 1, Items: []protocol.Item{item}}); err != nil {
		t.Fatal(err)
	}
	played := protocol.AiredEvent{ID: "ev-sang-1", ItemID: item.ID, SegmentID: "9", Title: item.Title, Level: "ordinary",
		DurationMs: 3000, PlannedMs: at, StartedMs: at, EndedMs: at + 3000, PlayedMs: 3000, Outcome: protocol.OutcomeCompleted}
	if err := st.Record(played); err != nil {
		t.Fatal(err)
	}
	// Tuesday 29/12, 08:00 in the ward (01:00 UTC): the agent keeps the
	// playlists from the UTC day before, 28/12 — Monday's among them.
	if err := st.DropPlaylistsBefore("2026-12-28"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Playlist("2026-12-28"); err != nil {
		t.Fatalf("Monday's playlist must still be held: %v", err)
	}
	if !st.Handled(played.ID) {
		t.Fatal("Monday's 06:00 item is held in its playlist but no longer marked handled: the player will report it missed again")
	}
}
