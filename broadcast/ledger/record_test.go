package ledger

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

var base = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func openStore(t testing.TB, path string) (*Store, *bbolt.DB) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// sampleEvent is an event as an agent reports it: ULID-sized ids and a
// Vietnamese title of typical length.
func sampleEvent(station string, n int) Event {
	planned := base.Add(time.Duration(n) * time.Second)
	return Event{
		StationID: station,
		ID:        fmt.Sprintf("01JDQ%021d", n),
		ItemID:    fmt.Sprintf("01JDP%021d", n%500),
		SegmentID: fmt.Sprintf("01JDS%021d", n%50),
		Title:     "Tuyên truyền cải cách hành chính số " + fmt.Sprint(n%500),
		Topic:     "cchc",
		Level:     "ordinary",
		Groups:    []string{"an-phu"},
		Duration:  2 * time.Minute,
		Planned:   planned,
		Started:   planned.Add(3 * time.Millisecond),
		Ended:     planned.Add(2*time.Minute + 3*time.Millisecond),
		Played:    2 * time.Minute,
		Outcome:   "completed",
		Received:  planned.Add(5 * time.Minute),
	}
}

func TestRecordTwiceStoresOnceAndSurvivesReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	s, db := openStore(t, path)
	batch := []Event{sampleEvent("tdp-05", 1), sampleEvent("tdp-05", 2), sampleEvent("tdp-05", 1)}
	missed := sampleEvent("tdp-05", 3)
	missed.Started, missed.Ended, missed.Played, missed.Outcome, missed.Reason = time.Time{}, time.Time{}, 0, "missed", "offline"
	batch = append(batch, missed)
	res, err := s.Record(batch)
	if err != nil || res != (Result{Stored: 3, Duplicates: 1}) {
		t.Fatalf("first: %+v %v", res, err)
	}
	res, _ = s.Record(batch[:2])
	if res != (Result{Duplicates: 2}) {
		t.Fatalf("resend: %+v", res)
	}
	// The same event id at another station is another event.
	if res, _ := s.Record([]Event{sampleEvent("tdp-06", 1)}); res.Stored != 1 {
		t.Fatalf("other station: %+v", res)
	}
	db.Close()

	s, db = openStore(t, path)
	defer db.Close()
	var got []Event
	s.Between(base, base.Add(time.Hour), func(e Event) error { got = append(got, e); return nil })
	if len(got) != 4 {
		t.Fatalf("%d events after reopen", len(got))
	}
	want := sampleEvent("tdp-05", 1)
	if g := got[0]; g.ID != want.ID || g.Title != want.Title || !g.Started.Equal(want.Started) ||
		!g.Ended.Equal(want.Ended) || g.Played != want.Played || g.Groups[0] != "an-phu" || !g.Received.Equal(want.Received) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", g, want)
	}
	if m := got[3]; m.Outcome != "missed" || !m.Started.IsZero() || m.Reason != "offline" {
		t.Fatalf("missed event: %+v", m)
	}
}

func TestConcurrentCallersShareCommits(t *testing.T) {
	t.Parallel()
	s, db := openStore(t, filepath.Join(t.TempDir(), "loa.db"))
	defer db.Close()
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			for b := range 20 {
				var batch []Event
				for i := range 50 {
					batch = append(batch, sampleEvent(fmt.Sprintf("tdp-%02d", c), b*50+i))
				}
				if res, err := s.Record(batch); err != nil || res.Stored != 50 {
					t.Errorf("record: %+v %v", res, err)
				}
			}
		})
	}
	wg.Wait()
	if n, _ := s.Count(); n != 8*20*50 {
		t.Fatalf("count %d", n)
	}
}

// BenchmarkRecord measures grouped ingest: 32 callers (connections) each
// recording batches of 500 events. It reports events/s and stored bytes per
// event (file size and B+tree leaf bytes).
func BenchmarkRecord(b *testing.B) {
	path := filepath.Join(b.TempDir(), "loa.db")
	s, db := openStore(b, path)
	defer db.Close()
	const callers, batch = 32, 500
	var next atomic.Int64 // live reports: planned starts advance with the clock
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			station := fmt.Sprintf("tdp-%02d", c)
			for range b.N {
				first := int(next.Add(batch)) - batch
				events := make([]Event, batch)
				for j := range events {
					events[j] = sampleEvent(station, first+j)
				}
				if _, err := s.Record(events); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	n := float64(callers * batch * b.N)
	b.ReportMetric(n/elapsed.Seconds(), "events/s")
	size, err := s.Size()
	if err != nil || size.Events != int(n) {
		b.Fatalf("size %+v %v", size, err)
	}
	b.ReportMetric(float64(size.InuseBytes)/n, "tree-B/event")
	b.ReportMetric(float64(size.PageBytes)/n, "pages-B/event")
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/n, "file-B/event")
	}
}
