package report

import (
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"loa/broadcast/ledger"
)

// BenchmarkAiredLog measures the aired log on the generated ledger
// (LOA_BENCH_EVENTS, LOA_BENCH_DB as BenchmarkQuarterReport):
//
//   - day-50-stations: one group of 50 of the 300 stations, one day of Q3
//     (the group's events read through the ledger's station index),
//     laid out as the page's table and written as CSV — the work behind
//     /airlog?group=…; day-50-stations-scan, the same as before the index
//     (every event of the day decoded, the group's kept), in the same run;
//
//   - ledger-day-50-index and ledger-day-50-scan: the ledger's part of
//     those two alone;
//
//   - quarter-xlsx-log: the whole ward's log of Q3 as the XLSX sheet
//     "Nhật ký phát sóng", made a day at a time (StreamLog), beside
//     quarter-xlsx-log-held, the same with every row made first (Log, as
//     the export was before), and quarter-xlsx-report, the current export
//     of the quarter's report, in the same run; the first two report the
//     most the Go heap held (the held one is skipped above 2M events).
//
//     LOA_BENCH_EVENTS=10000000 LOA_BENCH_DB=/tmp/loa-report-10m.db \
//     go test -run XXX -bench 'AiredLog/(day|ledger)' -benchtime 10x ./broadcast/report
func BenchmarkAiredLog(b *testing.B) {
	path, events := benchLedger(b)
	rb, db := openBench(b, path, false, false)
	defer db.Close()
	dir := Directory{}
	for s := range benchStations {
		st := Station{ID: fmt.Sprintf("tdp-%03d", s), Name: fmt.Sprintf("Tổ dân phố %d", s+1)}
		if s < 50 {
			st.Groups = []string{"g50"}
		}
		dir.Stations = append(dir.Stations, st)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, hcm)
	scan := *rb
	scan.Scan = true // the reference: every event of the day decoded, the group's kept
	day := LogFilter{Period: Range("2026-08-14", "2026-08-14"), Group: "g50"}
	b.Run("day-50-stations", func(b *testing.B) { benchDayLog(b, rb, now, day, dir, events) })
	b.Run("day-50-stations-scan", func(b *testing.B) { benchDayLog(b, &scan, now, day, dir, events) })
	group := make([]string, 50)
	for s := range group {
		group[s] = dir.Stations[s].ID
	}
	lo, hi := day.Period.Bounds(hcm)
	b.Run("ledger-day-50-index", func(b *testing.B) {
		benchRead(b, func(fn func(ledger.Event) error) error { return rb.Ledger.StationsBetween(lo, hi, group, fn) })
	})
	b.Run("ledger-day-50-scan", func(b *testing.B) {
		benchRead(b, func(fn func(ledger.Event) error) error { return rb.Ledger.Between(lo, hi, fn) })
	})
	quarter := LogFilter{Period: Quarter(2026, 3)}
	b.Run("quarter-xlsx-log", func(b *testing.B) {
		benchQuarterXLSX(b, func() (*Log, error) { return rb.StreamLog(now, quarter, dir) })
	})
	b.Run("quarter-xlsx-log-held", func(b *testing.B) { // as before: every row made first
		if events > 2_000_000 {
			b.Skip("every row made first takes some 3 GB of heap a million events: run it at 1M")
		}
		benchQuarterXLSX(b, func() (*Log, error) { return rb.Log(now, quarter, dir) })
	})
	b.Run("quarter-xlsx-report", func(b *testing.B) {
		var size countWriter
		cpu := cpuTime()
		for b.Loop() {
			r, err := rb.BuildAt(now, Quarter(2026, 3), dir)
			if err != nil {
				b.Fatal(err)
			}
			size = 0
			if err := WriteXLSX(&size, r); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(size)/1e6, "MB")
		b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	})
}

// benchQuarterXLSX times the log build gives written as the XLSX sheet,
// and reports the most the Go heap held meanwhile (sampled every 10 ms:
// objects, garbage not yet collected included) and the largest live heap
// a collection found.
func benchQuarterXLSX(b *testing.B, build func() (*Log, error)) {
	var rows int
	var size countWriter
	cpu := cpuTime()
	peak, live := peakHeap(func() {
		for b.Loop() {
			log, err := build()
			if err != nil {
				b.Fatal(err)
			}
			size, rows = 0, 0
			counted := &Log{Filter: log.Filter, Now: log.Now, each: func(fn func(LogRow) error) error {
				return log.Each(func(r LogRow) error { rows++; return fn(r) })
			}}
			if err := WriteLogXLSX(&size, counted, hcm); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(live)/1e6, "peak-live-MB")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// peakHeap runs run and samples the Go heap every 10 ms meanwhile: the
// most it held in objects and the largest live heap a collection found.
func peakHeap(run func()) (peak, live uint64) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peak, live = max(peak, samples[0].Value.Uint64()), max(live, samples[1].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	run()
	close(stop)
	<-done
	return peak, live
}

// benchDayLog times the aired log of f as the page builds it, laid out as
// the page's table and written as CSV.
func benchDayLog(b *testing.B, rb *Builder, now time.Time, f LogFilter, dir Directory, events int) {
	var rows int
	cpu := cpuTime()
	for b.Loop() {
		log, err := rb.Log(now, f, dir)
		if err != nil {
			b.Fatal(err)
		}
		LogTable(log, "vi")
		if err := WriteLogCSV(io.Discard, log, hcm); err != nil {
			b.Fatal(err)
		}
		rows = len(log.Rows)
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(events), "events")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op") // what a loaded machine does not inflate
}

// benchRead times a ledger read alone and reports the events it decoded.
func benchRead(b *testing.B, read func(fn func(ledger.Event) error) error) {
	var n int
	cpu := cpuTime()
	for b.Loop() {
		n = 0
		if err := read(func(ledger.Event) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "decoded")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
