package alert

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// benchStations and benchItems are the ward the overdue check is measured
// on: 300 stations, each with a day of 48 planned items (one every half
// hour from 00:10), three quarters of them reported.
const (
	benchStations = 300
	benchItems    = 48
)

// benchWard stores that ward's day and returns the instant at its end
// (23:59:50 in the ward), when the whole day lies in the check's window.
func benchWard(b *testing.B) (*testWard, time.Time) {
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, ward.Zone())
	now := day.Add(24*time.Hour - 10*time.Second)
	w := newTestWard(b, func(w *testWard) {
		var pls []playlist.Playlist
		var events []ledger.Event
		var seen []stations.Presence
		for s := range benchStations {
			id := fmt.Sprintf("tdp-%03d", s)
			w.addStation(b, id, now)
			seen = append(seen, stations.Presence{StationID: id, LastSeen: now.Add(-10 * time.Second)})
			pl := playlist.Playlist{Station: id, Date: library.DateOf(day, ward.Zone()), Zone: stations.DefaultZone, BuiltAt: day.Add(-time.Hour)}
			for i := range benchItems {
				at := day.Add(10*time.Minute + time.Duration(i)*30*time.Minute)
				it := playlist.Item{ID: fmt.Sprintf("%d-%d", at.UnixMilli(), i+1), SegmentID: uint64(i + 1), Title: fmt.Sprintf("Bản tin %d", i+1),
					Topic: "cchc-tthc", Level: library.LevelOrdinary, Kind: "audio", StartMs: at.UnixMilli(), DurationMs: 180_000}
				pl.Items = append(pl.Items, it)
				if i%4 != 0 {
					events = append(events, ledger.Event{StationID: id, ID: "ev-" + it.ID, ItemID: it.ID, Title: it.Title, Topic: it.Topic,
						Level: "ordinary", Duration: 3 * time.Minute, Planned: at, Started: at, Ended: at.Add(3 * time.Minute),
						Played: 3 * time.Minute, Outcome: "completed", Received: at.Add(3 * time.Minute)})
				}
			}
			pls = append(pls, pl)
		}
		must(b, func() error { _, _, err := w.pls.SavePlaylists(pls); return err })
		must(b, func() error { _, err := w.led.Record(events); return err })
		must(b, func() error { return w.st.PutPresence(seen...) })
	})
	return w, now
}

// BenchmarkOverdue300StationsDay is one run of the overdue check at the
// end of a day for 300 stations × 48 items: the plan summaries and the
// ledger's events of the window read from bbolt, then compared.
// BenchmarkAlerts300StationsDay is every alert the job computes at that
// instant (the overdue check among them); BenchmarkOverdueCompare is the
// comparison alone, on data already in memory.
func BenchmarkOverdue300StationsDay(b *testing.B) {
	w, now := benchWard(b)
	c := w.checker(Config{})
	states, err := c.states(now)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		late, err := c.overdue(now, states)
		if err != nil || len(late) != benchStations || len(late["tdp-000"]) != benchItems/4 {
			b.Fatalf("%d stations overdue, %v", len(late), err)
		}
	}
}

func BenchmarkAlerts300StationsDay(b *testing.B) {
	w, now := benchWard(b)
	c := w.checker(Config{})
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if alerts, err := c.Alerts(now); err != nil || len(alerts) != benchStations {
			b.Fatalf("%d alerts, %v", len(alerts), err)
		}
	}
}

func BenchmarkOverdueCompare(b *testing.B) {
	now := time.Date(2026, 12, 7, 23, 59, 50, 0, ward.Zone())
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, ward.Zone())
	plan := make([]playlist.PlannedItem, benchItems)
	aired := map[string]bool{}
	for i := range plan {
		at := day.Add(10*time.Minute + time.Duration(i)*30*time.Minute)
		plan[i] = playlist.PlannedItem{ID: fmt.Sprintf("%d-%d", at.UnixMilli(), i+1), Title: "Bản tin", StartMs: at.UnixMilli(), DurationMs: 180_000}
		aired[plan[i].ID] = i%4 != 0
	}
	has := func(id string) bool { return aired[id] }
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		for range benchStations {
			if got := Overdue(now, time.Minute, plan, has, ""); len(got) != benchItems/4 {
				b.Fatalf("%d overdue", len(got))
			}
		}
	}
}

// reportCPU reports the process's CPU time (user and system) per op, a
// figure a machine shared with other work inflates less than wall time.
// Use it as defer reportCPU(b)() before the loop.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
