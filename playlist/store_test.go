package playlist

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/playlist/library"
)

func openTestStore(t *testing.T) *Store {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestOpenTwiceKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loa.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.PutProgramme(wardProgrammes()[0], 0); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err = Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := st.Programme("sang"); err != nil || p.Name != "Bản tin buổi sáng" {
		t.Fatalf("after reopening: %+v, %v", p, err)
	}
}

func TestProgrammeEditsAreCheckedAndRevisioned(t *testing.T) {
	st := openTestStore(t)
	p := wardProgrammes()[2]
	stored, before, err := st.PutProgramme(p, 0)
	if err != nil || stored.Revision != 1 || before.Revision != 0 {
		t.Fatalf("create: %+v %+v %v", stored, before, err)
	}
	p.Name = "Chuyên mục CCHC tối thứ Năm"
	if _, _, err := st.PutProgramme(p, 7); !errors.Is(err, ErrStale) {
		t.Fatalf("edit from an old revision: %v, want ErrStale", err)
	}
	stored, before, err = st.PutProgramme(p, 1)
	if err != nil || stored.Revision != 2 || before.Name != "Chuyên mục Cải cách hành chính" {
		t.Fatalf("edit: %+v %+v %v", stored, before, err)
	}
	if _, err := st.DeleteProgramme("cchc"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Programme("cchc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted programme: %v, want ErrNotFound", err)
	}
}

func TestProgrammeValidation(t *testing.T) {
	base := wardProgrammes()[0]
	for _, tc := range []struct {
		name, field string
		change      func(p *Programme)
	}{
		{"id", "id", func(p *Programme) { p.ID = "Bản Tin" }},
		{"no targets", "targets", func(p *Programme) { p.Targets = library.Targets{} }},
		{"no slots", "slots", func(p *Programme) { p.Slots = nil }},
		{"no days", "slots.0.days", func(p *Programme) { p.Slots[0].Days = nil }},
		{"bad day", "slots.0.days", func(p *Programme) { p.Slots[0].Days = []time.Weekday{9} }},
		{"start", "slots.0.start", func(p *Programme) { p.Slots[0].Start = 24 * 60 }},
		{"minutes", "slots.0.minutes", func(p *Programme) { p.Slots[0].Minutes = 0 }},
		{"column without topics", "slots.0.topics", func(p *Programme) { p.Slots[0].Kind = KindColumn }},
		{"relay without url", "slots.0.url", func(p *Programme) { p.Slots[0].Kind = KindRelay }},
		{"relay ftp", "slots.0.url", func(p *Programme) { p.Slots[0].Kind, p.Slots[0].URL = KindRelay, "ftp://x/y" }},
		{"season order", "slots.0.to", func(p *Programme) { p.Slots[0].From, p.Slots[0].To = "2026-12-05", "2026-12-01" }},
		{"duplicate slot", "slots.1.id", func(p *Programme) { p.Slots = append(p.Slots, p.Slots[0]) }},
		{"exception date", "exceptions.0.date", func(p *Programme) { p.Exceptions = []Exception{{Date: "30/02/2026"}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			p.Slots = append([]Slot(nil), base.Slots...)
			tc.change(&p)
			p.normalize()
			var fe *FieldError
			if err := p.Validate(); !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("got %v, want an error on %s", err, tc.field)
			}
		})
	}
}

func TestEveryVersionIsKeptAndSameContentIsNotANewVersion(t *testing.T) {
	st := openTestStore(t)
	b := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	station := wardStations()[4]
	now := time.Date(2026, 11, 29, 17, 0, 0, 0, time.UTC)
	pls, err := b.Build(Request{Station: station, From: "2026-11-30", Days: 3, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	saved, changed, err := st.SavePlaylists(pls)
	if err != nil || !changed[0] || saved[0].Version != 1 || saved[0].Hash != pls[0].ComputeHash() {
		t.Fatalf("first save: %v %v %v", saved[0].Version, changed, err)
	}
	// Rebuilt an hour later with nothing changed: no new version.
	again, _ := b.Build(Request{Station: station, From: "2026-11-30", Days: 3, Now: now.Add(time.Hour)})
	if _, changed, _ = st.SavePlaylists(again); changed[0] || changed[1] || changed[2] {
		t.Fatalf("identical content made a new version: %v", changed)
	}
	// The morning slot of 1 December is cancelled: a new version of that day only.
	progs := wardProgrammes()
	progs[0].Exceptions = append(progs[0].Exceptions, Exception{Date: "2026-12-01", Note: "lễ"})
	edited, _ := NewBuilder(DefaultConfig(), progs, wardLibrary()).Build(Request{Station: station, From: "2026-11-30", Days: 3, Now: now})
	saved, changed, _ = st.SavePlaylists(edited)
	if changed[0] || !changed[1] || saved[1].Version != 2 {
		t.Fatalf("after cancelling a slot: changed %v, version %d", changed, saved[1].Version)
	}
	old, err := st.PlaylistVersion(station.ID, "2026-12-01", 1)
	if err != nil || len(old.Items) <= len(saved[1].Items) {
		t.Fatalf("version 1 must still be readable with the morning items: %d items, %v", len(old.Items), err)
	}
	versions, err := st.Versions(station.ID, "2026-12-01")
	if err != nil || len(versions) != 2 || versions[1].Version != 2 {
		t.Fatalf("versions: %+v %v", versions, err)
	}
	ahead, err := st.PlaylistsFor(station.ID, "2026-12-01")
	if err != nil || len(ahead) != 2 || ahead[0].Date != "2026-12-01" || ahead[0].Version != 2 || ahead[1].Date != "2026-12-02" || ahead[1].Version != saved[2].Version {
		t.Fatalf("playlists ahead: %+v, %v", ahead, err)
	}
	if _, err := st.Playlist("to-99", "2026-12-01"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown station: %v, want ErrNotFound", err)
	}
}
