package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/apptest"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// The planner as Open wires it: stations from the registry, what aired
// from the ledger, a new version published per station, and a station's
// edit rebuilding it.
func TestThePlannerOnTheServerStores(t *testing.T) {
	a := apptest.Open(t, apptest.Config(t))
	lib, pls, st, led := a.Library, a.Playlists, a.Stations, a.Ledger
	now := time.Date(2026, 12, 2, 17, 30, 0, 0, time.UTC) // 00:30 on Thursday 3/12 in Vietnam
	for _, s := range []stations.Station{stations.New("to-01", "Tổ 1"), stations.New("to-02", "Tổ 2")} {
		if _, _, err := st.Create(s, now); err != nil {
			t.Fatal(err)
		}
	}
	off := stations.New("to-03", "Tổ 3 (tắt)")
	off.Enabled = false
	st.Create(off, now)
	if _, _, err := pls.PutProgramme(playlist.Programme{ID: "sang", Name: "Sáng", Targets: library.Targets{All: true},
		Slots: []playlist.Slot{{ID: "sang", Kind: playlist.KindAnnouncements, Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: playlist.Clock(6, 0), Minutes: 2}}}, 0); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Một", "Hai"} {
		lufs := -16.0
		s, _ := lib.Create(library.Segment{Title: title, Topic: "tin-tuc", Level: library.LevelOrdinary, Targets: library.Targets{All: true},
			Audio: library.Audio{SHA256: strings.Repeat("ef", 32), Format: "mp3", DurationMS: 100_000, LoudnessLUFS: &lufs, TruePeakDBTP: -3}}, "bt")
		lib.Do(s.ID, library.ActionSubmit, "bt", "")
		lib.Do(s.ID, library.ActionApprove, "ld", "")
	}
	// Segment 1 aired at to-01 on Monday and Tuesday; segment 2 was missed.
	monday := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	var events []ledger.Event
	for i, seg := range []string{"1", "1", "2"} {
		e := ledger.Event{StationID: "to-01", ID: fmt.Sprintf("e%d", i), ItemID: "x", SegmentID: seg, Title: "t", Topic: "tin-tuc",
			Level: "ordinary", Duration: 100 * time.Second, Planned: monday.Add(time.Duration(i) * 24 * time.Hour), Outcome: protocol.OutcomeCompleted, Played: 100 * time.Second}
		e.Started, e.Ended = e.Planned, e.Planned.Add(e.Played)
		if i == 2 {
			e.Outcome, e.Started, e.Ended, e.Played = protocol.OutcomeMissed, time.Time{}, time.Time{}, 0
		}
		events = append(events, e)
	}
	if _, err := led.Record(events); err != nil {
		t.Fatal(err)
	}
	planner, history := a.Planner, a.History
	aired, err := history.Aired("to-01", monday.Add(-time.Hour), now)
	if err != nil || aired[1].Count != 2 || aired[2].Count != 0 {
		t.Fatalf("aired at to-01: %+v %v", aired, err)
	}
	if _, err := planner.BuildAhead(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if n := a.Published(); n != 2 {
		t.Fatalf("published %d versions, want to-01's and to-02's", n)
	}
	if _, err := pls.Playlist("to-03", "2026-12-03"); !errors.Is(err, playlist.ErrNotFound) {
		t.Fatalf("the disabled station got a playlist: %v", err)
	}
	// Rotation follows the air: at to-01 segment 2 (never aired this week) goes first.
	day, err := pls.Playlist("to-01", "2026-12-03")
	if err != nil || len(day.Items) != 1 || day.Items[0].SegmentID != 2 {
		t.Fatalf("to-01 on 3/12: %+v %v", day.Items, err)
	}
	// Moving to-02 to another group rebuilds it (and only it).
	s2, _ := st.Station("to-02")
	if err := st.PutGroup(stations.Group{ID: "khu-2", Name: "Khu 2"}); err != nil {
		t.Fatal(err)
	}
	s2.Groups = []string{"khu-2"}
	if _, err := st.Update(s2, now); err != nil {
		t.Fatal(err)
	}
	if res, err := planner.RebuildPending(context.Background(), now); err != nil || res.Stations != 1 {
		t.Fatalf("rebuild after the edit: %+v %v", res, err)
	}
}
