package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/playlist"
)

// An item a station was sent counts when it airs even if a later version
// of the day dropped it (issue 15: the hub checks aired events against
// what was sent).
func TestItemSentInAnEarlierVersion(t *testing.T) {
	t.Parallel()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store, err := playlist.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	item := playlist.Item{ID: "1795820400000-7", SegmentID: 7, Title: "Cải cách hành chính", Topic: "cchc",
		Level: "ordinary", Kind: playlist.ItemAudio, StartMs: 1795820400000, DurationMs: 60000,
		AudioSHA256: strings.Repeat("ab", 32), AudioSize: 1000}
	v1 := playlist.Playlist{Station: "tdp-05", Date: "2026-11-28", Zone: "Asia/Ho_Chi_Minh", Version: 1, Items: []playlist.Item{item}}
	v1.Hash = v1.ComputeHash()
	v2 := playlist.Playlist{Station: "tdp-05", Date: "2026-11-28", Zone: "Asia/Ho_Chi_Minh", Version: 2}
	v2.Hash = v2.ComputeHash()
	for _, pl := range []playlist.Playlist{v1, v2} {
		if _, _, err := store.SavePlaylists([]playlist.Playlist{pl}); err != nil {
			t.Fatal(err)
		}
	}
	zone, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	p := playlistStore{store: store, zone: zone}
	if sent, err := p.ItemSent("tdp-05", item.ID, item.StartMs); err != nil || !sent {
		t.Fatalf("an item of version 1: %v %v", sent, err)
	}
	if sent, _ := p.ItemSent("tdp-05", item.ID, item.StartMs+3_600_000); sent {
		t.Fatal("the item at another instant counted as sent")
	}
	if sent, _ := p.ItemSent("tdp-06", item.ID, item.StartMs); sent {
		t.Fatal("another station's item counted as sent")
	}
}
