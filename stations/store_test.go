package stations

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

var now = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

func openDB(t *testing.T) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(openDB(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func codes(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Code)
	}
	return out
}

func TestCreateStationIssuesWorkingToken(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.CreateGroup(Group{ID: "an-phu", Name: "Xã An Phú cũ"}); err != nil {
		t.Fatal(err)
	}
	st := New("tdp-05", "  Tổ dân phố 5 ")
	st.Groups = []string{"an-phu", "an-phu"}
	st.Location = &Location{Lat: 10.79, Lon: 106.72}
	got, token, err := s.Create(st, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Tổ dân phố 5" || got.Zone != DefaultZone || !slices.Equal(got.Groups, []string{"an-phu"}) || !got.HasToken {
		t.Fatalf("created %+v", got)
	}
	who, err := s.Authenticate(token)
	if err != nil || who.ID != "tdp-05" {
		t.Fatalf("authenticate: %v %v", who.ID, err)
	}
	if _, err := s.Authenticate(token + "x"); !errors.Is(err, ErrBadToken) {
		t.Fatalf("wrong token: %v", err)
	}
	in, _ := s.InGroups("an-phu")
	if len(in) != 1 || in[0].ID != "tdp-05" {
		t.Fatalf("in group: %v", in)
	}
}

func TestValidationCodes(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	bad := Station{ID: "TDP 5", Name: " ", Zone: "Mars/Olympus", Volume: 101,
		Location: &Location{Lat: 91, Lon: -181}, Groups: []string{"nope"}}
	_, _, err := s.Create(bad, now)
	want := []string{CodeStationIDInvalid, CodeStationNameMissing, CodeStationZoneInvalid,
		CodeStationLatInvalid, CodeStationLonInvalid, CodeStationVolume, CodeStationGroupUnknown}
	if !slices.Equal(codes(err), want) {
		t.Fatalf("codes %v, want %v", codes(err), want)
	}
	if _, _, err := s.Create(New("tdp-05", "A"), now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Create(New("tdp-05", "B"), now); !slices.Equal(codes(err), []string{CodeStationIDTaken}) {
		t.Fatalf("duplicate id: %v", err)
	}
	for _, slug := range []string{"-a", "a-", "a--b", "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "tổ"} {
		if ValidSlug(slug) {
			t.Errorf("slug %q accepted", slug)
		}
	}
	if err := s.PutGroup(Group{ID: "g", Name: ""}); !slices.Equal(codes(err), []string{CodeGroupNameMissing}) {
		t.Fatalf("group without name: %v", err)
	}
}

func TestRotateAndRevokeTellWatchers(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var changes []Change
	s.OnChange(func(c Change) { changes = append(changes, c) })
	_, first, _ := s.Create(New("tdp-01", "Tổ 1"), now)
	second, err := s.RotateToken("tdp-01", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(first); !errors.Is(err, ErrBadToken) {
		t.Fatalf("old token after rotation: %v", err)
	}
	if _, err := s.Authenticate(second); err != nil {
		t.Fatalf("new token: %v", err)
	}
	if err := s.RevokeToken("tdp-01", now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(second); !errors.Is(err, ErrBadToken) {
		t.Fatalf("revoked token: %v", err)
	}
	st, _ := s.Station("tdp-01")
	if st.HasToken {
		t.Fatal("station still has a token after revocation")
	}
	want := []Change{{"tdp-01", Revoked}, {"tdp-01", Revoked}}
	if !slices.Equal(changes, want) {
		t.Fatalf("changes %v", changes)
	}
}

func TestDisabledStationCannotConnect(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var changes []Change
	s.OnChange(func(c Change) { changes = append(changes, c) })
	st, token, _ := s.Create(New("tdp-02", "Tổ 2"), now)
	st.Enabled = false
	if _, err := s.Update(st, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(token); !errors.Is(err, ErrDisabled) {
		t.Fatalf("disabled: %v", err)
	}
	if len(changes) != 1 || changes[0].Kind != Disabled {
		t.Fatalf("changes %v", changes)
	}
}

func TestDeleteGroupInUseRefused(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	s.CreateGroup(Group{ID: "g1", Name: "Nhóm 1"})
	st := New("tdp-03", "Tổ 3")
	st.Groups = []string{"g1"}
	if _, _, err := s.Create(st, now); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup("g1"); !slices.Equal(codes(err), []string{CodeGroupInUse}) {
		t.Fatalf("delete used group: %v", err)
	}
	if err := s.Delete("tdp-03"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup("g1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Group("g1"); !errors.Is(err, ErrGroupNotFound) {
		t.Fatalf("deleted group: %v", err)
	}
	if _, err := s.Station("tdp-03"); !errors.Is(err, ErrStationNotFound) {
		t.Fatalf("deleted station: %v", err)
	}
}

func TestPresenceSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	db, _ := bbolt.Open(path, 0o600, nil)
	s, _ := Open(db)
	s.Create(New("tdp-04", "Tổ 4"), now)
	p := Presence{StationID: "tdp-04", LastSeen: now, AgentVersion: "0.3.1", Address: "10.0.0.4:5000",
		ClockOffsetMs: -120, PlaylistDays: 3, AudioDays: 2, OutputDB: -21.5, FreeDiskBytes: 5 << 30,
		Faults: []string{"output_silent"}, NowPlaying: &NowPlaying{ItemID: "it-1", Title: "Bản tin", StartedAt: now}}
	if err := s.PutPresence(p, Presence{StationID: "gone", LastSeen: now}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, _ = bbolt.Open(path, 0o600, nil)
	defer db.Close()
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Presence("tdp-04")
	if err != nil {
		t.Fatal(err)
	}
	if got.AgentVersion != "0.3.1" || got.ClockOffsetMs != -120 || got.NowPlaying.Title != "Bản tin" || !got.LastSeen.Equal(now) {
		t.Fatalf("presence after restart: %+v", got)
	}
	if !got.Online(now.Add(DefaultGrace), DefaultGrace) || got.Online(now.Add(DefaultGrace+time.Second), DefaultGrace) {
		t.Fatal("grace period not honoured")
	}
	all, _ := s.AllPresence()
	if len(all) != 1 {
		t.Fatalf("presence of a station that does not exist was stored: %v", all)
	}
}
