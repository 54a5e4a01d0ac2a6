package main

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/internal/apptest"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
)

// TestRetentionKeepsTheReportsPeriod runs the daily job body on a ward
// with three years of aired events and rebuilt playlists: with the
// defaults nothing aired is deleted; with two years of ledger the events
// before that go, while the previous year a yearly report compares with
// stays whole, and every day keeps its plan.
func TestRetentionKeepsTheReportsPeriod(t *testing.T) {
	a := &server{App: apptest.Open(t, apptest.Config(t))}
	zone := mustZone(t)
	now := time.Date(2026, 11, 28, 23, 30, 0, 0, zone)
	var events []ledger.Event
	for d := time.Date(2023, 12, 1, 6, 0, 0, 0, zone); d.Before(now); d = d.AddDate(0, 0, 1) {
		events = append(events, ledger.Event{StationID: "tdp-01", ID: "ev-" + d.Format(time.DateOnly), ItemID: "it",
			Title: "Bản tin sáng", Topic: "cchc", Level: "ordinary", Duration: time.Minute, Planned: d,
			Started: d, Ended: d.Add(time.Minute), Played: time.Minute, Outcome: "completed", Received: d})
	}
	if _, err := a.Ledger.Record(events); err != nil {
		t.Fatal(err)
	}
	for v := range 2 {
		var pls []playlist.Playlist
		for _, d := range []library.Date{"2025-10-23", "2025-10-24", "2025-10-25"} { // 400 days ago is 2025-10-24
			pls = append(pls, playlist.Playlist{Station: "tdp-01", Date: d, Zone: ward.ZoneName,
				Items: []playlist.Item{{ID: fmt.Sprint("v", v), Title: "Bản tin"}}})
		}
		if _, _, err := a.Playlists.SavePlaylists(pls); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.DiscardHandler)
	cfg, err := parseServeFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.applyRetention(cfg.retention(), now, log); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.Ledger.Count(); n != len(events) {
		t.Fatalf("by default the ledger is kept: %d events left of %d", n, len(events))
	}
	for d, want := range map[library.Date]int{"2025-10-23": 1, "2025-10-24": 2, "2025-10-25": 2} {
		vs, _ := a.Playlists.Versions("tdp-01", d)
		if len(vs) != want || vs[len(vs)-1].Version != 2 {
			t.Errorf("%s: %d versions (the last %+v), want %d ending with the plan", d, len(vs), vs, want)
		}
	}

	cfg.RetainLedgerDays = MinRetainLedgerDays
	if err := a.applyRetention(cfg.retention(), now, log); err != nil {
		t.Fatal(err)
	}
	first := time.Date(2024, 11, 27, 0, 0, 0, 0, zone) // 731 days before 2026-11-28
	want := 0
	for _, e := range events {
		if !e.Planned.Before(first) {
			want++
		}
	}
	if n, _ := a.Ledger.Count(); n != want {
		t.Errorf("after retention: %d events, want the %d from %s on", n, want, first.Format(time.DateOnly))
	}
	// The yearly report of 2025 compares with 2024: all of 2025 is there.
	n := 0
	a.Ledger.Between(time.Date(2025, 1, 1, 0, 0, 0, 0, zone), time.Date(2026, 1, 1, 0, 0, 0, 0, zone),
		func(ledger.Event) error { n++; return nil })
	if n != 365 {
		t.Errorf("2025 holds %d days of events after retention, want 365", n)
	}
}

func TestRetentionFlagsRefuseTooShortALedger(t *testing.T) {
	for _, args := range [][]string{{"--retain-ledger-days", "365"}, {"--retain-ledger-days", "-1"}, {"--retain-playlists-days", "-5"}} {
		if _, err := parseServeFlags(args); err == nil || !strings.Contains(err.Error(), "retain") {
			t.Errorf("%v: accepted (%v)", args, err)
		}
	}
	c, err := parseServeFlags([]string{"--retain-ledger-days", "1095", "--retain-playlists-days", "0"})
	if err != nil || c.RetainLedgerDays != 1095 || c.RetainPlaylistsDays != 0 {
		t.Errorf("three years and no playlist retention: %+v, %v", c, err)
	}
}
