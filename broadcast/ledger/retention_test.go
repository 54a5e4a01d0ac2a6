package ledger

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"loa/internal/ward"
)

// TestDeleteBeforeRemovesExactlyTheOlderDays keeps three years of events,
// deletes those before a cutoff and checks that the retained period reads
// the same as before (events, rollups, problems) and nothing older is left,
// the ward's midnight being the edge: 16:59:59.999 UTC is still yesterday.
func TestDeleteBeforeRemovesExactlyTheOlderDays(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	hcm := s.Zone()
	first := time.Date(2024, 1, 1, 0, 30, 0, 0, hcm)
	edge := time.Date(2024, 11, 28, 0, 0, 0, 0, hcm) // 2024-11-27 17:00 UTC
	var events []Event
	for i := 0; ; i++ {
		e := sampleEvent("tdp-0"+string(rune('1'+i%3)), i)
		e.Planned = first.Add(time.Duration(i) * 7 * time.Hour)
		if e.Planned.After(time.Date(2026, 11, 28, 0, 0, 0, 0, hcm)) {
			break
		}
		if i%9 == 0 {
			e.Outcome, e.Started, e.Ended, e.Played = "missed", time.Time{}, time.Time{}, 0
		}
		events = append(events, e)
	}
	for _, at := range []time.Time{edge.Add(-time.Millisecond), edge} { // either side of midnight
		e := sampleEvent("tdp-09", len(events))
		e.Planned = at
		events = append(events, e)
	}
	if _, err := s.Record(events); err != nil {
		t.Fatal(err)
	}
	older := 0
	for _, e := range events {
		if e.Planned.Before(edge) {
			older++
		}
	}
	far := time.Date(2030, 1, 1, 0, 0, 0, 0, hcm)
	edgeDay := ward.DayOf(edge, hcm)
	keptBefore := readAll(t, s, edge, far)
	sumBefore, titlesBefore := sumRollups(t, s, edgeDay, "2029-12-31")
	problemsBefore := readProblems(t, s, edge, far)

	n, err := s.DeleteBefore(edgeDay) // the ward's midnight starting it
	if err != nil {
		t.Fatal(err)
	}
	if n != older {
		t.Errorf("deleted %d events, want the %d planned before %s", n, older, edge)
	}
	if left := readAll(t, s, first.AddDate(-1, 0, 0), edge); len(left) != 0 {
		t.Errorf("%d events before the cutoff are left, the first at %s", len(left), left[0].Planned)
	}
	if sum, _ := sumRollups(t, s, ward.DayOf(first, hcm).AddDays(-365), edgeDay.AddDays(-1)); sum.Events() != 0 {
		t.Errorf("rollups before the cutoff still count %d events", sum.Events())
	}
	if p := readProblems(t, s, first.AddDate(-1, 0, 0), edge); len(p) != 0 {
		t.Errorf("%d problems before the cutoff are left", len(p))
	}
	kept := readAll(t, s, edge, far)
	if !reflect.DeepEqual(kept, keptBefore) || !kept[0].Planned.Equal(edge) {
		t.Errorf("the retained period changed: %d events, was %d (first at %s)", len(kept), len(keptBefore), kept[0].Planned)
	}
	sum, titles := sumRollups(t, s, edgeDay, "2029-12-31")
	if !reflect.DeepEqual(sum, sumBefore) || !reflect.DeepEqual(titles, titlesBefore) {
		t.Errorf("the retained period's rollups changed: %+v, were %+v", sum, sumBefore)
	}
	if p := readProblems(t, s, edge, far); !reflect.DeepEqual(p, problemsBefore) {
		t.Errorf("the retained period's problems changed: %d, were %d", len(p), len(problemsBefore))
	}
	if n, err := s.DeleteBefore(edgeDay); n != 0 || err != nil {
		t.Errorf("a second pass deleted %d (%v)", n, err)
	}
	db.Close()
	s, _ = openStore(t, path)
	if again, _ := sumRollups(t, s, edgeDay, "2029-12-31"); !reflect.DeepEqual(again, sumBefore) {
		t.Errorf("after reopening, the rollups read %+v, want %+v", again, sumBefore)
	}
}

func readAll(t *testing.T, s *Store, from, to time.Time) []Event {
	t.Helper()
	var out []Event
	if err := s.Between(from, to, func(e Event) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func readProblems(t *testing.T, s *Store, from, to time.Time) []Event {
	t.Helper()
	var out []Event
	if err := s.Problems(from, to, func(e Event) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}
