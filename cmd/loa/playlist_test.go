package main

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"loa/internal/apptest"
	"loa/internal/testclock"
	"loa/playlist"
	"loa/playlist/library"
	"loa/web"
)

// newPlaylistServer runs a real server over a real database with one
// programme, two approved items and their playlists built.
func newPlaylistServer(t *testing.T, password string) string {
	t.Helper()
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	cfg := apptest.Config(t)
	cfg.PlannerStations = func() ([]playlist.Station, error) { return []playlist.Station{{ID: "to-01", Zone: hcm}}, nil }
	a := apptest.Open(t, cfg)
	srv, err := web.New(web.Config{}, web.Deps{App: a})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.EnsureAdmin(password); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Playlists.PutProgramme(playlist.Programme{ID: "sang", Name: "Bản tin sáng", Targets: library.Targets{All: true},
		Slots: []playlist.Slot{{ID: "sang", Kind: playlist.KindAnnouncements, Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: playlist.Clock(6, 0), Minutes: 10}}}, 0); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Đăng ký tạm trú trực tuyến", "Lịch tiêm chủng"} {
		lufs := -20.0
		s, err := a.Library.Create(library.Segment{Title: title, Topic: "tin-tuc", Level: library.LevelOrdinary, Targets: library.Targets{All: true},
			Audio: library.Audio{SHA256: strings.Repeat("cd", 32), Format: "mp3", DurationMS: 75_000, LoudnessLUFS: &lufs, TruePeakDBTP: -8}}, "bien-tap")
		if err != nil {
			t.Fatal(err)
		}
		a.Library.Do(s.ID, library.ActionSubmit, "bien-tap", "")
		a.Library.Do(s.ID, library.ActionApprove, "lanh-dao", "")
	}
	if _, err := a.Planner.BuildAhead(context.Background(), time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
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
