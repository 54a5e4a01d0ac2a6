package playlist

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"testing"

	"loa/playlist/library"
)

// The ward's gap is kept in the store, checked, and used by the planner's
// next build; until it is set the planner's configured gap applies.
func TestTheWardSetsTheGapThePlannerUses(t *testing.T) {
	progs, lib := vneidWard()
	f := &plannerFixture{store: openTestStore(t), lib: lib}
	for _, p := range progs {
		if _, _, err := f.store.PutProgramme(p, 0); err != nil {
			t.Fatal(err)
		}
	}
	src := Sources{Stations: func() ([]Station, error) { return []Station{to1}, nil },
		Segments: func() ([]library.Segment, error) { return f.lib, nil }}
	f.planner = NewPlanner(f.store, src, DefaultPlannerConfig(hcm), nil, slog.New(slog.DiscardHandler))
	if _, err := f.store.Rules(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("rules before any are set: %v", err)
	}
	if r, err := f.planner.Rules(); err != nil || r.SeparationMinutes != 120 {
		t.Fatalf("the planner's rules before any are set: %+v %v", r, err)
	}
	for _, bad := range []int{-1, 24*60 + 1} {
		var fe *FieldError
		if _, _, err := f.store.PutRules(Rules{SeparationMinutes: bad}); !errors.As(err, &fe) || fe.Field != "separation_minutes" {
			t.Fatalf("gap of %d minutes: %v", bad, err)
		}
	}
	if _, err := f.store.Rules(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a refused gap was stored: %v", err)
	}
	day := func() Playlist {
		t.Helper()
		if _, err := f.planner.BuildAhead(context.Background(), ruleNow); err != nil {
			t.Fatal(err)
		}
		pl, err := f.store.Playlist("to-01", "2026-12-01")
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	if got := itemsOfSlot(day(), "cchc"); !reflect.DeepEqual(got, []uint64{1}) {
		t.Fatalf("with the 2-hour gap the column holds %v", got)
	}
	stored, before, err := f.store.PutRules(Rules{SeparationMinutes: 30})
	if err != nil || stored.SeparationMinutes != 30 || before.SeparationMinutes != 0 || stored.UpdatedAt.IsZero() {
		t.Fatalf("put rules: %+v %+v %v", stored, before, err)
	}
	if r, err := f.planner.Rules(); err != nil || r.SeparationMinutes != 30 {
		t.Fatalf("the planner's rules: %+v %v", r, err)
	}
	if got := itemsOfSlot(day(), "cchc"); !reflect.DeepEqual(got, []uint64{1, 2, 3}) {
		t.Fatalf("with a 30-minute gap the column holds %v, want the jingle and both items", got)
	}
	if _, before, err = f.store.PutRules(Rules{SeparationMinutes: 0}); err != nil || before.SeparationMinutes != 30 {
		t.Fatalf("no gap at all: %+v %v", before, err)
	}
	if r, err := f.planner.Rules(); err != nil || r.SeparationMinutes != 0 {
		t.Fatalf("a gap of 0 is a rule too, not the default: %+v %v", r, err)
	}
}
