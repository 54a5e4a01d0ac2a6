package playlist

import (
	"reflect"
	"testing"
	"time"

	"loa/playlist/library"
)

// vneidWard is issue 17's case: the morning bulletin at 06:00 plays the
// two approved VNeID items; a new 10-minute CCHC column at 07:00 opens
// with a 3-second jingle. Segment 1 is the jingle, 2 and 3 the items.
func vneidWard() ([]Programme, []library.Segment) {
	jingle := seg(1, "nhạc hiệu CCHC", "khac", 3_000, library.Targets{All: true})
	lib := []library.Segment{jingle,
		seg(2, "VNeID: kích hoạt tài khoản", "cchc-tthc", 60_000, library.Targets{All: true}),
		seg(3, "VNeID: tích hợp giấy tờ", "cchc-tthc", 70_000, library.Targets{All: true})}
	progs := []Programme{slotsAt(15, Clock(6, 0)),
		{ID: "cchc", Name: "Chuyên mục CCHC", Targets: library.Targets{All: true}, IntroID: 1,
			Slots: []Slot{{ID: "s0700", Kind: KindColumn, Days: everyDay, Start: Clock(7, 0), Minutes: 10, Topics: []string{"cchc-tthc"}}}}}
	return progs, lib
}

func itemsOfSlot(pl Playlist, prog string) []uint64 {
	var out []uint64
	for _, it := range pl.Items {
		if it.Programme == prog {
			out = append(out, it.SegmentID)
		}
	}
	return out
}

// A slot that keeps time empty says which of the items it accepts were
// kept out and why, even when they played earlier in the day: the CCHC
// column held only its jingle and nothing said why (issue 17 item 4).
func TestASlotWithRoomSaysWhoWasKeptOutByTheGap(t *testing.T) {
	progs, lib := vneidWard()
	pl := buildDay(t, progs, lib, to1, "2026-12-01")
	if got := itemsOfSlot(pl, "cchc"); !reflect.DeepEqual(got, []uint64{1}) {
		t.Fatalf("the column holds %v, want only its jingle", got)
	}
	var found *LeftOut
	for i, l := range pl.Left {
		if l.Programme == "cchc" && l.Slot == "s0700" {
			found = &pl.Left[i]
		}
	}
	want := LeftOut{Reason: Reason{Code: LeftSeparation, N: 120}, Segments: []uint64{2, 3}, Programme: "cchc", Slot: "s0700"}
	if found == nil || !reflect.DeepEqual(*found, want) {
		t.Fatalf("left out %+v, want %+v", pl.Left, want)
	}
	// The morning slot holds both and has room after them: the items it
	// played are not listed against it.
	for _, l := range pl.Left {
		if l.Programme == "p" {
			t.Errorf("the morning slot lists %+v", l)
		}
	}
}

// A segment kept out of a whole day by the gap says how long the gap is.
func TestSeparationReasonNamesTheGap(t *testing.T) {
	lib := []library.Segment{seg(1, "một", "tin-tuc", 60_000, library.Targets{All: true})}
	cfg := DefaultConfig()
	cfg.Separation = 3 * time.Hour
	// 23:00 on the 1st, then 00:30 on the 2nd: too close.
	progs := []Programme{{ID: "p", Name: "Bản tin", Targets: library.Targets{All: true}, Slots: []Slot{
		{ID: "a", Kind: KindAnnouncements, Date: "2026-12-01", Start: Clock(23, 0), Minutes: 5},
		{ID: "b", Kind: KindAnnouncements, Date: "2026-12-02", Start: Clock(0, 30), Minutes: 5}}}}
	pls := buildDays(t, cfg, progs, lib, to1, "2026-12-01", 2, nil)
	if len(pls[1].Items) != 0 {
		t.Fatalf("2 December: %v", segIDs(pls[1]))
	}
	if got := leftFor(pls[1], 1); len(got) != 2 || got[0] != (Reason{Code: LeftSeparation, N: 180}) || got[1] != got[0] {
		t.Fatalf("2 December left out: %+v (the day and the slot b)", pls[1].Left)
	}
}

// A slot made (or an item approved) after the slot's time that day: the
// item is left out because the slot had passed, not for want of room.
func TestASlotThatHadPassedIsTheReason(t *testing.T) {
	lib := []library.Segment{seg(1, "một", "tin-tuc", 60_000, library.Targets{All: true})}
	progs := []Programme{slotsAt(10, Clock(6, 0))}
	at10 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC) // 10:00 in the ward
	pls, err := NewBuilder(DefaultConfig(), progs, lib).Build(Request{Station: to1, From: "2026-12-01", Days: 2, Now: at10})
	if err != nil {
		t.Fatal(err)
	}
	if got := leftFor(pls[0], 1); len(pls[0].Items) != 0 || len(got) != 1 || got[0].Code != LeftPast {
		t.Fatalf("1 December: items %v, left out %+v", segIDs(pls[0]), pls[0].Left)
	}
	if len(pls[1].Items) != 1 || len(pls[1].Left) != 0 {
		t.Fatalf("2 December: %v %+v", segIDs(pls[1]), pls[1].Left)
	}
}

// A slot with room says which items it accepts were at their daily
// maximum, though they played in another slot.
func TestASlotWithRoomSaysWhoWasAtTheirMaximum(t *testing.T) {
	once := seg(1, "tối đa 1 lần", "tin-tuc", 60_000, library.Targets{All: true})
	once.Limits.MaxPerDay = 1
	pl := buildDay(t, []Programme{slotsAt(5, Clock(6, 0), Clock(10, 0))}, []library.Segment{once}, to1, "2026-12-01")
	if got := leftFor(pl, 1); len(segIDs(pl)) != 1 || len(got) != 1 || got[0].Code != LeftMaxPerDay || pl.Left[0].Slot != "b" {
		t.Fatalf("items %v, left out %+v", segIDs(pl), pl.Left)
	}
}
