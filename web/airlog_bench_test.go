package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"loa/internal/app"
	"loa/internal/apptest"
	"loa/stations"
)

// BenchmarkAiredLogPage times GET /airlog?date=2026-08-14&group=g50 — the
// aired-log page of a group of 50 of 300 stations for one day, rendered
// whole by the real server — on the ledger broadcast/report's benchmarks
// generate (300 stations through Q3 2026 with their plan; made there,
// named by LOA_BENCH_DB): "index" reads the group's events through the
// ledger's station index, "scan" as before it (every event of the day
// decoded, the group's kept), in the same run. The first run registers
// the 300 stations in the file. Without LOA_BENCH_DB it is skipped:
//
//	LOA_BENCH_EVENTS=10000000 LOA_BENCH_DB=/tmp/loa-report-10m.db \
//	  go test -run XXX -bench AiredLog -benchtime 1x ./broadcast/report   # makes the file
//	LOA_BENCH_DB=/tmp/loa-report-10m.db go test -run XXX -bench AiredLogPage -benchtime 10x ./web
func BenchmarkAiredLogPage(b *testing.B) {
	path := os.Getenv("LOA_BENCH_DB")
	if path == "" {
		b.Skip("LOA_BENCH_DB names the ledger broadcast/report's BenchmarkAiredLog makes")
	}
	cfg := apptest.Config(b)
	if err := os.Symlink(path, filepath.Join(cfg.Data, app.DBFile)); err != nil {
		b.Fatal(err)
	}
	a := apptest.Open(b, cfg)
	registerBenchStations(b, a.Stations)
	srv, err := New(Config{MaxUploadBytes: 2 << 20}, Deps{App: a})
	if err != nil {
		b.Fatal(err)
	}
	srv.perAddr = rateLimiter{rate: 1e6, burst: 1e6}
	srv.now = func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, hcmZone) }
	if _, err := srv.EnsureAdmin(testPassword); err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c := benchClient(b, hs.URL)
	page := hs.URL + "/airlog?date=2026-08-14&group=g50"
	for _, v := range []struct {
		name string
		scan bool
	}{{"index", false}, {"scan", true}} {
		b.Run(v.name, func(b *testing.B) {
			srv.report.Builder.Scan = v.scan
			var size int
			cpu := benchCPU()
			for b.Loop() {
				size = getPage(b, c, page)
			}
			b.ReportMetric(float64(size)/1e3, "kB")
			b.ReportMetric((benchCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op") // what a loaded machine does not inflate
		})
	}
	srv.report.Builder.Scan = false
}

// registerBenchStations registers tdp-000 … tdp-299, the first 50 in
// group g50, unless the file has them from an earlier run.
func registerBenchStations(b *testing.B, st *stations.Store) {
	if _, err := st.Group("g50"); err == nil {
		return
	}
	if err := st.CreateGroup(stations.Group{ID: "g50", Name: "Khu 50"}); err != nil {
		b.Fatal(err)
	}
	for s := range 300 {
		station := stations.New(fmt.Sprintf("tdp-%03d", s), fmt.Sprintf("Tổ dân phố %d", s+1))
		if s < 50 {
			station.Groups = []string{"g50"}
		}
		if _, _, err := st.Create(station, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// benchClient is an HTTP client signed in as the administrator.
func benchClient(b *testing.B, base string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"name": "admin", "password": testPassword})
	resp, err := c.Post(base+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("sign in: %s", resp.Status)
	}
	return c
}

// getPage fetches a page that must list rows and returns its size.
func getPage(b *testing.B, c *http.Client, url string) int {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="airlog"`) {
		b.Fatalf("%s: %s %v", url, resp.Status, err)
	}
	return len(body)
}

// benchCPU is the CPU time this process has used (user + system).
func benchCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
