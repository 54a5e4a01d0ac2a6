package playlist_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"loa/broadcast/protocol"
	"loa/playlist"
	"loa/playlist/library"
)

// The hash the store keeps must be the hash the agent checks: the protocol
// package computes it with encoding/json over its own Item type.
func TestHashMatchesAgentProtocol(t *testing.T) {
	pl := playlist.Playlist{Station: "to-01", Date: "2026-12-03", Zone: "Asia/Ho_Chi_Minh", Items: []playlist.Item{
		{ID: "1796252400000-7", SegmentID: 7, Title: `Thông báo "đăng ký" <xe> & tạm trú` + "\u2028\x01", Topic: "cchc-tthc",
			Level: library.LevelPriority, Kind: playlist.ItemAudio, StartMs: 1796252400000, DurationMs: 61234,
			CueInMs: 150, CueOutMs: 61384, GainDB: -3.7, AudioSHA256: "ab12", AudioSize: 98765, Reason: playlist.Reason{Code: playlist.WhyPriority}},
		{ID: "1796252470000-0", Title: "Tiếp sóng", Level: library.LevelOrdinary, Kind: playlist.ItemRelay,
			StartMs: 1796252470000, DurationMs: 1_800_000, GainDB: 0, URL: "https://radio.example.vn/a?b=1&c=2"},
		{ID: "x", SegmentID: 9, Title: "bad \xff utf8", Level: library.LevelOrdinary, Kind: playlist.ItemAudio, GainDB: 12},
	}}
	empty := playlist.Playlist{Station: "to-02", Date: "2026-12-03", Zone: "Asia/Ho_Chi_Minh"}
	for _, pl := range []playlist.Playlist{pl, empty} {
		want := toProtocol(pl).ComputeHash()
		if got := pl.ComputeHash(); got != want {
			t.Fatalf("%s: hash %s, the agent computes %s", pl.Station, got, want)
		}
		// The store's one-pass writer: the same hash, in the field and in
		// the JSON it wrote.
		var stored struct{ Hash string }
		if err := json.Unmarshal(pl.AppendHashed(nil), &stored); err != nil || pl.Hash != want || stored.Hash != want {
			t.Fatalf("%s: AppendHashed set %s and wrote %s (%v), the agent computes %s", pl.Station, pl.Hash, stored.Hash, err, want)
		}
	}
}

func toProtocol(pl playlist.Playlist) *protocol.Playlist {
	out := &protocol.Playlist{Station: pl.Station, Date: string(pl.Date), Zone: pl.Zone}
	for _, it := range pl.Items {
		seg := ""
		if it.SegmentID != 0 {
			seg = strconv.FormatUint(it.SegmentID, 10)
		}
		out.Items = append(out.Items, protocol.Item{ID: it.ID, SegmentID: seg, Title: it.Title, Topic: it.Topic,
			Level: string(it.Level), StartMs: it.StartMs, DurationMs: it.DurationMs, CueInMs: it.CueInMs,
			CueOutMs: it.CueOutMs, GainDB: it.GainDB, AudioSHA256: it.AudioSHA256, AudioSize: it.AudioSize,
			Kind: it.Kind, URL: it.URL})
	}
	return out
}

// Built playlists carry their segments' fields encoded in advance; their
// hash, both ways the store can compute it, is still the agent's.
func TestBuiltHashMatchesAgentProtocol(t *testing.T) {
	zone, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	loud := -19.5
	var segs []library.Segment
	for id, title := range []string{"", `Thông báo "đăng ký" <xe> & tạm trú`, "Lịch tiêm chủng\u2028tháng 12", "bad \xff utf8", "Nhạc hiệu"} {
		if id == 0 {
			continue
		}
		segs = append(segs, library.Segment{ID: uint64(id), Title: title, Topic: []string{"", "cchc-tthc", "y-te", "", "khac"}[id],
			Level: library.LevelOrdinary, Status: library.StatusApproved, Targets: library.Targets{All: true},
			Audio: library.Audio{SHA256: strconv.Itoa(id * 1111), Size: int64(id * 1000), DurationMS: 45_000 + int64(id)*1000,
				CueInMS: int64(id-1) * 120, CueOutMS: 45_000, LoudnessLUFS: &loud, TruePeakDBTP: -3}})
	}
	segs[1].Level = library.LevelPriority
	every := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	progs := []playlist.Programme{{ID: "sang", Name: "Buổi sáng", Targets: library.Targets{All: true}, OutroID: 4,
		Slots: []playlist.Slot{{ID: "sang", Kind: playlist.KindAnnouncements, Days: every, Start: playlist.Clock(6, 0), Minutes: 5},
			{ID: "tiep-song", Kind: playlist.KindRelay, Days: every, Start: playlist.Clock(7, 0), Minutes: 30, URL: "https://radio.example.vn/a?b=1&c=2"}}}}
	pls, err := playlist.NewBuilder(playlist.DefaultConfig(), progs, segs).Build(playlist.Request{
		Station: playlist.Station{ID: "to-01", Zone: zone}, From: "2026-12-03", Days: 2, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, pl := range pls {
		if len(pl.Items) < 4 {
			t.Fatalf("%s: only %d items", pl.Date, len(pl.Items))
		}
		want := toProtocol(pl).ComputeHash()
		if got := pl.ComputeHash(); got != want {
			t.Fatalf("%s: hash %s, the agent computes %s", pl.Date, got, want)
		}
		if pl.AppendHashed(nil); pl.Hash != want {
			t.Fatalf("%s: AppendHashed set %s, the agent computes %s", pl.Date, pl.Hash, want)
		}
	}
}
