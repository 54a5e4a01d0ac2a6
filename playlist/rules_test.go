package playlist

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"loa/playlist/library"
)

var everyDay = []time.Weekday{0, 1, 2, 3, 4, 5, 6}

var ruleNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) // before every built day

// slotsAt makes an announcements programme for everyone with slots of the
// given length at the given local times, every day.
func slotsAt(minutes int, at ...ClockTime) Programme {
	p := Programme{ID: "p", Name: "Bản tin", Targets: library.Targets{All: true}}
	for i, c := range at {
		p.Slots = append(p.Slots, Slot{ID: string(rune('a' + i)), Kind: KindAnnouncements, Days: everyDay, Start: c, Minutes: minutes})
	}
	return p
}

func buildDays(t *testing.T, cfg Config, progs []Programme, lib []library.Segment, st Station, from library.Date, days int, h History) []Playlist {
	t.Helper()
	pls, err := NewBuilder(cfg, progs, lib).Build(Request{Station: st, From: from, Days: days, Now: ruleNow, History: h})
	if err != nil {
		t.Fatal(err)
	}
	return pls
}

func buildDay(t *testing.T, progs []Programme, lib []library.Segment, st Station, d library.Date) Playlist {
	t.Helper()
	return buildDays(t, DefaultConfig(), progs, lib, st, d, 1, nil)[0]
}

var to1 = Station{ID: "to-01", Groups: []string{"khu-1"}, Zone: hcm}

func segIDs(pl Playlist) []uint64 {
	var out []uint64
	for _, it := range pl.Items {
		out = append(out, it.SegmentID)
	}
	return out
}

func leftFor(pl Playlist, id uint64) []Reason {
	var out []Reason
	for _, l := range pl.Left {
		if slices.Contains(l.Segments, id) {
			out = append(out, l.Reason)
		}
	}
	return out
}

func count(ids []uint64, id uint64) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

func TestOnlyApprovedNeverEmergency(t *testing.T) {
	lib := []library.Segment{seg(1, "duyệt", "tin-tuc", 60_000, library.Targets{All: true})}
	for i, s := range []library.Status{library.StatusDraft, library.StatusSubmitted, library.StatusRejected, library.StatusArchived} {
		x := seg(uint64(10+i), string(s), "tin-tuc", 30_000, library.Targets{All: true})
		x.Status = s
		lib = append(lib, x)
	}
	urgent := seg(20, "khẩn", "thien-tai", 30_000, library.Targets{All: true})
	urgent.Level = library.LevelEmergency
	pl := buildDay(t, []Programme{slotsAt(30, Clock(6, 0))}, append(lib, urgent), to1, "2026-12-01")
	if got := segIDs(pl); !reflect.DeepEqual(got, []uint64{1}) {
		t.Fatalf("scheduled %v, want only the approved ordinary segment 1", got)
	}
	if got := leftFor(pl, 20); len(got) != 1 || got[0].Code != LeftEmergency {
		t.Fatalf("emergency left out as %v", got)
	}
	if got := leftFor(pl, 10); got != nil {
		t.Fatalf("a draft is not a candidate at all, got %v", got)
	}
}

// The validity window is in the station's zone: a segment valid from 1
// December airs at 06:00 on 1 December in Vietnam, which is still 30
// November in UTC.
func TestValidityInStationZone(t *testing.T) {
	s := seg(1, "từ 1/12", "tin-tuc", 60_000, library.Targets{All: true})
	s.ValidFrom, s.ValidTo = "2026-12-01", "2026-12-01"
	pls := buildDays(t, DefaultConfig(), []Programme{slotsAt(30, Clock(6, 0))}, []library.Segment{s}, to1, "2026-11-30", 3, nil)
	if len(pls[0].Items) != 0 || leftFor(pls[0], 1)[0].Code != LeftValidity {
		t.Fatalf("30/11: %v %v", segIDs(pls[0]), pls[0].Left)
	}
	if got := pls[1].Items; len(got) != 1 || got[0].Start().Format(time.RFC3339) != "2026-11-30T23:00:00Z" {
		t.Fatalf("1/12: %+v", got)
	}
	if len(pls[2].Items) != 0 {
		t.Fatalf("2/12: %v", segIDs(pls[2]))
	}
}

func TestTargets(t *testing.T) {
	lib := []library.Segment{
		seg(1, "khu 1", "tin-tuc", 60_000, library.Targets{Groups: []string{"khu-1"}}),
		seg(2, "tổ 2", "tin-tuc", 60_000, library.Targets{Stations: []string{"to-02"}}),
		seg(3, "tất cả", "tin-tuc", 60_000, library.Targets{All: true}),
	}
	for _, tc := range []struct {
		st   Station
		want []uint64
	}{
		{to1, []uint64{1, 3}},
		{Station{ID: "to-02", Groups: []string{"khu-2"}, Zone: hcm}, []uint64{2, 3}},
		{Station{ID: "to-03", Groups: []string{"khu-2"}, Zone: hcm}, []uint64{3}},
	} {
		pl := buildDay(t, []Programme{slotsAt(30, Clock(6, 0))}, lib, tc.st, "2026-12-01")
		got := segIDs(pl)
		slices.Sort(got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s plays %v, want %v", tc.st.ID, got, tc.want)
		}
	}
}

func TestPriorityFirstInEverySlot(t *testing.T) {
	lib := []library.Segment{seg(1, "a", "tin-tuc", 60_000, library.Targets{All: true}), seg(2, "b", "tin-tuc", 60_000, library.Targets{All: true})}
	p := seg(9, "ưu tiên", "tin-tuc", 60_000, library.Targets{All: true})
	p.Level = library.LevelPriority
	pl := buildDay(t, []Programme{slotsAt(10, Clock(6, 0), Clock(17, 0))}, append(lib, p), to1, "2026-12-01")
	for _, slot := range []string{"a", "b"} {
		i := slices.IndexFunc(pl.Items, func(it Item) bool { return it.Slot == slot })
		if i < 0 || pl.Items[i].SegmentID != 9 || pl.Items[i].Reason.Code != WhyPriority {
			t.Fatalf("slot %s does not open with the priority bulletin: %v", slot, segIDs(pl))
		}
	}
}

func TestDailyMinimumAndMaximumAndSeparation(t *testing.T) {
	quota := seg(1, "2 lần/ngày", "tin-tuc", 60_000, library.Targets{All: true})
	quota.Limits = library.Limits{MinPerDay: 2, MaxPerDay: 2}
	once := seg(2, "tối đa 1", "tin-tuc", 60_000, library.Targets{All: true})
	once.Limits.MaxPerDay = 1
	filler := seg(3, "lấp chỗ trống", "tin-tuc", 60_000, library.Targets{All: true})
	// Four 3-minute slots an hour apart: the 2-hour separation allows at
	// most two plays of one segment (06:00 and 08:00).
	prog := slotsAt(3, Clock(6, 0), Clock(7, 0), Clock(8, 0), Clock(9, 0))
	pl := buildDay(t, []Programme{prog}, []library.Segment{quota, once, filler}, to1, "2026-12-01")
	ids := segIDs(pl)
	if count(ids, 1) != 2 || count(ids, 2) != 1 {
		t.Fatalf("plays %v: want segment 1 twice (its minimum and maximum) and 2 once", ids)
	}
	var first *Item
	for i, it := range pl.Items {
		if it.SegmentID == 1 {
			if first != nil && it.StartMs-first.StartMs < DefaultSeparation.Milliseconds() {
				t.Fatalf("segment 1 repeats after %s", time.Duration(it.StartMs-first.StartMs)*time.Millisecond)
			}
			if first == nil && (it.Reason != Reason{Code: WhyMinDay, N: 1, Of: 2}) {
				t.Fatalf("first play of 1: %+v", it.Reason)
			}
			first = &pl.Items[i]
		}
	}
	for _, it := range pl.Items {
		if it.SegmentID == 3 && it.Reason.Code != WhyRotation {
			t.Fatalf("filler reason %+v", it.Reason)
		}
	}
}

func TestSeparationLeavesTimeEmptyRatherThanRepeat(t *testing.T) {
	lib := []library.Segment{seg(1, "một", "tin-tuc", 60_000, library.Targets{All: true})}
	pl := buildDay(t, []Programme{slotsAt(10, Clock(6, 0), Clock(7, 0), Clock(8, 0))}, lib, to1, "2026-12-01")
	if len(pl.Items) != 2 || pl.Items[0].Slot != "a" || pl.Items[1].Slot != "c" {
		t.Fatalf("got %+v", pl.Items)
	}
	if pl.Items[1].Reason.LastMs != pl.Items[0].StartMs {
		t.Fatalf("rotation reason must name the last play: %+v", pl.Items[1].Reason)
	}
}

func TestGapAndSlotEnd(t *testing.T) {
	var lib []library.Segment
	for id := uint64(1); id <= 12; id++ {
		lib = append(lib, seg(id, "x", "tin-tuc", int64(37_000+id*4_000), library.Targets{All: true}))
	}
	long := seg(99, "quá dài", "tin-tuc", 11*60_000, library.Targets{All: true})
	cfg := DefaultConfig()
	cfg.Gap = 5 * time.Second
	pl := buildDays(t, cfg, []Programme{slotsAt(10, Clock(6, 0))}, append(lib, long), to1, "2026-12-01", 1, nil)[0]
	end := pl.Slots[0].EndMs
	for i, it := range pl.Items {
		if it.EndMs() > end {
			t.Fatalf("item %d ends %d ms after the slot", i, it.EndMs()-end)
		}
		if i > 0 && it.StartMs != pl.Items[i-1].EndMs()+5_000 {
			t.Fatalf("item %d starts %d ms after the previous one ends", i, it.StartMs-pl.Items[i-1].EndMs())
		}
	}
	if got := leftFor(pl, 99); len(got) != 1 || got[0].Code != LeftTooLong {
		t.Fatalf("an 11-minute item in a 10-minute slot: %v", got)
	}
	if pl.Items[len(pl.Items)-1].EndMs() < end-60_000 {
		t.Fatalf("the slot was left with more than a minute unused although short items remained")
	}
}

func TestColumnRelayJinglesExceptionsOneOff(t *testing.T) {
	lib := []library.Segment{
		seg(1, "intro", "khac", 5_000, library.Targets{All: true}),
		seg(2, "outro", "khac", 4_000, library.Targets{All: true}),
		seg(3, "thủ tục", "cchc-tthc", 60_000, library.Targets{All: true}),
		seg(4, "tin chung", "tin-tuc", 60_000, library.Targets{All: true}),
	}
	progs := []Programme{
		{ID: "cot", Name: "Chuyên mục CCHC", Targets: library.Targets{All: true}, IntroID: 1, OutroID: 2,
			Slots: []Slot{{ID: "t5", Kind: KindColumn, Days: []time.Weekday{time.Thursday}, Start: Clock(19, 0), Minutes: 5, Topics: []string{"cchc-tthc"}}}},
		{ID: "vov", Name: "Tiếp sóng", Targets: library.Targets{All: true}, IntroID: 1, OutroID: 2,
			Slots:      []Slot{{ID: "cn", Kind: KindRelay, Days: []time.Weekday{time.Sunday}, Start: Clock(18, 0), Minutes: 30, URL: "https://vov.example/live"}},
			Exceptions: []Exception{{Date: "2026-12-13"}}},
		{ID: "dac-biet", Name: "Đặc biệt", Targets: library.Targets{All: true},
			Slots: []Slot{{ID: "1", Kind: KindAnnouncements, Date: "2026-12-05", Start: Clock(9, 0), Minutes: 5}}},
	}
	pls := buildDays(t, DefaultConfig(), progs, lib, to1, "2026-12-03", 11, nil)
	thu, sat, sun, nextSun := pls[0], pls[2], pls[3], pls[10]
	if got := segIDs(thu); !reflect.DeepEqual(got, []uint64{1, 3, 2}) {
		t.Fatalf("Thursday column: %v, want intro, the CCHC item, outro", got)
	}
	if got := leftFor(thu, 4); len(got) != 1 || got[0].Code != LeftNoSlot {
		t.Fatalf("general news on Thursday: %v", got)
	}
	if got := segIDs(sat); len(got) == 0 || pls[1].Items != nil && len(pls[1].Items) > 0 {
		t.Fatalf("one-off slot: Saturday %v, Friday %v", got, segIDs(pls[1]))
	}
	if len(sun.Items) != 3 || sun.Items[1].Kind != ItemRelay || sun.Items[1].URL != "https://vov.example/live" {
		t.Fatalf("Sunday relay: %+v", sun.Items)
	}
	if end := sun.Items[2].EndMs(); end > sun.Slots[0].EndMs || sun.Items[1].EndMs() > sun.Items[2].StartMs {
		t.Fatalf("relay and outro must fit the slot")
	}
	if len(nextSun.Items) != 0 || len(nextSun.Slots) != 0 {
		t.Fatalf("13 December is cancelled: %+v", nextSun.Slots)
	}
}

// Rotation follows what aired: the segment that aired least this week goes
// first, whatever the plan said before.
func TestRotationFollowsWhatAired(t *testing.T) {
	var lib []library.Segment
	for id := uint64(1); id <= 3; id++ {
		lib = append(lib, seg(id, "x", "tin-tuc", 100_000, library.Targets{All: true}))
	}
	// Thursday 3 December; the week began on Monday 30 November.
	aired := NewPlayLog([]Play{
		{"to-01", 1, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)},
		{"to-01", 1, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{"to-01", 2, time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)},
		{"to-02", 3, time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)}, // another station
	})
	pls := buildDays(t, DefaultConfig(), []Programme{slotsAt(2, Clock(6, 0))}, lib, to1, "2026-12-03", 4, aired)
	var got []uint64
	for _, pl := range pls {
		got = append(got, segIDs(pl)...)
	}
	// Thu: 3 (0 plays), Fri: 2 (1 play, aired before 1's last), Sat: 3 vs 1
	// (both 2 plays? 1 has 2, 2 has 2, 3 has 1) → 3; Sun: 1 (2 plays, aired longest ago).
	if want := []uint64{3, 2, 3, 1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("plays %v, want %v", got, want)
	}
	if r := pls[0].Items[0].Reason; r != (Reason{Code: WhyRotation, N: 1}) {
		t.Fatalf("reason %+v", r)
	}
	if r := pls[1].Items[0].Reason; r.Code != WhyRotation || r.N != 2 || r.Aired != 1 {
		t.Fatalf("reason %+v", r)
	}
	if got := leftFor(pls[0], 1); len(got) != 1 || got[0].Code != LeftNoRoom {
		t.Fatalf("left out: %v", got)
	}
}

func TestWeeklyMinimumIsMet(t *testing.T) {
	var lib []library.Segment
	for id := uint64(1); id <= 20; id++ {
		lib = append(lib, seg(id, "x", "tin-tuc", 100_000, library.Targets{All: true}))
	}
	lib[14].Limits.MinPerWeek = 4
	pls := buildDays(t, DefaultConfig(), []Programme{slotsAt(2, Clock(6, 0))}, lib, to1, "2026-11-30", 7, nil)
	var got []uint64
	for _, pl := range pls {
		got = append(got, segIDs(pl)...)
	}
	if count(got, 15) != 4 {
		t.Fatalf("segment 15 plays %d times in the week (%v), want its minimum 4", count(got, 15), got)
	}
}

func TestRebuildKeepsWhatIsDue(t *testing.T) {
	var lib []library.Segment
	for id := uint64(1); id <= 10; id++ {
		lib = append(lib, seg(id, "x", "tin-tuc", 60_000, library.Targets{All: true}))
	}
	prog := []Programme{slotsAt(10, Clock(6, 0))}
	first := buildDays(t, DefaultConfig(), prog, lib, to1, "2026-12-01", 1, nil)[0]
	// At 06:03 local a new priority bulletin is approved and the day rebuilt.
	urgent := seg(11, "ưu tiên mới", "tin-tuc", 60_000, library.Targets{All: true})
	urgent.Level = library.LevelPriority
	now := first.Items[0].Start().Add(3 * time.Minute)
	pls, err := NewBuilder(DefaultConfig(), prog, append(lib, urgent)).Build(Request{Station: to1, From: "2026-12-01", Days: 1, Now: now,
		Current: map[library.Date]*Playlist{"2026-12-01": &first}})
	if err != nil {
		t.Fatal(err)
	}
	again := pls[0]
	freeze := now.Add(DefaultFreeze).UnixMilli()
	kept := 0
	for i, it := range first.Items {
		if it.StartMs < freeze {
			kept++
			if !reflect.DeepEqual(again.Items[i], it) {
				t.Fatalf("item %d due before the freeze changed: %+v", i, again.Items[i])
			}
		}
	}
	next := again.Items[kept]
	if next.SegmentID != 11 || next.StartMs < freeze || next.StartMs < again.Items[kept-1].EndMs() {
		t.Fatalf("after the kept items comes %+v", next)
	}
	for _, it := range again.Items[kept:] {
		if slices.Contains(segIDs(Playlist{Items: first.Items[:kept]}), it.SegmentID) {
			t.Fatalf("segment %d repeats within the separation after a rebuild", it.SegmentID)
		}
	}
}

func TestDeterministic(t *testing.T) {
	b1 := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	lib := wardLibrary()
	slices.Reverse(lib) // input order must not matter
	b2 := NewBuilder(DefaultConfig(), wardProgrammes(), lib)
	for _, st := range wardStations() {
		req := Request{Station: st, From: "2026-11-30", Days: 7, Now: ruleNow}
		a, _ := b1.Build(req)
		b, _ := b2.Build(req)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: two builds differ", st.ID)
		}
	}
}

func TestGain(t *testing.T) {
	lufs := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name     string
		loudness *float64
		peak     float64
		want     float64
	}{
		{"quiet, headroom", lufs(-23), -10, 7},
		{"loud", lufs(-10), -0.5, -6},
		{"the limiter takes a sharp peak", lufs(-20), -2, 4},
		{"peak limits the boost", lufs(-30), -4, 9},
		{"already too hot, the limiter holds it", lufs(-16), 0.3, 0},
		{"far too hot", lufs(-14), 6.5, -2},
		{"silence", nil, -90, 0},
	} {
		got := Gain(library.Audio{LoudnessLUFS: tc.loudness, TruePeakDBTP: tc.peak}, DefaultTargetLUFS, DefaultMaxTruePeak)
		if got != tc.want || tc.peak+got > DefaultMaxTruePeak+LimiterHeadroom+1e-9 {
			t.Errorf("%s: gain %v, want %v", tc.name, got, tc.want)
		}
	}
}
