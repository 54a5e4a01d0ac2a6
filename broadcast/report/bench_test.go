package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/sys/unix"

	"loa/broadcast/ledger"
	"loa/playlist"
)

// The quarterly-report benchmark runs on a generated ledger: 300 stations
// airing through Q3 2026, and their plan (a playlist of 30 items a day
// through Q2 and Q3). LOA_BENCH_EVENTS sets the number of events (default
// 200,000; the figure is 10,000,000), LOA_BENCH_DB keeps the
// generated file between runs (it is made when missing; a file made
// before the plan was part of it gets the plan added):
//
//	LOA_BENCH_EVENTS=10000000 LOA_BENCH_DB=/tmp/loa-report-10m.db \
//	  go test -run XXX -bench QuarterReport -benchtime 3x ./broadcast/report
const benchStations = 300

func benchLedger(b *testing.B) (path string, events int) {
	events = 200_000
	if v := os.Getenv("LOA_BENCH_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("LOA_BENCH_EVENTS=%q: %v", v, err)
		}
		events = n
	}
	path = os.Getenv("LOA_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "loa.db")
	}
	if _, err := os.Stat(path); err == nil {
		addBenchPlan(b, path)
		return path, events
	}
	db, err := bbolt.Open(path+".tmp", 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	l, err := ledger.Open(db)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	generate(b, l, events)
	b.Logf("generated %d events in %v", events, time.Since(start).Round(time.Second))
	if err := db.Sync(); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	addBenchPlan(b, path)
	return path, events
}

// addBenchPlan stores the plan of Q2 and Q3 in the file at path, unless it
// is there already.
func addBenchPlan(b *testing.B, path string) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	pls, err := playlist.Open(db)
	if err != nil {
		b.Fatal(err)
	}
	counts, err := pls.PlannedCounts(Quarter(2026, 2).From, Quarter(2026, 3).To)
	if err != nil {
		b.Fatal(err)
	}
	if len(counts) > 0 {
		return
	}
	start := time.Now()
	benchPlan(b, pls, Period{From: Quarter(2026, 2).From, To: Quarter(2026, 3).To})
	b.Logf("stored the plan of Q2 and Q3 in %v", time.Since(start).Round(time.Second))
	if err := db.Sync(); err != nil {
		b.Fatal(err)
	}
}

// generate records events over Q3 2026 in planned order, as live reports
// arrive: each station airs items from a daily rotation of 40 of 500 items
// (12 topics), 3 % late, 2 % missed, 1 % failed, one emergency in 500.
func generate(b *testing.B, l *ledger.Store, total int) {
	days := Quarter(2026, 3).Days()
	perDay := max(1, (total+benchStations*days-1)/(benchStations*days))
	first, _ := Quarter(2026, 3).Bounds(hcm)
	batch := make([]ledger.Event, 0, 20_000)
	n := 0
	for d := 0; d < days && n < total; d++ {
		dayStart := first.AddDate(0, 0, d).Add(5 * time.Hour)
		for k := 0; k < perDay && n < total; k++ {
			for s := 0; s < benchStations && n < total; s++ {
				batch = append(batch, benchEvent(n, d, k, s, dayStart.Add(time.Duration(k)*(16*time.Hour)/time.Duration(perDay))))
				n++
				if len(batch) == cap(batch) {
					if _, err := l.Record(batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
		}
	}
	if _, err := l.Record(batch); err != nil {
		b.Fatal(err)
	}
}

func benchEvent(n, d, k, s int, planned time.Time) ledger.Event {
	item := (d*7 + s*13 + k%40) % 500
	dur := time.Duration(60+item%240) * time.Second
	e := ledger.Event{StationID: fmt.Sprintf("tdp-%03d", s), ID: fmt.Sprintf("01JDQ%021d", n),
		ItemID: fmt.Sprintf("%d-%d", planned.UnixMilli(), item), SegmentID: strconv.Itoa(item),
		Title: "Tuyên truyền cải cách hành chính số " + strconv.Itoa(item), Topic: fmt.Sprintf("topic-%02d", item%12),
		Level: "ordinary", Groups: []string{fmt.Sprintf("khu-%02d", s%12)}, Duration: dur, Planned: planned,
		Started: planned.Add(40 * time.Millisecond), Played: dur, Outcome: "completed"}
	switch n % 100 {
	case 3, 33, 66:
		e.Started = planned.Add(2 * time.Minute)
	case 5, 55:
		e.Outcome, e.Started, e.Played, e.Reason = "missed", time.Time{}, 0, "offline"
	case 7:
		e.Outcome, e.Started, e.Played, e.Reason = "failed", time.Time{}, 0, "decode error"
	}
	if n%500 == 250 {
		e.Level, e.CommandID, e.ItemID = "emergency", "cmd-1", ""
	}
	e.Ended, e.Received = e.Started.Add(e.Played), planned.Add(time.Minute)
	return e
}

// openBench opens the file as the server does and returns a report
// builder reading its ledger and its plan (the station list as a registry
// of benchStations would give it): from the plan summaries, or with
// decoded, by decoding every playlist as before the summaries.
func openBench(b *testing.B, path string, scan, decoded bool) (*Builder, *bbolt.DB) {
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	l, err := ledger.Open(db)
	if err != nil {
		b.Fatal(err)
	}
	pls, err := playlist.Open(db)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, benchStations)
	for s := range ids {
		ids[s] = fmt.Sprintf("tdp-%03d", s)
	}
	var plan Plan = PlaylistPlan{Store: pls, Stations: func() ([]string, error) { return ids, nil }}
	if decoded {
		plan = decodedPlan{pls, ids}
	}
	return &Builder{Ledger: l, Plan: plan, Scan: scan}, db
}

// evict drops the file from the page cache, so the next read is cold.
func evict(b *testing.B, path string) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkQuarterReport builds the Q3 report (with Q2 beside it, and
// compliance against the plan) from the rollups and the plan summaries,
// from the rollups with every playlist decoded (how the plan was read
// before the summaries) and from a raw scan of the same events, in the
// same run; "cold" reopens the file after evicting it from the page cache
// each time.
func BenchmarkQuarterReport(b *testing.B) {
	path, events := benchLedger(b)
	build := func(b *testing.B, rb *Builder) {
		r, err := rb.Build(Quarter(2026, 3), testDir)
		if err != nil {
			b.Fatal(err)
		}
		if got := r.Totals.Plays + r.Totals.Emergency + r.Totals.Missed + r.Totals.Failed; got != events {
			b.Fatalf("the report counts %d events, the ledger holds %d", got, events)
		}
		if want := benchStations * 92 * 30; r.Totals.Planned != want || r.PrevTotals.Planned != benchStations*91*30 {
			b.Fatalf("the report counts %d planned items (%d before), the plan holds %d", r.Totals.Planned, r.PrevTotals.Planned, want)
		}
	}
	for _, v := range []struct {
		name          string
		scan, decoded bool
	}{{"rollups", false, false}, {"rollups-decoded-plan", false, true}, {"scan", true, false}} {
		b.Run(v.name, func(b *testing.B) {
			rb, db := openBench(b, path, v.scan, v.decoded)
			defer db.Close()
			build(b, rb) // warm
			b.ResetTimer()
			cpu := cpuTime()
			for b.Loop() {
				build(b, rb)
			}
			b.ReportMetric(float64(events), "events")
			// CPU time is what a loaded, shared machine does not inflate.
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
	b.Run("rollups-cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			evict(b, path)
			b.StartTimer()
			rb, db := openBench(b, path, false, false)
			build(b, rb)
			db.Close()
		}
	})
}

// cpuTime is the CPU time this process has used (user + system).
func cpuTime() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
