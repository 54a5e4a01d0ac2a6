package ledger

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// BenchmarkStationIndexBackfill times the migration that indexes the
// events of an older ledger (schema 2, before the station index): each
// run drops the index, marks the ledger as schema 2 and opens it. It runs
// on the ledger file LOA_BENCH_DB names (broadcast/report's benchmarks
// make one of 10M events; it is left indexed as it was) or on 200,000
// events of 300 stations in a temporary file; it reports the index's
// pages per event:
//
//	LOA_BENCH_DB=/tmp/loa-report-10m.db go test -run XXX -bench StationIndexBackfill -benchtime 1x ./broadcast/ledger
func BenchmarkStationIndexBackfill(b *testing.B) {
	path := os.Getenv("LOA_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "loa.db")
		s, db := openStore(b, path)
		var events []Event
		for n := range 200_000 {
			e := sampleEvent(fmt.Sprintf("tdp-%03d", n%300), n)
			e.Planned = base.Add(time.Duration(n/300) * time.Minute)
			if events = append(events, e); len(events) == 20_000 {
				if _, err := s.Record(events); err != nil {
					b.Fatal(err)
				}
				events = events[:0]
			}
		}
		db.Close()
	}
	var events int
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		err = db.Update(func(tx *bbolt.Tx) error {
			if err := tx.DeleteBucket(bucketStationIndex); err != nil {
				return err
			}
			return schema.SetVersion(tx, 2)
		})
		if err != nil {
			b.Fatal(err)
		}
		c0 := cpuTime()
		b.StartTimer()
		s, err := Open(db)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		events = indexStats(b, s, db)
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// indexStats reports the index's pages and bytes in use per event, and
// returns the events.
func indexStats(b *testing.B, s *Store, db *bbolt.DB) int {
	size, err := s.Size()
	if err != nil {
		b.Fatal(err)
	}
	db.View(func(tx *bbolt.Tx) error {
		st := tx.Bucket(bucketStationIndex).Stats()
		pages := (st.LeafPageN + st.BranchPageN + st.LeafOverflowN + st.BranchOverflowN) * db.Info().PageSize
		b.ReportMetric(float64(pages)/float64(size.Events), "index-pages-B/event")
		b.ReportMetric(float64(st.LeafInuse+st.BranchInuse+st.InlineBucketInuse)/float64(size.Events), "index-inuse-B/event")
		return nil
	})
	return size.Events
}

// cpuTime is the CPU time this process has used (user + system).
func cpuTime() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
