package playlist

import (
	"testing"
	"time"

	"loa/playlist/library"
)

// An ordinary item approved while its slot is idle airs within the freeze
// (30 s: what the agent needs to receive the new version and prepare),
// not two minutes later.
func TestItemApprovedForNowAirsWithinTheFreeze(t *testing.T) {
	lib := []library.Segment{
		seg(1, "một", "tin-tuc", 60_000, library.Targets{All: true}),
		seg(2, "hai", "tin-tuc", 60_000, library.Targets{All: true}),
	}
	prog := []Programme{slotsAt(30, Clock(6, 0))}
	first := buildDays(t, DefaultConfig(), prog, lib, to1, "2026-12-01", 1, nil)[0]
	if n := len(first.Items); n != 2 {
		t.Fatalf("the slot holds %d items, want its 2 (the rest of it idle)", n)
	}
	// At 06:10 the slot has been idle for 8 minutes; a bulletin is approved.
	now := first.Items[0].Start().Add(10 * time.Minute)
	news := seg(3, "tin mới", "tin-tuc", 60_000, library.Targets{All: true})
	pls, err := NewBuilder(DefaultConfig(), prog, append(lib, news)).Build(Request{Station: to1, From: "2026-12-01", Days: 1, Now: now,
		Current: map[library.Date]*Playlist{"2026-12-01": &first}})
	if err != nil {
		t.Fatal(err)
	}
	var start time.Time
	for _, it := range pls[0].Items {
		if it.SegmentID == 3 {
			start = it.Start()
		}
	}
	if wait := start.Sub(now); start.IsZero() || wait < DefaultFreeze || wait > 30*time.Second+DefaultGap {
		t.Fatalf("the new bulletin starts %v after its approval (at %v), want within 30 s", wait, start)
	}
}
