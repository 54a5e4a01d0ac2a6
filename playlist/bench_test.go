package playlist

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"loa/playlist/library"
)

// The figure of issue 4: build and serialise 7 days for 10,000 stations
// with a 500-item library, beside only JSON-encoding the same playlists.
//
//	go test -run '^$' -bench 'Week10k' -benchtime 1x ./playlist/
//
// cpu_s is the CPU time of the timed part. Each sub-benchmark reports peak_rss_MB for the whole process so far, so
// run them one at a time (-bench 'Week10k/build') to read the peak of each.

const (
	benchStations = 10_000
	benchGroups   = 50
	benchLibrary  = 500
)

type benchFixture struct {
	b        *Builder
	stations []Station
	history  *PlayLog
	from     library.Date
	now      time.Time
}

var benchOnce = sync.OnceValue(func() *benchFixture {
	rng := rand.New(rand.NewPCG(10, 4))
	f := &benchFixture{from: "2026-11-30", now: time.Date(2026, 11, 29, 17, 15, 0, 0, time.UTC)}
	for i := range benchStations {
		f.stations = append(f.stations, Station{ID: fmt.Sprintf("st-%05d", i),
			Groups: []string{fmt.Sprintf("g-%02d", i%benchGroups)}, Zone: hcm})
	}
	var segs []library.Segment
	for id := uint64(1); id <= benchLibrary; id++ {
		s := seg(id, fmt.Sprintf("Thông báo số %d về cải cách hành chính", id), wardTopics[rng.IntN(len(wardTopics))],
			int64(30_000+rng.IntN(210_000)), library.Targets{All: true})
		switch r := rng.IntN(10); {
		case r < 5:
			s.Targets = library.Targets{Groups: []string{fmt.Sprintf("g-%02d", rng.IntN(benchGroups))}}
		case r < 7:
			s.Targets = library.Targets{Stations: []string{fmt.Sprintf("st-%05d", rng.IntN(benchStations))}}
		}
		if rng.IntN(20) == 0 {
			s.Level = library.LevelPriority
		}
		if rng.IntN(25) == 0 {
			s.Limits.MinPerDay = 1
		} else if rng.IntN(10) == 0 {
			s.Limits.MinPerWeek = 2
		}
		segs = append(segs, s)
	}
	// What aired last week: 60 plays per station, so every station's
	// rotation starts from its own tallies.
	var plays []Play
	for _, st := range f.stations {
		for range 60 {
			plays = append(plays, Play{Station: st.ID, Segment: uint64(1 + rng.IntN(benchLibrary)),
				At: f.now.Add(-time.Duration(1+rng.IntN(6*24)) * time.Hour)})
		}
	}
	f.history = NewPlayLog(plays)
	progs := wardProgrammes()
	progs[0].IntroID, progs[0].OutroID, progs[1].IntroID, progs[1].OutroID = 0, 0, 0, 0
	progs[3].Targets = library.Targets{Groups: []string{"g-01", "g-02", "g-03"}}
	progs[4].Targets = library.Targets{Groups: []string{"g-04"}}
	f.b = NewBuilder(DefaultConfig(), progs, segs)
	return f
})

// eachStation runs fn for every station on GOMAXPROCS workers.
func (f *benchFixture) eachStation(fn func(i int, st Station)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(f.stations); i = int(next.Add(1) - 1) {
				fn(i, f.stations[i])
			}
		})
	}
	wg.Wait()
}

func (f *benchFixture) build(st Station) []Playlist {
	pls, err := f.b.Build(Request{Station: st, From: f.from, Days: 7, Now: f.now, History: f.history})
	if err != nil {
		panic(err)
	}
	return pls
}

func BenchmarkWeek10k(b *testing.B) {
	f := benchOnce()
	b.Run("build+serialise", func(b *testing.B) {
		var items, bytes atomic.Int64
		cpu := cpuSeconds()
		for b.Loop() {
			items.Store(0)
			bytes.Store(0)
			f.eachStation(func(_ int, st Station) {
				var buf []byte
				for _, pl := range f.build(st) {
					pl.Version = 1
					buf = pl.AppendHashed(buf[:0]) // as the store writes a new version
					items.Add(int64(len(pl.Items)))
					bytes.Add(int64(len(buf)))
				}
			})
		}
		b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu_s")
		b.ReportMetric(float64(items.Load()), "items")
		b.ReportMetric(float64(bytes.Load())/1e6, "json_MB")
		b.ReportMetric(peakRSSMB(), "peak_rss_MB")
	})
	// The same playlists, built beforehand: encoding/json alone, and the
	// store's own writer alone.
	b.Run("encode-only", func(b *testing.B) {
		all := make([][]Playlist, len(f.stations))
		f.eachStation(func(i int, st Station) { all[i] = f.build(st) })
		b.ResetTimer()
		cpu := cpuSeconds()
		for b.Loop() {
			f.eachStation(func(i int, _ Station) {
				for _, pl := range all[i] {
					if _, err := json.Marshal(&pl); err != nil {
						panic(err)
					}
				}
			})
		}
		b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu_s")
		b.ReportMetric(peakRSSMB(), "peak_rss_MB")
		b.StopTimer()
		start, cpu := time.Now(), cpuSeconds()
		f.eachStation(func(i int, _ Station) {
			var buf []byte
			for _, pl := range all[i] {
				buf = pl.AppendJSON(buf[:0])
			}
		})
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "appendjson_ms")
		b.ReportMetric(cpuSeconds()-cpu, "appendjson_cpu_s")
	})
}

// cpuSeconds is the process's user and system CPU time so far: on a
// machine shared with other work it measures the cost better than the wall
// clock (the wall time on an idle 2-core box is about half of it).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func peakRSSMB() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// The writers alone, per item, on the ward's week (no GC pressure from a
// large live heap): what serialising costs once the playlists exist.
func BenchmarkWriters(b *testing.B) {
	bl := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	pls, err := bl.Build(Request{Station: wardStations()[0], From: "2026-11-30", Days: 7, Now: time.Date(2026, 11, 29, 17, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	items := 0
	for _, pl := range pls {
		items += len(pl.Items)
	}
	perItem := func(b *testing.B) { b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*items), "ns/item") }
	b.Run("AppendJSON", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			for i := range pls {
				buf = pls[i].AppendJSON(buf[:0])
			}
		}
		perItem(b)
	})
	b.Run("AppendHashed", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			for i := range pls {
				buf = pls[i].AppendHashed(buf[:0])
			}
		}
		perItem(b)
	})
	b.Run("ComputeHash", func(b *testing.B) {
		for b.Loop() {
			for i := range pls {
				pls[i].ComputeHash()
			}
		}
		perItem(b)
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			for i := range pls {
				if _, err := json.Marshal(&pls[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
		perItem(b)
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			bl.Build(Request{Station: wardStations()[0], From: "2026-11-30", Days: 7, Now: time.Date(2026, 11, 29, 17, 0, 0, 0, time.UTC)})
		}
		perItem(b)
	})
}
