package playlist

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"loa/playlist/library"
)

// Property tests: random libraries, schedules, zones (including DST switch
// weeks) and aired histories. Whatever the input, a playlist never
// overlaps, never runs past a slot, honours separation and maxima, plays
// only what may play, and explains every item and every omission.

var propZones = []*time.Location{hcm, mustZone("Europe/Berlin"), mustZone("America/New_York"), mustZone("Australia/Lord_Howe")}

var propStarts = []library.Date{"2026-11-30", "2026-03-26", "2026-10-22", "2026-03-05", "2026-10-29", "2026-12-28"}

type world struct {
	progs   []Programme
	lib     []library.Segment
	station Station
	from    library.Date
	history History
	cfg     Config
}

func randomWorld(rng *rand.Rand) world {
	w := world{cfg: DefaultConfig(), from: propStarts[rng.IntN(len(propStarts))]}
	w.cfg.Gap = time.Duration(rng.IntN(6)) * time.Second
	w.cfg.Separation = time.Duration(30+rng.IntN(200)) * time.Minute
	w.station = Station{ID: fmt.Sprintf("to-%02d", rng.IntN(4)), Groups: []string{fmt.Sprintf("khu-%d", rng.IntN(3))}, Zone: propZones[rng.IntN(len(propZones))]}
	for id := uint64(1); id <= uint64(5+rng.IntN(60)); id++ {
		s := seg(id, fmt.Sprintf("s%d", id), wardTopics[rng.IntN(len(wardTopics))], int64(1_000+rng.IntN(400_000)), randomTargets(rng))
		s.Status = []library.Status{library.StatusApproved, library.StatusApproved, library.StatusApproved, library.StatusDraft, library.StatusArchived}[rng.IntN(5)]
		s.Level = []library.Level{library.LevelOrdinary, library.LevelOrdinary, library.LevelOrdinary, library.LevelPriority, library.LevelEmergency}[rng.IntN(5)]
		if rng.IntN(3) == 0 {
			s.Limits = library.Limits{MinPerDay: rng.IntN(4), MinPerWeek: rng.IntN(12), MaxPerDay: rng.IntN(5)}
		}
		if rng.IntN(4) == 0 {
			s.ValidFrom = addDays(w.from, rng.IntN(5)-1)
			s.ValidTo = addDays(s.ValidFrom, rng.IntN(5))
		}
		if rng.IntN(10) == 0 {
			s.Audio.CueOutMS = s.Audio.CueInMS // degenerate cue points: whole file
		}
		w.lib = append(w.lib, s)
	}
	for i := range 1 + rng.IntN(4) {
		p := Programme{ID: fmt.Sprintf("p%d", i), Name: "P", Targets: randomTargets(rng)}
		if rng.IntN(3) == 0 {
			p.IntroID, p.OutroID = uint64(1+rng.IntN(5)), uint64(1+rng.IntN(5))
		}
		for j := range 1 + rng.IntN(4) {
			s := Slot{ID: fmt.Sprintf("s%d", j), Kind: KindAnnouncements, Start: ClockTime(rng.IntN(24 * 60)), Minutes: 1 + rng.IntN(90)}
			for d := range 7 {
				if rng.IntN(2) == 0 {
					s.Days = append(s.Days, time.Weekday(d))
				}
			}
			if rng.IntN(6) == 0 {
				s.Days, s.Date = nil, addDays(w.from, rng.IntN(7))
			}
			switch rng.IntN(6) {
			case 0:
				s.Kind, s.Topics = KindColumn, []string{"cchc-tthc", "cchc-chinh-sach"}
			case 1:
				s.Kind, s.URL = KindRelay, "https://radio.example/live"
			}
			p.Slots = append(p.Slots, s)
		}
		if rng.IntN(3) == 0 {
			p.Exceptions = []Exception{{Date: addDays(w.from, rng.IntN(7))}}
		}
		w.progs = append(w.progs, p)
	}
	var plays []Play
	start := dayStart(w.from, w.station.Zone)
	for range rng.IntN(40) {
		plays = append(plays, Play{Station: w.station.ID, Segment: uint64(1 + rng.IntN(len(w.lib))), At: start.Add(-time.Duration(1+rng.IntN(7*24*60)) * time.Minute)})
	}
	w.history = NewPlayLog(plays)
	return w
}

func randomTargets(rng *rand.Rand) library.Targets {
	switch rng.IntN(4) {
	case 0:
		return library.Targets{Groups: []string{fmt.Sprintf("khu-%d", rng.IntN(3))}}
	case 1:
		return library.Targets{Stations: []string{fmt.Sprintf("to-%02d", rng.IntN(4))}}
	}
	return library.Targets{All: true}
}

func (w world) build(t *testing.T) []Playlist {
	t.Helper()
	pls, err := NewBuilder(w.cfg, w.progs, w.lib).Build(Request{Station: w.station, From: w.from, Days: 7, Now: ruleNow.AddDate(-1, 0, 0), History: w.history})
	if err != nil {
		t.Fatal(err)
	}
	return pls
}

func TestPropertyPlaylistsAreSound(t *testing.T) {
	for seed := range uint64(1000) {
		rng := rand.New(rand.NewPCG(seed, 99))
		w := randomWorld(rng)
		pls := w.build(t)
		if err := checkSound(w, pls); err != nil {
			t.Fatalf("seed %d (zone %s, from %s): %v", seed, w.station.Zone, w.from, err)
		}
	}
}

// checkSound verifies the invariants that hold for any input.
func checkSound(w world, pls []Playlist) error {
	byID := map[uint64]library.Segment{}
	jingles := map[uint64]bool{}
	for _, s := range w.lib {
		byID[s.ID] = s
	}
	for _, p := range w.progs {
		jingles[p.IntroID], jingles[p.OutroID] = true, true
	}
	lastStart := map[uint64]int64{}
	var prevEnd int64
	for _, pl := range pls {
		perDay := map[uint64]int{}
		for i, it := range pl.Items {
			run := slices.IndexFunc(pl.Slots, func(r SlotRun) bool { return r.Programme == it.Programme && r.Slot == it.Slot })
			switch {
			case run < 0:
				return fmt.Errorf("%s item %d: no slot %s/%s", pl.Date, i, it.Programme, it.Slot)
			case it.StartMs < pl.Slots[run].StartMs || it.EndMs() > pl.Slots[run].EndMs:
				return fmt.Errorf("%s item %d runs outside its slot", pl.Date, i)
			case it.StartMs < prevEnd:
				return fmt.Errorf("%s item %d overlaps the previous item by %d ms", pl.Date, i, prevEnd-it.StartMs)
			case it.Reason.Code == "":
				return fmt.Errorf("%s item %d has no reason", pl.Date, i)
			case it.DurationMs <= 0:
				return fmt.Errorf("%s item %d has no duration", pl.Date, i)
			}
			prevEnd = it.EndMs() + w.cfg.Gap.Milliseconds()
			if it.Kind == ItemRelay {
				continue
			}
			s := byID[it.SegmentID]
			switch {
			case s.Status != library.StatusApproved:
				return fmt.Errorf("%s item %d: segment %d is %s", pl.Date, i, s.ID, s.Status)
			case s.Level == library.LevelEmergency:
				return fmt.Errorf("%s item %d: emergency segment scheduled", pl.Date, i)
			case it.DurationMs != s.Audio.Playable().Milliseconds():
				return fmt.Errorf("%s item %d: duration %d, playable %d", pl.Date, i, it.DurationMs, s.Audio.Playable().Milliseconds())
			case it.Reason.Code == WhyIntro || it.Reason.Code == WhyOutro:
				continue
			case !s.Targets.Includes(w.station.ID, w.station.Groups):
				return fmt.Errorf("%s item %d: segment %d does not target %s", pl.Date, i, s.ID, w.station.ID)
			case !pl.Date.Within(s.ValidFrom, s.ValidTo):
				return fmt.Errorf("%s item %d: segment %d valid %s–%s", pl.Date, i, s.ID, s.ValidFrom, s.ValidTo)
			case pl.Slots[run].Kind == KindColumn && !slices.Contains([]string{"cchc-tthc", "cchc-chinh-sach"}, s.Topic):
				return fmt.Errorf("%s item %d: topic %s in a column", pl.Date, i, s.Topic)
			}
			if last, ok := lastStart[s.ID]; ok && it.StartMs-last < w.cfg.Separation.Milliseconds() {
				return fmt.Errorf("%s item %d: segment %d repeats after %d ms", pl.Date, i, s.ID, it.StartMs-last)
			}
			lastStart[s.ID] = it.StartMs
			perDay[s.ID]++
			if max := s.Limits.MaxPerDay; max > 0 && perDay[s.ID] > max {
				return fmt.Errorf("%s: segment %d plays %d times, max %d", pl.Date, s.ID, perDay[s.ID], max)
			}
		}
		if err := checkExplained(w, pl, perDay, jingles); err != nil {
			return err
		}
	}
	return nil
}

// checkExplained: every approved segment targeted at the station that did
// not play that day is in Left with a reason.
func checkExplained(w world, pl Playlist, played map[uint64]int, jingles map[uint64]bool) error {
	for _, s := range w.lib {
		if s.Status != library.StatusApproved || !s.Targets.Includes(w.station.ID, w.station.Groups) || played[s.ID] > 0 {
			continue
		}
		if why := leftFor(pl, s.ID); len(why) == 0 {
			return fmt.Errorf("%s: segment %d neither played nor explained", pl.Date, s.ID)
		}
	}
	return nil
}

// When quotas can all be met — few of them, slots long enough and far
// enough apart — they are.
func TestPropertyQuotasMetWhenFeasible(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		w := world{cfg: DefaultConfig(), from: "2026-11-30", station: to1}
		w.station.Zone = propZones[rng.IntN(len(propZones))]
		w.progs = []Programme{slotsAt(20, Clock(6, 0), Clock(11, 30), Clock(17, 0))}
		for id := uint64(1); id <= uint64(8+rng.IntN(40)); id++ {
			s := seg(id, "x", wardTopics[rng.IntN(len(wardTopics))], int64(20_000+rng.IntN(160_000)), library.Targets{All: true})
			if id <= 3 { // at most three quota items…
				s.Limits = library.Limits{MinPerDay: rng.IntN(4), MinPerWeek: rng.IntN(22)}
			}
			if id == 4 || id == 5 { // …and two priority bulletins per slot
				s.Level = library.LevelPriority
			}
			w.lib = append(w.lib, s)
		}
		pls := w.build(t)
		if err := checkSound(w, pls); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		week := map[uint64]int{}
		for _, pl := range pls {
			day := map[uint64]int{}
			for _, it := range pl.Items {
				day[it.SegmentID]++
				week[it.SegmentID]++
			}
			for _, s := range w.lib[:3] {
				if day[s.ID] < s.Limits.MinPerDay {
					t.Fatalf("seed %d %s: segment %d plays %d, min %d per day", seed, pl.Date, s.ID, day[s.ID], s.Limits.MinPerDay)
				}
			}
			for _, l := range pl.Left {
				if l.Reason.Code == LeftMinDayUnmet || l.Reason.Code == LeftMinWeekUnmet {
					t.Fatalf("seed %d %s: %+v", seed, pl.Date, l)
				}
			}
		}
		for _, s := range w.lib[:3] {
			if week[s.ID] < s.Limits.MinPerWeek {
				t.Fatalf("seed %d: segment %d plays %d, min %d per week", seed, s.ID, week[s.ID], s.Limits.MinPerWeek)
			}
		}
	}
}
