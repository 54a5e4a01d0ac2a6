package web

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/internal/app"
	"loa/internal/apptest"
	"loa/internal/testclock"
	"loa/playlist"
	"loa/stations"
)

// scrape fetches /metrics with the given extra headers and session.
func scrape(t *testing.T, ts *testServer, session string, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/metrics", nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var sampleLine = regexp.MustCompile(`^[a-z_]+(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? [-+0-9.eE]+$`)

// checkExposition fails on any line Prometheus would not parse, and on a
// metric family declared twice.
func checkExposition(t *testing.T, body string) {
	t.Helper()
	types := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, _, _ = strings.Cut(name, " ")
			if types[name] {
				t.Errorf("family %s declared twice", name)
			}
			types[name] = true
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		if !sampleLine.MatchString(line) {
			t.Errorf("unparseable line %q", line)
		}
	}
}

// metricValue returns the value of the sample line that starts with
// series (name and labels exactly as printed).
func metricValue(t *testing.T, body, series string) float64 {
	t.Helper()
	for line := range strings.SplitSeq(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("no %s in\n%s", series, body)
	return 0
}

func TestMetricsShowStationsRequestsAndUploads(t *testing.T) {
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "An Phú"}, nil)
	token := ts.createStation(t, admin, "tdp-01")
	ts.createStation(t, admin, "tdp-02")
	ws, _, err := dialAgent(t, ts, token)
	if err != nil {
		t.Fatal(err)
	}
	readType(t, ws, "welcome")
	if resp := admin.upload("mp3/cbr128-stereo.mp3", map[string]string{"title": "Thông báo", "topic": "cchc-tthc"}, nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %s", resp.Status)
	}

	code, body := scrape(t, ts, "", nil)
	if code != http.StatusOK {
		t.Fatalf("scrape from loopback: %d %s", code, body)
	}
	checkExposition(t, body)
	want := map[string]float64{
		`loa_station_online{station="tdp-01"}`:                           1,
		`loa_station_online{station="tdp-02"}`:                           0,
		`loa_stations{state="online"}`:                                   1,
		`loa_stations{state="offline"}`:                                  1,
		`loa_agent_connections`:                                          1,
		`loa_http_requests_total{route="POST /api/stations",code="201"}`: 2,
		`loa_http_requests_total{route="GET /agent/v1/link",code="101"}`: 1,
		`loa_http_requests_total{route="POST /api/segments",code="201"}`: 1,
		`loa_ingest_duration_seconds_count`:                              1,
		`loa_ingest_duration_seconds_bucket{le="+Inf"}`:                  1,
		`loa_agent_send_queue_capacity_frames`:                           16,
	}
	for series, v := range want {
		if got := metricValue(t, body, series); got != v {
			t.Errorf("%s = %g, want %g", series, got, v)
		}
	}
	if metricValue(t, body, "loa_go_goroutines") < 1 || metricValue(t, body, "loa_data_free_bytes") <= 0 {
		t.Error("process or disk metrics missing")
	}
}

// Behind the reverse proxy every request comes from loopback: a forwarded
// scrape must sign in like any other remote client.
func TestMetricsThroughProxyNeedsViewer(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "xem", RoleViewer)
	fwd := map[string]string{"X-Forwarded-For": "203.0.113.9"}
	if code, _ := scrape(t, ts, "", fwd); code != http.StatusUnauthorized {
		t.Fatalf("forwarded anonymous scrape: %d, want 401", code)
	}
	session, err := ts.web.users.NewSession("xem", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if code, body := scrape(t, ts, session, fwd); code != http.StatusOK || !strings.Contains(body, "loa_http_requests_total") {
		t.Fatalf("viewer scrape: %d", code)
	}
}

// BenchmarkMetricsScrape1000Stations is the cost of one /metrics answer
// for a ward of 1,000 stations, half of them online.
func BenchmarkMetricsScrape1000Stations(b *testing.B) {
	url := benchWard(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := http.Get(url + "/metrics")
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		b.SetBytes(n)
	}
}

// benchWard serves a web server over n stations, every second one heard
// from a minute ago, and returns its URL.
func benchWard(b *testing.B, n int) string {
	w := newOpsWard(b, func(w *opsWard) {
		now := time.Now()
		var seen []stations.Presence
		for i := range n {
			id := "tdp-" + strconv.Itoa(i)
			w.addStation(b, id, true)
			if i%2 == 0 {
				seen = append(seen, stations.Presence{StationID: id, LastSeen: now.Add(-time.Minute)})
			}
		}
		if err := w.st.PutPresence(seen...); err != nil {
			b.Fatal(err)
		}
	})
	return w.url
}

// opsWard is a web server with the station link, the ledger and the
// playlist store wired, on a real bbolt file.
type opsWard struct {
	srv *Server
	url string
	st  *stations.Store
	led *ledger.Store
	pls *playlist.Store
	now time.Time // the server's clock; zero: the wall clock
}

// newOpsWard opens the parts, lets seed fill them (the hub reads the
// stored presence when it opens), then opens them again for the server.
func newOpsWard(tb testing.TB, seed func(*opsWard)) *opsWard {
	return newOpsWardAt(tb, time.Time{}, seed)
}

// newOpsWardAt is newOpsWard with the server's and the hub's clock stopped
// at now.
func newOpsWardAt(tb testing.TB, now time.Time, seed func(*opsWard)) *opsWard {
	w := &opsWard{now: now}
	cfg := apptest.Config(tb)
	if !now.IsZero() {
		cfg.Hub.Now = w.clock
	}
	if seed != nil {
		apptest.Prepare(tb, cfg, func(a *app.App) error {
			w.st, w.led, w.pls = a.Stations, a.Ledger, a.Playlists
			seed(w)
			return nil
		})
	}
	a := apptest.Open(tb, cfg)
	w.st, w.led, w.pls = a.Stations, a.Ledger, a.Playlists
	var err error
	if w.srv, err = New(Config{}, Deps{App: a}); err != nil {
		tb.Fatal(err)
	}
	w.srv.now = w.clock
	ts := httptest.NewServer(w.srv.Handler())
	tb.Cleanup(ts.Close)
	w.url = ts.URL
	return w
}

// clock is the ward's time: now, or the wall clock.
func (w *opsWard) clock() time.Time {
	if w.now.IsZero() {
		return time.Now()
	}
	return w.now
}

func (w *opsWard) addStation(tb testing.TB, id string, enabled bool) {
	tb.Helper()
	if _, _, err := w.st.Create(stations.Station{ID: id, Name: "Tổ " + id, Zone: stations.DefaultZone, Enabled: enabled}, w.clock()); err != nil {
		tb.Fatal(err)
	}
}

// /metrics counts the alerts by kind and each station's overdue items.
func TestMetricsCountOverdueItems(t *testing.T) {
	w := silentWard(t, testclock.Now(t))
	code, body := w.get(t, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("scrape: %d %s", code, body)
	}
	checkExposition(t, body)
	for series, want := range map[string]float64{
		`loa_station_items_overdue{station="tdp-quiet",online="true"}`: 1,
		`loa_station_items_overdue{station="tdp-away",online="false"}`: 1,
		`loa_alerts{kind="item_overdue"}`:                              1,
		`loa_alerts{kind="item_overdue_offline"}`:                      1,
		`loa_alerts{kind="command_not_playing"}`:                       0,
	} {
		if got := metricValue(t, body, series); got != want {
			t.Errorf("%s = %g, want %g", series, got, want)
		}
	}
	if strings.Contains(body, `loa_station_items_overdue{station="tdp-fine"`) {
		t.Error("the station that reported its item has overdue items")
	}
}
