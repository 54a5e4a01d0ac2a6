package ledger

import (
	"path/filepath"
	"testing"
	"time"
)

// An unplanned event (issue 15: invented airtime) is kept with its reason,
// listed with the problems, and counted in no rollup.
func TestUnplannedEventKeptApartAndNotCounted(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	real := sampleEvent("tdp-05", 1)
	invented := sampleEvent("tdp-05", 2)
	invented.Unplanned = UnplannedNotSent
	relay := sampleEvent("tdp-05", 3)
	relay.Kind, relay.Unplanned = "relay", UnplannedTime
	if _, err := s.Record([]Event{real, invented, relay}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, db = openStore(t, path)
	defer db.Close()
	got := map[string]Event{}
	s.Between(base, base.Add(time.Hour), func(e Event) error { got[e.ID] = e; return nil })
	if got[real.ID].Unplanned != "" || got[invented.ID].Unplanned != UnplannedNotSent ||
		got[relay.ID].Unplanned != UnplannedTime || got[relay.ID].Kind != "relay" {
		t.Fatalf("after reopen: %+v", got)
	}
	plays := 0
	s.Rollups("2026-11-28", "2026-11-28", func(c *Cell) error { plays += c.Planned; return nil })
	if plays != 1 {
		t.Fatalf("the rollups count %d plays, want only the planned one", plays)
	}
	var problems []string
	s.Problems(base, base.Add(time.Hour), func(e Event) error { problems = append(problems, e.ID+":"+e.Unplanned); return nil })
	if len(problems) != 2 {
		t.Fatalf("problems: %v", problems)
	}
}
