package podcast

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/ward"
	"loa/playlist/library"
)

// The Podcasting 2.0 namespace's own example: the guid of
// https://mp3s.nashownotes.com/pc20rss.xml.
func TestFeedGUIDFollowsPodcasting20(t *testing.T) {
	for _, url := range []string{"https://mp3s.nashownotes.com/pc20rss.xml", "http://mp3s.nashownotes.com/pc20rss.xml/"} {
		if got := FeedGUID(url); got != "917393e3-1b1e-5cef-ace4-edaa54e1f810" {
			t.Errorf("FeedGUID(%q) = %s", url, got)
		}
	}
}

func TestIsPublic(t *testing.T) {
	for _, tt := range []struct {
		seg  library.Segment
		want bool
	}{
		{library.Segment{Public: true, Status: library.StatusApproved, Level: library.LevelOrdinary}, true},
		{library.Segment{Public: true, Status: library.StatusApproved, Level: library.LevelPriority}, true},
		{library.Segment{Public: false, Status: library.StatusApproved, Level: library.LevelOrdinary}, false},
		{library.Segment{Public: true, Status: library.StatusApproved, Level: library.LevelEmergency}, false},
		{library.Segment{Public: true, Status: library.StatusSubmitted, Level: library.LevelOrdinary}, false},
		{library.Segment{Public: true, Status: library.StatusArchived, Level: library.LevelOrdinary}, false},
		{library.Segment{Public: true, Status: library.StatusRejected, Level: library.LevelOrdinary}, false},
		{library.Segment{Public: true, Status: library.StatusDraft, Level: library.LevelOrdinary}, false},
	} {
		if got := IsPublic(tt.seg); got != tt.want {
			t.Errorf("IsPublic(%s %s public=%v) = %v", tt.seg.Status, tt.seg.Level, tt.seg.Public, got)
		}
	}
}

// Listens are counted per ward day: the day turns at midnight in the
// ward, whatever the machine's zone, and a report's days include both ends.
func TestListensAreCutByWardDay(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l, err := OpenListens(db, ward.Zone())
	if err != nil {
		t.Fatal(err)
	}
	a := Bulletin{ID: 7, Title: "VNeID", Topic: "cchc-tthc"}
	b := Bulletin{ID: 9, Title: "Tiêm chủng", Topic: "y-te"}
	lastOfQ3 := time.Date(2026, 9, 30, 16, 59, 50, 0, time.UTC) // 23:59:50 on 30/09 in the ward
	for _, c := range []struct {
		at  time.Time
		b   Bulletin
		who string
		new bool
	}{
		{lastOfQ3, a, "x", true},
		{lastOfQ3.Add(5 * time.Second), a, "x", false}, // the same listener, the same day
		{lastOfQ3.Add(5 * time.Second), a, "y", true},
		{lastOfQ3.Add(15 * time.Second), a, "x", true}, // 00:00:05 on 01/10: a new day
		{lastOfQ3.Add(20 * time.Second), b, "x", true},
	} {
		got, err := l.Count(c.at, c.b, c.who)
		if err != nil || got != c.new {
			t.Fatalf("Count(%v, %d, %s) = %v, %v; want %v", c.at, c.b.ID, c.who, got, err, c.new)
		}
	}
	q3, err := l.Between("2026-07-01", "2026-09-30")
	if err != nil || len(q3) != 1 || q3[0].Listens != 2 {
		t.Fatalf("Q3: %+v %v", q3, err)
	}
	q4, _ := l.Between("2026-10-01", "2026-12-31")
	if len(q4) != 2 || q4[0].Listens != 1 || q4[1].Listens != 1 {
		t.Fatalf("Q4: %+v", q4)
	}
	all, _ := l.Between("2026-07-01", "2026-12-31")
	topics := TopicTotals(all)
	if all[0].ID != 7 || all[0].Listens != 3 || len(topics) != 2 || topics[0].Topic != "cchc-tthc" || topics[0].Listens != 3 {
		t.Errorf("half-year: %+v, topics %+v", all, topics)
	}
}
