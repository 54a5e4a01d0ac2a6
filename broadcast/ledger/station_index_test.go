package ledger

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/ward"
)

// stationEvents records events of stations whose ids prefix one another
// (tdp-1, tdp-10), two of one station at the same planned instant, and
// some at the edges of the day read.
func stationEvents(t *testing.T, s *Store) []Event {
	t.Helper()
	var events []Event
	for i := range 600 {
		e := sampleEvent([]string{"tdp-1", "tdp-10", "tdp-2", "tdp-100"}[i%4], i)
		e.Planned = base.Add(time.Duration(i) * 3 * time.Minute) // 30 h: the day and the next
		if i%50 == 7 {
			e.Outcome, e.Started, e.Ended, e.Played = "missed", time.Time{}, time.Time{}, 0
		}
		events = append(events, e)
	}
	twin := sampleEvent("tdp-10", 10_000) // another event of tdp-10 at an instant it has one
	twin.Planned = events[9].Planned
	events = append(events, twin)
	if _, err := s.Record(events); err != nil {
		t.Fatal(err)
	}
	return events
}

// wantStations is what StationsBetween must give: Between's events of
// the stations, station by station in the order asked.
func wantStations(t *testing.T, s *Store, from, to time.Time, stations []string) []Event {
	t.Helper()
	var want []Event
	for _, st := range slices.Compact(slices.Clone(stations)) {
		for _, e := range readAll(t, s, from, to) {
			if e.StationID == st {
				want = append(want, e)
			}
		}
	}
	return want
}

func readStations(t *testing.T, s *Store, from, to time.Time, stations []string) []Event {
	t.Helper()
	var got []Event
	if err := s.StationsBetween(from, to, stations, func(e Event) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestStationsBetweenReadsOnlyThoseStationsEvents(t *testing.T) {
	t.Parallel()
	s, db := openStore(t, filepath.Join(t.TempDir(), "loa.db"))
	defer db.Close()
	events := stationEvents(t, s)
	from, to := events[8].Planned, events[8].Planned.Add(24*time.Hour) // from included, to left out
	for _, stations := range [][]string{{"tdp-10"}, {"tdp-1"}, {"tdp-2", "tdp-10", "tdp-10"}, {"tdp-100", "tdp-1", "tdp-2", "tdp-10"}, {"tdp-3"}, nil} {
		got := readStations(t, s, from, to, stations)
		want := wantStations(t, s, from, to, stations)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v: %d events, want %d", stations, len(got), len(want))
		}
	}
	twin := events[9].Planned
	if got := readStations(t, s, from, to, []string{"tdp-10"}); len(got) < 2 || !got[0].Planned.Equal(twin) || !got[1].Planned.Equal(twin) {
		t.Errorf("tdp-10's two events at %s: got %d events, the first two at %v", twin, len(got), got[:min(2, len(got))])
	}
}

// downgrade turns the file's ledger into one of schema 2, before the
// station index.
func downgrade(t *testing.T, db *bbolt.DB) {
	t.Helper()
	err := db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(bucketStationIndex); err != nil {
			return err
		}
		return schema.SetVersion(tx, 2)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenIndexesTheEventsOfAnOlderLedger(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	events := stationEvents(t, s)
	downgrade(t, db)
	db.Close()

	s, db = openStore(t, path)
	defer db.Close()
	from, to := base.Add(-time.Hour), base.Add(48*time.Hour)
	all := []string{"tdp-1", "tdp-10", "tdp-2", "tdp-100"}
	if got := readStations(t, s, from, to, all); len(got) != len(events) || !reflect.DeepEqual(got, wantStations(t, s, from, to, all)) {
		t.Errorf("after the migration the index reads %d events, want %d", len(got), len(events))
	}
	db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyIndexResume); v != nil {
			t.Errorf("the back-fill's mark is left: %x", v)
		}
		return nil
	})
}

// TestIndexBackfillResumesAfterACrash stops the back-fill after one chunk
// (the process killed between two of its transactions) and checks that
// the next Open indexes the rest.
func TestIndexBackfillResumesAfterACrash(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	events := stationEvents(t, s)
	downgrade(t, db)
	err := db.Update(func(tx *bbolt.Tx) error {
		if err := schema.Migrate(tx); err != nil {
			return err
		}
		next, err := backfillFrom(tx, tx.Bucket(bucketMeta).Get(keyIndexResume), 100)
		if err != nil || next == nil {
			t.Fatalf("first chunk: next %x, %v", next, err)
		}
		return tx.Bucket(bucketMeta).Put(keyIndexResume, next)
	})
	if err != nil {
		t.Fatal(err)
	}
	s = &Store{db: db}
	from, to := base.Add(-time.Hour), base.Add(48*time.Hour)
	if n := len(readStations(t, s, from, to, []string{"tdp-1", "tdp-10", "tdp-2", "tdp-100"})); n != 100 {
		t.Fatalf("after one chunk the index reads %d events, want 100", n)
	}
	db.Close() // the crash

	s, db = openStore(t, path)
	defer db.Close()
	if n := len(readStations(t, s, from, to, []string{"tdp-1", "tdp-10", "tdp-2", "tdp-100"})); n != len(events) {
		t.Errorf("after reopening the index reads %d events, want %d", n, len(events))
	}
}

func TestDeleteBeforeLeavesNoIndexKeysOfTheDeletedDays(t *testing.T) {
	t.Parallel()
	s, db := openStore(t, filepath.Join(t.TempDir(), "loa.db"))
	defer db.Close()
	events := stationEvents(t, s)
	edge := ward.DayOf(events[len(events)-2].Planned, s.Zone()) // the last day
	n, err := s.DeleteBefore(edge)
	if err != nil || n == 0 {
		t.Fatalf("deleted %d: %v", n, err)
	}
	db.View(func(tx *bbolt.Tx) error {
		left := 0
		tx.Bucket(bucketStationIndex).ForEach(func(station, _ []byte) error {
			return tx.Bucket(bucketStationIndex).Bucket(station).ForEach(func(_, _ []byte) error { left++; return nil })
		})
		keys := map[indexKey]bool{}
		tx.Bucket(bucketEvents).ForEach(func(k, _ []byte) error {
			ik, _ := eventIndexKey(k)
			keys[ik] = true
			return nil
		})
		if left != len(keys) {
			t.Errorf("the index holds %d keys for the events left at %d instants", left, len(keys))
		}
		return nil
	})
	from := edge.Start(s.Zone())
	all := []string{"tdp-1", "tdp-10", "tdp-2", "tdp-100"}
	if got := readStations(t, s, from.Add(-72*time.Hour), from.Add(72*time.Hour), all); !reflect.DeepEqual(got, wantStations(t, s, from, from.Add(72*time.Hour), all)) {
		t.Errorf("after the deletion the index reads %d events", len(got))
	}
}

// TestSchema3IndexIsReplaced: a ledger of schema 3 (the index as one tree)
// opens with the index as a bucket per station, back-filled, and the old
// tree gone.
func TestSchema3IndexIsReplaced(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	events := stationEvents(t, s)
	err := db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(bucketStationIndex); err != nil {
			return err
		}
		old, err := tx.CreateBucket(bucketByStationV3)
		if err != nil {
			return err
		}
		if err := old.Put(append([]byte("tdp-1\x00"), instantKey(base.UnixMilli())...), []byte{}); err != nil {
			return err
		}
		return schema.SetVersion(tx, 3)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, db = openStore(t, path)
	defer db.Close()
	from, to := base.Add(-time.Hour), base.Add(48*time.Hour)
	if n := len(readStations(t, s, from, to, []string{"tdp-1", "tdp-10", "tdp-2", "tdp-100"})); n != len(events) {
		t.Errorf("the index reads %d events, want %d", n, len(events))
	}
	db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketByStationV3) != nil {
			t.Error("schema 3's index is left")
		}
		return nil
	})
}
