package ledger

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/ward"
)

// sumRollups adds up every cell of the ward's days first to last.
func sumRollups(t *testing.T, s *Store, first, last ward.Day) (Tally, map[string]int) {
	t.Helper()
	var sum Tally
	byTitle := map[string]int{}
	err := s.Rollups(first, last, func(c *Cell) error {
		sum.Merge(&c.Tally)
		byTitle[c.Snapshot.Title] += c.Events()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sum, byTitle
}

func TestRollupsCountEveryStoredEventOnceInTheWardsDay(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	hcm := s.Zone()
	// 23:53 on 30/09 in the ward is 16:53 UTC: Q3, not 1/10; 00:00 is Q4.
	lastOfQ3 := time.Date(2026, 9, 30, 23, 53, 0, 0, hcm)
	var batch []Event
	for i := range 10 {
		e := sampleEvent("tdp-01", i)
		e.Planned = lastOfQ3.Add(time.Duration(i) * time.Minute) // the last 3 cross midnight
		e.Started = e.Planned.Add(2 * time.Minute)               // late by the default margin
		batch = append(batch, e)
	}
	batch[0].Outcome, batch[0].Started, batch[0].Played = "missed", time.Time{}, 0
	batch[1].Outcome = "failed"
	if _, err := s.Record(append(batch, batch[2])); err != nil { // one resend
		t.Fatal(err)
	}

	sum, _ := sumRollups(t, s, "2026-09-30", "2026-09-30")
	if sum.Events() != 7 || sum.Count[StatusLate] != 5 || sum.Count[StatusMissed] != 1 || sum.Count[StatusFailed] != 1 {
		t.Fatalf("30/09: %+v", sum)
	}
	oct1, _ := sumRollups(t, s, "2026-10-01", "2026-10-01")
	if oct1.Events() != 3 || oct1.Airtime != 3*2*time.Minute {
		t.Fatalf("01/10: %+v", oct1)
	}
	var problems []string
	s.Problems(lastOfQ3, lastOfQ3.Add(time.Hour), func(e Event) error {
		problems = append(problems, e.Outcome)
		return nil
	})
	if len(problems) != 2 || problems[0] != "missed" || problems[1] != "failed" {
		t.Fatalf("problems %v", problems)
	}
	db.Close()

	// Reopened with a wider margin, the rollups are recounted: nothing is late.
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err = Open(db, WithLateMargin(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	sum, _ = sumRollups(t, s, "2026-09-30", "2026-10-01")
	if sum.Events() != 10 || sum.Count[StatusLate] != 0 || sum.Count[StatusAired] != 8 {
		t.Fatalf("after rebuild: %+v", sum)
	}
}

func TestRollupsKeepTheTitleThatAired(t *testing.T) {
	t.Parallel()
	s, db := openStore(t, filepath.Join(t.TempDir(), "loa.db"))
	defer db.Close()
	before, after := sampleEvent("tdp-01", 1), sampleEvent("tdp-01", 2)
	after.Title = "Tiêu đề đã sửa"
	s.Record([]Event{before})
	s.Record([]Event{after})
	_, byTitle := sumRollups(t, s, ward.DayOf(base, s.Zone()), ward.DayOf(base, s.Zone()))
	if byTitle[before.Title] != 1 || byTitle[after.Title] != 1 {
		t.Fatalf("titles %v", byTitle)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	on := sampleEvent("tdp-01", 1)
	late, short, slightlyShort, cut := on, on, on, on
	late.Started = on.Planned.Add(61 * time.Second)
	short.Played = on.Duration - 10*time.Second
	slightlyShort.Played = on.Duration - 30*time.Millisecond
	cut.Outcome = "interrupted"
	for _, c := range []struct {
		e    Event
		want Status
	}{{on, StatusAired}, {late, StatusLate}, {short, StatusPartial}, {slightlyShort, StatusAired}, {cut, StatusInterrupted}} {
		if got := Classify(&c.e, DefaultLateMargin); got != c.want {
			t.Errorf("%+v: %v, want %v", c.e, got, c.want)
		}
	}
}

// Rollups and DeleteBefore take calendar days; anything else is refused
// with ErrBadDay, before any work.
func TestDayAPIsRefuseWhatIsNotADay(t *testing.T) {
	t.Parallel()
	s, db := openStore(t, filepath.Join(t.TempDir(), "loa.db"))
	defer db.Close()
	for _, bad := range []ward.Day{"", "2026-02-30", "07/12/2026", "2026-12-07T06:30:00+07:00"} {
		if err := s.Rollups(bad, "2026-12-31", func(*Cell) error { return nil }); !errors.Is(err, ErrBadDay) {
			t.Errorf("Rollups(%q): %v", bad, err)
		}
		if n, err := s.DeleteBefore(bad); n != 0 || !errors.Is(err, ErrBadDay) {
			t.Errorf("DeleteBefore(%q): %d, %v", bad, n, err)
		}
	}
}
