package playlist_test

import (
	"encoding/json"
	"strconv"
	"testing"

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
