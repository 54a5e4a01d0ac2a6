package playlist

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// The store and the benchmark write playlists with AppendJSON; it must be
// byte for byte what encoding/json writes, so any JSON reader agrees.
func TestAppendJSONIsEncodingJSON(t *testing.T) {
	b := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	now := time.Date(2026, 11, 29, 17, 3, 4, 567_000_000, time.UTC)
	for _, st := range wardStations()[:12] {
		pls, err := b.Build(Request{Station: st, From: "2026-11-30", Days: 7, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range append(pls, Playlist{Station: "empty", Date: "2026-12-01"}) {
			pl.Version, pl.Hash = 3, pl.ComputeHash()
			want, err := json.Marshal(&pl)
			if err != nil {
				t.Fatal(err)
			}
			if got := pl.AppendJSON(nil); !bytes.Equal(got, want) {
				t.Fatalf("%s %s:\n got %s\nwant %s", pl.Station, pl.Date, got, want)
			}
		}
	}
}

// AppendHashed is ComputeHash then AppendJSON in one pass: the same hash and
// the same bytes, after whatever the buffer already held.
func TestAppendHashedIsHashThenJSON(t *testing.T) {
	b := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	now := time.Date(2026, 11, 29, 17, 3, 4, 567_000_000, time.UTC)
	buf := []byte("previous record")
	for _, st := range wardStations() {
		pls, err := b.Build(Request{Station: st, From: "2026-11-30", Days: 7, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range append(pls, Playlist{Station: "empty", Date: "2026-12-01"}) {
			pl.Version = 4
			want := pl
			want.Hash = want.ComputeHash()
			wantJSON := want.AppendJSON(nil)
			pl.Hash = "stale"
			buf = pl.AppendHashed(buf[:len("previous record")])
			if pl.Hash != want.Hash || !bytes.Equal(buf[len("previous record"):], wantJSON) || string(buf[:len("previous record")]) != "previous record" {
				t.Fatalf("%s %s: hash %s, want %s\n got %s\nwant %s", pl.Station, pl.Date, pl.Hash, want.Hash, buf, wantJSON)
			}
		}
	}
}
