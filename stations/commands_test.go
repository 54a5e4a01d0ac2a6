package stations

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestCommandsSurviveRestartAndGoWithTheirStation(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"tdp-1", "tdp-10"} {
		if _, _, err := s.Create(New(id, "Tổ "+id), now); err != nil {
			t.Fatal(err)
		}
	}
	rec := func(station, id, state string, at time.Time) CommandRecord {
		return CommandRecord{StationID: station, ID: id, Kind: "emergency_play", State: state,
			Created: at, Updated: at, Expires: at.Add(10 * time.Minute), Body: json.RawMessage(`{"id":"` + id + `"}`)}
	}
	put := []CommandRecord{
		rec("tdp-1", "em-2", "queued", now.Add(time.Minute)), rec("tdp-1", "em-1", "done", now),
		rec("tdp-10", "em-1", "sent", now), rec("gone", "em-1", "queued", now), // a deleted station: skipped
	}
	if err := s.PutCommands(put, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, err = Open(db); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllCommands()
	if err != nil {
		t.Fatal(err)
	}
	if got := all["tdp-1"]; len(got) != 2 || got[0].ID != "em-1" || got[1].ID != "em-2" || got[1].State != "queued" ||
		string(got[1].Body) != `{"id":"em-2"}` || !got[1].Expires.Equal(now.Add(11*time.Minute)) {
		t.Fatalf("tdp-1 after a restart, oldest first: %+v", got)
	}
	if len(all) != 2 || len(all["tdp-10"]) != 1 {
		t.Fatalf("stations with commands: %v", all)
	}

	if err := s.PutCommands(nil, []CommandKey{{StationID: "tdp-1", ID: "em-1", Created: now}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("tdp-10"); err != nil {
		t.Fatal(err)
	}
	all, _ = s.AllCommands()
	if len(all) != 1 || len(all["tdp-1"]) != 1 || all["tdp-1"][0].ID != "em-2" {
		t.Fatalf("after dropping em-1 of tdp-1 and deleting tdp-10 (not tdp-1, its prefix): %v", all)
	}
}
