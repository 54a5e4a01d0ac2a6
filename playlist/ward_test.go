package playlist

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"loa/playlist/library"
)

// The realistic ward of the golden files: 30 residential groups' stations in
// three clusters (khu-1, khu-2, khu-3), a daily morning and evening
// programme, the Thursday evening CCHC column, a Sunday relay of the
// provincial radio, a holiday exception and a one-off slot.

var hcm = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func wardStations() []Station {
	var out []Station
	for i := 1; i <= 30; i++ {
		out = append(out, Station{ID: fmt.Sprintf("to-%02d", i), Groups: []string{fmt.Sprintf("khu-%d", (i-1)/10+1)}, Zone: hcm})
	}
	return out
}

func wardProgrammes() []Programme {
	every := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	cchc := []string{"cchc-chinh-sach", "cchc-tthc", "cchc-dvc-truc-tuyen", "cchc-chuyen-doi-so", "cchc-chi-so"}
	return []Programme{
		{ID: "sang", Name: "Bản tin buổi sáng", Targets: library.Targets{All: true}, IntroID: 1, OutroID: 2,
			Slots:      []Slot{{ID: "sang", Kind: KindAnnouncements, Days: every, Start: Clock(6, 0), Minutes: 30}},
			Exceptions: []Exception{{Date: "2026-12-03", Slots: []string{"sang"}, Note: "bảo trì loa"}}},
		{ID: "chieu", Name: "Bản tin buổi chiều", Targets: library.Targets{All: true}, IntroID: 1, OutroID: 2,
			Slots: []Slot{{ID: "chieu", Kind: KindAnnouncements, Days: every, Start: Clock(17, 30), Minutes: 30}}},
		{ID: "cchc", Name: "Chuyên mục Cải cách hành chính", Targets: library.Targets{All: true},
			Slots: []Slot{{ID: "thu-nam", Kind: KindColumn, Days: []time.Weekday{time.Thursday}, Start: Clock(19, 0), Minutes: 20, Topics: cchc}}},
		{ID: "tiep-song", Name: "Tiếp sóng Đài tỉnh", Targets: library.Targets{Groups: []string{"khu-1", "khu-2"}},
			Slots: []Slot{{ID: "chu-nhat", Kind: KindRelay, Days: []time.Weekday{time.Sunday}, Start: Clock(18, 0), Minutes: 30, URL: "https://radio.example.vn/dai-tinh.mp3"}}},
		{ID: "hop-dan", Name: "Thông báo họp tổ dân phố", Targets: library.Targets{Groups: []string{"khu-3"}},
			Slots: []Slot{{ID: "mot-lan", Kind: KindAnnouncements, Date: "2026-12-02", Start: Clock(11, 0), Minutes: 10}}},
	}
}

var wardTopics = []string{"cchc-chinh-sach", "cchc-tthc", "cchc-dvc-truc-tuyen", "cchc-chuyen-doi-so", "cchc-chi-so", "tin-tuc", "tin-tuc", "khac"}

// wardLibrary returns jingles 1 and 2 and 38 approved announcements with
// varied targets, levels, limits, validity and loudness; plus one draft and
// one emergency that must never be scheduled.
func wardLibrary() []library.Segment {
	rng := rand.New(rand.NewPCG(4, 2026))
	segs := []library.Segment{
		seg(1, "Nhạc hiệu mở đầu", "khac", 8_000, library.Targets{All: true}),
		seg(2, "Nhạc hiệu kết thúc", "khac", 6_000, library.Targets{All: true}),
	}
	for id := uint64(3); id <= 40; id++ {
		s := seg(id, fmt.Sprintf("Thông báo số %d", id), wardTopics[rng.IntN(len(wardTopics))],
			int64(40_000+rng.IntN(200_000)), library.Targets{All: true})
		switch rng.IntN(6) {
		case 0:
			s.Targets = library.Targets{Groups: []string{fmt.Sprintf("khu-%d", rng.IntN(3)+1)}}
		case 1:
			s.Targets = library.Targets{Stations: []string{fmt.Sprintf("to-%02d", rng.IntN(30)+1)}}
		}
		if rng.IntN(8) == 0 {
			s.Level = library.LevelPriority
		}
		if rng.IntN(8) == 0 {
			s.Limits = library.Limits{MinPerDay: 1 + rng.IntN(2), MaxPerDay: 3}
		} else if rng.IntN(4) == 0 {
			s.Limits = library.Limits{MinPerWeek: 3 + rng.IntN(4)}
		}
		if rng.IntN(5) == 0 {
			s.ValidFrom, s.ValidTo = "2026-12-01", "2026-12-04"
		}
		segs = append(segs, s)
	}
	draft := seg(41, "Bản nháp chưa duyệt", "tin-tuc", 60_000, library.Targets{All: true})
	draft.Status = library.StatusDraft
	urgent := seg(42, "Cảnh báo bão", "thien-tai", 60_000, library.Targets{All: true})
	urgent.Level = library.LevelEmergency
	return append(segs, draft, urgent)
}

func seg(id uint64, title, topic string, ms int64, t library.Targets) library.Segment {
	lufs := -20.0 + float64(id%7)
	return library.Segment{ID: id, Title: title, Topic: topic, Level: library.LevelOrdinary, Targets: t,
		Status: library.StatusApproved,
		Audio: library.Audio{SHA256: fmt.Sprintf("%064x", id), Format: "mp3", Size: ms * 16, DurationMS: ms + 400,
			CueInMS: 150, CueOutMS: ms + 150, LoudnessLUFS: &lufs, TruePeakDBTP: -6 + float64(id%5)}}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ward")

// wardHistory is what aired the week before: each station missed a few of
// its plays (offline), so rotation starts from different tallies.
func wardHistory() *PlayLog {
	rng := rand.New(rand.NewPCG(30, 11))
	var plays []Play
	for i, st := range wardStations() {
		for range 20 + i%7 {
			plays = append(plays, Play{Station: st.ID, Segment: uint64(3 + rng.IntN(38)),
				At: time.Date(2026, 11, 23+rng.IntN(7), 23+rng.IntN(2)*10, rng.IntN(30), 0, 0, time.UTC)})
		}
	}
	return NewPlayLog(plays)
}

// The golden files are the ward's week as operators read it (loa playlist
// STATION DATE), one file per station, with the week's planned shares.
func TestWardGolden(t *testing.T) {
	b := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	h := wardHistory()
	for _, st := range wardStations() {
		pls, err := b.Build(Request{Station: st, From: "2026-11-30", Days: 7, Now: time.Date(2026, 11, 29, 17, 15, 0, 0, time.UTC), History: h})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		for i := range pls {
			pls[i].Version, pls[i].Hash = 1, pls[i].ComputeHash()
			if err := Print(&out, &pls[i]); err != nil {
				t.Fatal(err)
			}
			out.WriteString("\n")
		}
		out.WriteString("week 2026-11-30 – 2026-12-06, planned vs aired:\n")
		if err := PrintShares(&out, Shares(pls, nil)); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", "ward", st.ID+".txt"), out.Bytes())
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./playlist -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what was built; if the change is intended, run with -update and review the diff", path)
	}
}
