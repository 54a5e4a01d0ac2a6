package report

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// BenchmarkAiredLog measures the aired log on the generated ledger
// (LOA_BENCH_EVENTS, LOA_BENCH_DB as BenchmarkQuarterReport):
//
//   - day-50-stations: one group of 50 of the 300 stations, one day of Q3
//     (every event of that day read, the group's kept), laid out as the
//     page's table and written as CSV — the work behind /airlog?group=…;
//
//   - quarter-xlsx-log: the whole ward's log of Q3 as the XLSX sheet
//     "Nhật ký phát sóng", beside quarter-xlsx-report, the current export
//     of the quarter's report, in the same run.
//
//     LOA_BENCH_EVENTS=1000000 LOA_BENCH_DB=/tmp/loa-report-1m.db \
//     go test -run XXX -bench AiredLog -benchtime 3x ./broadcast/report
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
	b.Run("day-50-stations", func(b *testing.B) {
		f := LogFilter{Period: Range("2026-08-14", "2026-08-14"), Group: "g50"}
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
	})
	b.Run("quarter-xlsx-log", func(b *testing.B) {
		var rows int
		var size countWriter
		cpu := cpuTime()
		for b.Loop() {
			log, err := rb.Log(now, LogFilter{Period: Quarter(2026, 3)}, dir)
			if err != nil {
				b.Fatal(err)
			}
			size = 0
			if err := WriteLogXLSX(&size, log, hcm); err != nil {
				b.Fatal(err)
			}
			rows = len(log.Rows)
		}
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(float64(size)/1e6, "MB")
		b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
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

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
