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

// TestClockOffsetFollowsAStep — found by TestWardWeek (seed 1, 50 stations,
// step 421, Saturday 02/01/2027 16:16 in the ward): tdp-17's clock had been
// 483 s slow for 45 minutes; a minute after it was set right, the agent
// played the 16:25 bulletin at 16:16:56, 8 minutes early. Its clock filter
// keeps the eight last (server − agent) samples and trusts the one with the
// shortest round trip, so after the agent's wall clock steps, a sample
// from before the step (now wrong by the step) stays the best until eight
// pings have pushed it out — 200 s in the field, 11 min in the simulation.
// Samples that disagree by more than their round trips allow mean a clock
// stepped: the filter must follow the newest.
func TestClockOffsetFollowsAStep(t *testing.T) {
	var f protocol.ClockFilter
	for range 8 { // the agent's clock 483 s slow: the server is 483 s ahead
		f.Add(483*time.Second, 40*time.Millisecond)
	}
	f.Add(0, 60*time.Millisecond) // NTP set the agent's clock right
	if got, _ := f.Offset(); got.Abs() > time.Second {
		t.Fatalf("after the agent's clock was set right the filter still says the server is %v ahead", got)
	}
}
