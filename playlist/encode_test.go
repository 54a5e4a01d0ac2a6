package playlist

import (
	"bytes"
	"encoding/json"
	"strings"
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

// The builder's items carry their segment's fields already encoded; an item
// changed after the build (or read back from the store) must be written as
// it is now, by both writers.
func TestWritersFollowEditedItems(t *testing.T) {
	b := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	pls, err := b.Build(Request{Station: wardStations()[0], From: "2026-12-03", Days: 1, Now: ruleNow})
	if err != nil || len(pls[0].Items) < 3 {
		t.Fatalf("build: %v, %d items", err, len(pls[0].Items))
	}
	pl := pls[0]
	pl.Items[0].Title = `Tiêu đề "mới" <sửa>` + strings.Repeat("ă", 3000) // longer than the room the writers plan for
	pl.Items[1].GainDB -= 0.5
	pl.Items[2].AudioSHA256, pl.Items[2].Topic = "", ""
	var decoded Playlist
	if err := json.Unmarshal(pl.AppendJSON(nil), &decoded); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*Playlist{&pl, &decoded} {
		p.Hash = p.ComputeHash()
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		hash := p.Hash
		if got := p.AppendHashed(nil); !bytes.Equal(got, want) || p.Hash != hash {
			t.Fatalf("got %s (hash %s)\nwant %s (hash %s)", got, p.Hash, want, hash)
		}
	}
	if decoded.Items[0].Title != pl.Items[0].Title || decoded.Items[1].GainDB != pl.Items[1].GainDB || decoded.Items[2].Topic != "" {
		t.Fatalf("edits lost: %+v", decoded.Items[:3])
	}
}
