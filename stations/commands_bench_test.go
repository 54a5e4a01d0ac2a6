package stations

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// BenchmarkPutCommands: what the hub writes after an emergency to 10,000
// stations (one changed command each), as one flush.
//
//	go test -run '^$' -bench PutCommands -benchtime 5x ./stations
func BenchmarkPutCommands(b *testing.B) {
	db, err := bbolt.Open(filepath.Join(b.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := Open(db)
	if err != nil {
		b.Fatal(err)
	}
	const n = 10_000
	s.db.NoSync = true
	for i := range n {
		if _, _, err := s.Create(New(fmt.Sprintf("st-%05d", i), "Trạm"), now); err != nil {
			b.Fatal(err)
		}
	}
	s.db.NoSync = false
	b.ResetTimer()
	for round := range b.N {
		recs := make([]CommandRecord, n)
		for i := range recs {
			recs[i] = CommandRecord{StationID: fmt.Sprintf("st-%05d", (i*7919)%n), ID: fmt.Sprintf("em-%d", round), Kind: "emergency_play",
				State: "delivered", Created: now, Updated: now.Add(time.Second), Expires: now.Add(10 * time.Minute)}
		}
		if err := s.PutCommands(recs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/command")
}
