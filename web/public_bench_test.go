package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"loa/internal/app"
	"loa/internal/apptest"
	"loa/playlist/library"
)

// The public site under a crowd: 200 listeners at once on loopback, the
// page's time to first byte, and audio served in ranges beside a plain
// http.FileServer of the same file. Rerun:
//
//	go test ./web -run '^$' -bench 'Public|FileServer' -benchtime 10x
//
// All clients share one loopback address, so the public site's
// per-address limit is lifted for the run (a real crowd has many).

const crowd = 200

// publicBenchWard is a server with 30 public bulletins, each a 1 MB file
// (about four minutes at 32 kbps).
func publicBenchWard(b *testing.B) (*httptest.Server, *app.App, []library.Segment) {
	b.Helper()
	a := apptest.Open(b, apptest.Config(b))
	srv, err := New(Config{}, Deps{App: a})
	if err != nil {
		b.Fatal(err)
	}
	srv.public.limit = rateLimiter{rate: 1e9, burst: 1e9}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	var segs []library.Segment
	for i := range 30 {
		data := make([]byte, 1<<20)
		rand.Read(data)
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		tmp := filepath.Join(a.Blobs.TempDir(), sha)
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			b.Fatal(err)
		}
		if err := a.Blobs.Put(tmp, sha); err != nil {
			b.Fatal(err)
		}
		seg, err := a.Library.Create(library.Segment{Title: fmt.Sprintf("Bản tin cải cách hành chính số %d", i), Topic: "cchc-tthc",
			Level: library.LevelOrdinary, Targets: library.Targets{All: true},
			Audio: library.Audio{SHA256: sha, Format: "mp3", Size: int64(len(data)), DurationMS: 262_000}}, "bientap")
		if err != nil {
			b.Fatal(err)
		}
		for _, act := range []library.Action{library.ActionSubmit, library.ActionApprove} {
			if _, err := a.Library.Do(seg.ID, act, "lanhdao", ""); err != nil {
				b.Fatal(err)
			}
		}
		if seg, err = a.Library.SetPublic(seg.ID, true, "lanhdao"); err != nil {
			b.Fatal(err)
		}
		segs = append(segs, seg)
	}
	return ts, a, segs
}

// crowdClient keeps a connection for each of the crowd.
func crowdClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: crowd, MaxConnsPerHost: crowd}}
}

// firstBytes sends crowd requests at once, each made by req, and returns
// the times to the answer's headers, sorted, and the bytes read.
func firstBytes(b *testing.B, c *http.Client, req func(i int) *http.Request) ([]time.Duration, int64) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		ttfb  []time.Duration
		total int64
	)
	for i := range crowd {
		wg.Go(func() {
			start := time.Now()
			resp, err := c.Do(req(i))
			if err != nil {
				b.Error(err)
				return
			}
			first := time.Since(start)
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				b.Errorf("%s: %s", resp.Request.URL.Path, resp.Status)
			}
			mu.Lock()
			ttfb, total = append(ttfb, first), total+n
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(ttfb)
	return ttfb, total
}

func BenchmarkPublicPage200(b *testing.B) {
	ts, _, _ := publicBenchWard(b)
	pageCrowd(b, ts.URL+"/nghe-lai/")
}

// BenchmarkFileServerPage200 is the reference: the same page, rendered
// once, from a plain http.FileServer.
func BenchmarkFileServerPage200(b *testing.B) {
	ts, _, _ := publicBenchWard(b)
	resp, err := http.Get(ts.URL + "/nghe-lai/")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page, 0o644); err != nil {
		b.Fatal(err)
	}
	fs := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer fs.Close()
	pageCrowd(b, fs.URL+"/")
}

// pageCrowd has the crowd ask for url at once, and reports the times to
// first byte.
func pageCrowd(b *testing.B, url string) {
	c := crowdClient()
	var all []time.Duration
	for b.Loop() {
		ttfb, _ := firstBytes(b, c, func(int) *http.Request {
			r, _ := http.NewRequest("GET", url, nil)
			return r
		})
		all = append(all, ttfb...)
	}
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "ms-ttfb-p50")
	b.ReportMetric(float64(all[len(all)*95/100].Microseconds())/1000, "ms-ttfb-p95")
	b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "ms-ttfb-max")
}

// rangeCrowd fetches, for each of the crowd, one 256 KB range of one of
// the files at base+path(i), and reports the throughput.
func rangeCrowd(b *testing.B, url func(i int) string) {
	c := crowdClient()
	var bytes int64
	start := time.Now()
	for b.Loop() {
		_, n := firstBytes(b, c, func(i int) *http.Request {
			r, _ := http.NewRequest("GET", url(i), nil)
			off := (i % 4) << 18
			r.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+1<<18-1))
			return r
		})
		bytes += n
	}
	b.ReportMetric(float64(bytes)/time.Since(start).Seconds()/1e6, "MB/s")
}

func BenchmarkPublicAudioRange200(b *testing.B) {
	ts, _, segs := publicBenchWard(b)
	rangeCrowd(b, func(i int) string { return fmt.Sprintf("%s/nghe-lai/ban-tin/%d/audio", ts.URL, segs[i%len(segs)].ID) })
}

// BenchmarkFileServerRange200 is the reference: the same files from a
// plain http.FileServer.
func BenchmarkFileServerRange200(b *testing.B) {
	_, a, segs := publicBenchWard(b)
	root := filepath.Dir(filepath.Dir(a.Blobs.Path(segs[0].Audio.SHA256)))
	fs := httptest.NewServer(http.FileServer(http.Dir(root)))
	defer fs.Close()
	rangeCrowd(b, func(i int) string {
		rel, _ := filepath.Rel(root, a.Blobs.Path(segs[i%len(segs)].Audio.SHA256))
		return fs.URL + "/" + filepath.ToSlash(rel)
	})
}
