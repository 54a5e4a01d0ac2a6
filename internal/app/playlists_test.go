package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/protocol"
	"loa/playlist"
)

// The playlist store's playlists reach the wire with a hash the agent's
// decoder accepts.
func TestPlaylistStoreAdapterKeepsHash(t *testing.T) {
	t.Parallel()
	pl := playlist.Playlist{Station: "tdp-05", Date: "2026-11-28", Zone: "Asia/Ho_Chi_Minh", Version: 2,
		Items: []playlist.Item{{ID: "1795820400000-7", SegmentID: 7, Title: "Cải cách hành chính", Topic: "cchc",
			Level: "ordinary", Kind: playlist.ItemAudio, StartMs: 1795820400000, DurationMs: 60000, GainDB: -3.5,
			AudioSHA256: strings.Repeat("ab", 32), AudioSize: 1000}}}
	pl.Hash = pl.ComputeHash()
	w := wirePlaylist(&pl)
	frame, err := protocol.Encode(protocol.TypePlaylist, 1, &w)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.Decode(frame); err != nil {
		t.Fatalf("agent refuses the converted playlist: %v", err)
	}
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store, err := playlist.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.SavePlaylists([]playlist.Playlist{pl}); err != nil {
		t.Fatal(err)
	}
	zone, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	noon := time.Date(2026, 11, 28, 12, 0, 0, 0, zone)
	got, err := playlistStore{store: store, zone: zone}.PlaylistsFor("tdp-05", noon)
	if err != nil || len(got) != 1 || got[0].Hash != pl.Hash || got[0].Items[0].SegmentID != "7" {
		t.Fatalf("from the store: %+v %v", got, err)
	}
	if got, _ := (playlistStore{store: store, zone: zone}).PlaylistsFor("tdp-05", noon.AddDate(0, 0, 2)); len(got) != 0 {
		t.Fatalf("a past day was sent: %+v", got)
	}
}
