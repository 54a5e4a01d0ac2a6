package playlist

import (
	"testing"
	"time"

	"loa/playlist/library"
)

func TestLocalInstantAcrossZonesAndDST(t *testing.T) {
	berlin, ny := mustZone("Europe/Berlin"), mustZone("America/New_York")
	utc := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, tc := range []struct {
		name string
		zone *time.Location
		day  string
		at   ClockTime
		want time.Time
		note string
	}{
		{"Vietnam morning", hcm, "2026-12-03", Clock(6, 0), utc("2026-12-02T23:00:00Z"), ""},
		{"Vietnam midnight", hcm, "2026-12-03", Clock(0, 0), utc("2026-12-02T17:00:00Z"), ""},
		{"Berlin before spring jump", berlin, "2026-03-29", Clock(1, 59), utc("2026-03-29T00:59:00Z"), ""},
		// 02:00–02:59 do not exist on 29 March: the slot starts at the jump (03:00 CEST).
		{"Berlin spring gap", berlin, "2026-03-29", Clock(2, 30), utc("2026-03-29T01:00:00Z"), NoteDSTGap},
		{"Berlin after spring jump", berlin, "2026-03-29", Clock(3, 0), utc("2026-03-29T01:00:00Z"), ""},
		{"Berlin summer evening", berlin, "2026-03-29", Clock(19, 0), utc("2026-03-29T17:00:00Z"), ""},
		// 02:30 happens twice on 25 October: the first one (still CEST, +2).
		{"Berlin autumn ambiguous", berlin, "2026-10-25", Clock(2, 30), utc("2026-10-25T00:30:00Z"), NoteDSTAmbiguous},
		{"Berlin autumn after", berlin, "2026-10-25", Clock(3, 0), utc("2026-10-25T02:00:00Z"), ""},
		{"Berlin autumn evening", berlin, "2026-10-25", Clock(19, 0), utc("2026-10-25T18:00:00Z"), ""},
		{"New York spring gap", ny, "2026-03-08", Clock(2, 15), utc("2026-03-08T07:00:00Z"), NoteDSTGap},
		{"New York autumn ambiguous", ny, "2026-11-01", Clock(1, 30), utc("2026-11-01T05:30:00Z"), NoteDSTAmbiguous},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, note := LocalInstant(library.Date(tc.day), tc.at, tc.zone)
			if !got.Equal(tc.want) || note != tc.note {
				t.Fatalf("%s %s in %s = %s (%q), want %s (%q)", tc.day, tc.at, tc.zone, got, note, tc.want, tc.note)
			}
		})
	}
}

// A whole day compiled in Berlin on both switch dates: slots keep their
// length in real time, and the day's playlist stays in order.
func TestBerlinSwitchDaysBuild(t *testing.T) {
	berlin := mustZone("Europe/Berlin")
	progs := []Programme{{ID: "nacht", Name: "Nacht", Targets: library.Targets{All: true}, Slots: []Slot{
		{ID: "a", Kind: KindAnnouncements, Days: []time.Weekday{time.Sunday}, Start: Clock(2, 30), Minutes: 20},
		{ID: "b", Kind: KindAnnouncements, Days: []time.Weekday{time.Sunday}, Start: Clock(18, 0), Minutes: 20},
	}}}
	lib := []library.Segment{seg(1, "A", "tin-tuc", 60_000, library.Targets{All: true}), seg(2, "B", "tin-tuc", 90_000, library.Targets{All: true})}
	b := NewBuilder(DefaultConfig(), progs, lib)
	st := Station{ID: "berlin-1", Zone: berlin}
	for _, tc := range []struct {
		day           library.Date
		firstUTC      string
		firstNote     string
		eveningUTCHrs int
	}{{"2026-03-29", "2026-03-29T01:00:00Z", NoteDSTGap, 16}, {"2026-10-25", "2026-10-25T00:30:00Z", NoteDSTAmbiguous, 17}} {
		pls, err := b.Build(Request{Station: st, From: tc.day, Days: 1, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		pl := pls[0]
		if pl.Zone != "Europe/Berlin" || len(pl.Slots) != 2 {
			t.Fatalf("%s: %+v", tc.day, pl.Slots)
		}
		a, e := pl.Slots[0], pl.Slots[1]
		if a.Start().Format(time.RFC3339) != tc.firstUTC || a.Note != tc.firstNote || a.EndMs-a.StartMs != 20*60_000 {
			t.Errorf("%s night slot: %s–%s %q", tc.day, a.Start(), a.End(), a.Note)
		}
		if e.Start().Hour() != tc.eveningUTCHrs || e.Start().In(berlin).Hour() != 18 {
			t.Errorf("%s evening slot starts %s", tc.day, e.Start())
		}
		if len(pl.Items) != 4 || pl.Items[0].StartMs != a.StartMs {
			t.Errorf("%s: %d items, first at %d", tc.day, len(pl.Items), pl.Items[0].StartMs)
		}
	}
}

func TestOverlappingSlotsAreClipped(t *testing.T) {
	every := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	progs := []Programme{
		{ID: "a", Name: "A", Targets: library.Targets{All: true}, Slots: []Slot{{ID: "s", Kind: KindAnnouncements, Days: every, Start: Clock(6, 0), Minutes: 30}}},
		{ID: "b", Name: "B", Targets: library.Targets{All: true}, Slots: []Slot{
			{ID: "late", Kind: KindAnnouncements, Days: every, Start: Clock(6, 20), Minutes: 30},
			{ID: "inside", Kind: KindAnnouncements, Days: every, Start: Clock(6, 5), Minutes: 10},
		}},
	}
	runs, err := compileDay(progs, Station{ID: "x", Zone: hcm}, "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]SlotRun{}
	for _, r := range runs {
		got[r.Programme+"/"+r.Slot] = r
	}
	a, in, late := got["a/s"], got["b/inside"], got["b/late"]
	if a.Note != "" || in.Note != NoteHidden || in.EndMs != in.StartMs || late.Note != NoteClipped || late.StartMs != a.EndMs {
		t.Fatalf("runs: %+v", runs)
	}
}
