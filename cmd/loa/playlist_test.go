package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio"
	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/testclock"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
	"loa/web"
)

// newPlaylistServer runs a real server over a real database with one
// programme, two approved items and their playlists built.
func newPlaylistServer(t *testing.T, password string) string {
	t.Helper()
	dir := t.TempDir()
	db, err := bbolt.Open(filepath.Join(dir, "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lib, err := library.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := audio.OpenBlobs(filepath.Join(dir, "audio"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := playlist.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	srv, err := web.New(web.Config{FFmpeg: "off"}, web.Deps{DB: db, Library: lib, Blobs: blobs, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.EnsureAdmin(password); err != nil {
		t.Fatal(err)
	}
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	if _, _, err := store.PutProgramme(playlist.Programme{ID: "sang", Name: "Bản tin sáng", Targets: library.Targets{All: true},
		Slots: []playlist.Slot{{ID: "sang", Kind: playlist.KindAnnouncements, Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: playlist.Clock(6, 0), Minutes: 10}}}, 0); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Đăng ký tạm trú trực tuyến", "Lịch tiêm chủng"} {
		lufs := -20.0
		s, err := lib.Create(library.Segment{Title: title, Topic: "tin-tuc", Level: library.LevelOrdinary, Targets: library.Targets{All: true},
			Audio: library.Audio{SHA256: strings.Repeat("cd", 32), Format: "mp3", DurationMS: 75_000, LoudnessLUFS: &lufs, TruePeakDBTP: -8}}, "bien-tap")
		if err != nil {
			t.Fatal(err)
		}
		lib.Do(s.ID, library.ActionSubmit, "bien-tap", "")
		lib.Do(s.ID, library.ActionApprove, "lanh-dao", "")
	}
	stations := func() ([]playlist.Station, error) { return []playlist.Station{{ID: "to-01", Zone: hcm}}, nil }
	planner := playlist.NewPlanner(store, playlist.Sources{Stations: stations, Segments: lib.Approved}, playlist.DefaultPlannerConfig(hcm), nil, log)
	if _, err := planner.BuildAhead(context.Background(), time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	srv.SetSchedules(&web.Schedules{Store: store, Planner: planner})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestPlaylistCommandPrintsTheDayWithReasons(t *testing.T) {
	url := newPlaylistServer(t, "mat-khau-lich-phat")
	t.Setenv("LOA_PASSWORD", "mat-khau-lich-phat")
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"playlist", "--server", url, "to-01", "02/12/2026"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"to-01 2026-12-02 (Wednesday) Asia/Ho_Chi_Minh  version 1",
		"06:00–06:10  sang/sang  announcements",
		"06:00:00   1:15  +4.0dB  #",
		"— rotation #",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"playlist", "--server", url, "to-77", "2026-12-02"}, io.Discard, &errOut); code != 1 || !strings.Contains(errOut.String(), "not_found") {
		t.Fatalf("unknown station: exit %d, %s", code, errOut.String())
	}
	if code := run(context.Background(), []string{"playlist", "to-01", "31/02/2026"}, io.Discard, io.Discard); code != 2 {
		t.Fatalf("bad date: exit %d", code)
	}
}

func TestPlaylistDayDefaultsToTodayInVietnam(t *testing.T) {
	d, err := playlistDay("", time.Date(2026, 11, 30, 17, 30, 0, 0, time.UTC))
	if err != nil || d != "2026-12-01" {
		t.Fatalf("today at 00:30 in Vietnam: %q %v", d, err)
	}
	ict := time.FixedZone("UTC+7", 7*3600)
	for name, now := range testclock.Nows() {
		want := library.Date(now.In(ict).Format(time.DateOnly))
		if d, err := playlistDay("", now.In(time.Local)); err != nil || d != want {
			t.Errorf("%s: today is %q, want %s (%v)", name, d, want, err)
		}
	}
}

// The planner as serve wires it: stations from the registry, what aired
// from the ledger, a new version published per station, and a station's
// edit rebuilding it.
func TestOpenPlannerOnTheServerStores(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lib, _ := library.Open(db)
	pls, _ := playlist.Open(db)
	st, err := stations.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	led, err := ledger.Open(db)
	if err != nil {
		t.Fatal(err)
	}
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
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	var published []string
	planner, history := openPlanner(pls, lib, st, led, playlist.DefaultPlannerConfig(hcm), func(id string) { published = append(published, id) }, slog.New(slog.DiscardHandler))
	aired, err := history.Aired("to-01", monday.Add(-time.Hour), now)
	if err != nil || aired[1].Count != 2 || aired[2].Count != 0 {
		t.Fatalf("aired at to-01: %+v %v", aired, err)
	}
	if _, err := planner.BuildAhead(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if strings.Join(published, ",") != "to-01,to-02" {
		t.Fatalf("published %v (the disabled station gets nothing)", published)
	}
	// Rotation follows the air: at to-01 segment 2 (never aired this week) goes first.
	day, err := pls.Playlist("to-01", "2026-12-03")
	if err != nil || len(day.Items) != 1 || day.Items[0].SegmentID != 2 {
		t.Fatalf("to-01 on 3/12: %+v %v", day.Items, err)
	}
	// Moving to-02 to another group rebuilds it (and only it).
	published = nil
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
