package web

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"loa/broadcast/alert"
	"loa/broadcast/ledger"
)

// GET /metrics: the Prometheus text exposition (format 0.0.4), written by
// hand. A client library would bring a dozen packages for what is, here, a
// few dozen lines of printing: the web layer counts only what it alone sees
// (requests, upload times, playlist versions published) and reads
// everything else from the domain packages at scrape time, so that no
// domain package carries instrumentation.

// metrics is what the web layer counts between scrapes.
type metrics struct {
	start time.Time

	mu        sync.Mutex
	requests  map[requestKey]uint64
	inFlight  map[string]int // by route: open page event streams and agent links stay in flight
	ingest    histogram
	published uint64 // playlist versions handed to the hub
}

type requestKey struct {
	route string
	code  int
}

func newMetrics(now time.Time) *metrics {
	return &metrics{start: now, requests: map[requestKey]uint64{}, inFlight: map[string]int{}, ingest: newHistogram(ingestBuckets)}
}

// ingestBuckets bound an upload's time from the last byte received to the
// answer (probe, loudness, conversion, storing), in seconds.
var ingestBuckets = []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

// ingestRoutes are the routes whose successful answers are ingest times.
var ingestRoutes = map[string]bool{"POST /api/segments": true, "POST /api/segments/tts": true}

// histogram is a cumulative Prometheus histogram.
type histogram struct {
	bounds []float64
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func newHistogram(bounds []float64) histogram {
	return histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i, _ := slices.BinarySearch(h.bounds, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

// CountPublished counts playlist versions the planner hands to the hub
// (cmd/loa wraps the planner's notify with it).
func (s *Server) CountPublished(n int) {
	s.met.mu.Lock()
	s.met.published += uint64(n)
	s.met.mu.Unlock()
}

// countRequests wraps a route's handler: its answers are counted by route
// pattern and status, and an upload's time goes into the ingest histogram.
func (s *Server) countRequests(pattern string, h http.Handler) http.Handler {
	ingest := ingestRoutes[pattern]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := s.met
		m.mu.Lock()
		m.inFlight[pattern]++
		m.mu.Unlock()
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		code := rec.code
		if code == 0 {
			code = http.StatusOK
		}
		took := time.Since(start).Seconds()
		m.mu.Lock()
		m.inFlight[pattern]--
		m.requests[requestKey{pattern, code}]++
		if ingest && code < 300 {
			m.ingest.observe(took)
		}
		m.mu.Unlock()
	})
}

// statusRecorder remembers the status a handler wrote. It passes flushes
// (live events) and hijacks (websockets, counted as 101) through.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) Flush() { http.NewResponseController(r.ResponseWriter).Flush() }

func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil && r.code == 0 {
		r.code = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

// metricsEndpoint answers a scrape. Anyone on the server's own machine may
// scrape (a request from loopback that no proxy forwarded); from elsewhere
// it takes a viewer's session or API token.
func (s *Server) metricsEndpoint(w http.ResponseWriter, r *http.Request) error {
	if !localRequest(r) {
		u, err := s.authenticate(r)
		if err != nil {
			return err
		}
		if !u.Role.Can(RoleViewer) {
			return errForbidden
		}
	}
	var b bytes.Buffer
	if err := s.writeMetrics(&b, s.now()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(b.Bytes())
	return err
}

// localRequest reports whether r comes from this machine directly: a
// reverse proxy on the same box forwards from loopback too, but it adds
// forwarding headers (deploy/nginx-loa.conf does).
func localRequest(r *http.Request) bool {
	if !remoteIP(r).IsLoopback() {
		return false
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

// writeMetrics writes every metric family once.
func (s *Server) writeMetrics(w io.Writer, now time.Time) error {
	e := &expo{w: bufio.NewWriter(w)}
	s.writeProcess(e, now)
	s.writeHTTP(e)
	if err := s.writeStations(e, now); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	if err := s.writeAired(e, now); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	if err := s.writeAlerts(e, now); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	s.writeDisk(e)
	return e.w.Flush()
}

func (s *Server) writeProcess(e *expo, now time.Time) {
	e.family("loa_build_info", "gauge", "Build of the running server.")
	e.sample("loa_build_info", 1, "go_version", runtime.Version())
	e.family("loa_process_start_time_seconds", "gauge", "When the server started, Unix seconds.")
	e.sample("loa_process_start_time_seconds", float64(s.met.start.Unix()))
	samples := []rtmetrics.Sample{
		{Name: "/sched/goroutines:goroutines"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/cycles/total:gc-cycles"},
	}
	rtmetrics.Read(samples)
	value := func(i int) float64 {
		if samples[i].Value.Kind() == rtmetrics.KindUint64 {
			return float64(samples[i].Value.Uint64())
		}
		return 0
	}
	e.gauge("loa_go_goroutines", "Goroutines now.", value(0))
	e.gauge("loa_go_memory_bytes", "Memory mapped by the Go runtime.", value(1))
	e.gauge("loa_go_heap_objects_bytes", "Memory held by live and not yet swept heap objects.", value(2))
	e.family("loa_go_gc_cycles_total", "counter", "Completed garbage collections.")
	e.sample("loa_go_gc_cycles_total", value(3))
}

func (s *Server) writeHTTP(e *expo) {
	m := s.met
	m.mu.Lock()
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	counts := make([]uint64, len(keys))
	slices.SortFunc(keys, func(a, b requestKey) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		return a.code - b.code
	})
	for i, k := range keys {
		counts[i] = m.requests[k]
	}
	routes := slices.Sorted(maps.Keys(m.inFlight))
	open := make([]int, len(routes))
	for i, r := range routes {
		open[i] = m.inFlight[r]
	}
	ingest := m.ingest
	ingest.counts = slices.Clone(ingest.counts)
	published := m.published
	m.mu.Unlock()
	if s.app != nil {
		published += s.app.Published() // the planner counts them where it publishes
	}

	e.family("loa_http_requests_total", "counter", "HTTP answers by route pattern and status.")
	for i, k := range keys {
		e.sample("loa_http_requests_total", float64(counts[i]), "route", k.route, "code", strconv.Itoa(k.code))
	}
	e.family("loa_http_in_flight_requests", "gauge", "Requests being answered by route pattern: open live-update streams of the pages (GET /api/live) and agent links among them.")
	for i, r := range routes {
		e.sample("loa_http_in_flight_requests", float64(open[i]), "route", r)
	}
	e.histogram("loa_ingest_duration_seconds", "Time to take in one upload or synthesised text: probe, loudness, conversion, storing.", ingest)
	e.family("loa_playlist_versions_published_total", "counter", "New playlist versions the planner handed to the agent hub (one per station rebuilt).")
	e.sample("loa_playlist_versions_published_total", float64(published))
}

// writeStations reads the registry and the hub: how many stations are
// online, each station's state, and the hub's connections and queues.
func (s *Server) writeStations(e *expo, now time.Time) error {
	l := s.link
	all, err := l.Stations.Stations()
	if err != nil {
		return err
	}
	var online, offline, disabled int
	e.family("loa_station_online", "gauge", "1 if the station was heard from within the grace period.")
	for _, st := range all {
		on := l.Hub.Online(st.ID)
		switch {
		case !st.Enabled:
			disabled++
		case on:
			online++
		default:
			offline++
		}
		e.sample("loa_station_online", b2f(on), "station", st.ID)
	}
	e.family("loa_station_last_seen_timestamp_seconds", "gauge", "When the station was last heard from, Unix seconds (absent: never).")
	for _, st := range all {
		if p := l.Hub.Presence(st.ID); !p.LastSeen.IsZero() {
			e.sample("loa_station_last_seen_timestamp_seconds", float64(p.LastSeen.Unix()), "station", st.ID)
		}
	}
	e.family("loa_stations", "gauge", "Stations by state.")
	e.sample("loa_stations", float64(online), "state", "online")
	e.sample("loa_stations", float64(offline), "state", "offline")
	e.sample("loa_stations", float64(disabled), "state", "disabled")
	hs := l.Hub.Stats()
	e.gauge("loa_agent_connections", "Live agent websocket connections.", float64(hs.Connections))
	e.gauge("loa_agent_send_queue_frames", "Frames waiting in all agent send queues.", float64(hs.QueuedFrames))
	e.gauge("loa_agent_send_queue_max_frames", "The longest agent send queue.", float64(hs.MaxQueueDepth))
	e.gauge("loa_agent_send_queue_capacity_frames", "Frames an agent connection may queue before it is dropped.", float64(hs.QueueCapacity))
	return nil
}

// writeAired counts today's aired events (the ward's day) by status, from
// the ledger's rollups.
func (s *Server) writeAired(e *expo, now time.Time) error {
	counts, err := alert.TodayCounts(s.report.Builder.Ledger, now)
	if err != nil {
		return err
	}
	e.family("loa_items_today", "gauge", "Items reported by the stations for the ward's current day, by outcome.")
	for st := range ledger.Status(ledger.NumStatuses) {
		var n int
		for _, c := range counts {
			n += c[st]
		}
		e.sample("loa_items_today", float64(n), "status", st.String())
	}
	return nil
}

// alertKinds are every alert kind, so that a kind that does not hold
// reads 0 rather than missing.
var alertKinds = []string{alert.KindStationOffline, alert.KindOutputSilent, alert.KindPlaylistPending, alert.KindDiskLow,
	alert.KindMissedItems, alert.KindOverdue, alert.KindOverdueOffline, alert.KindOffPlan, alert.KindNotPlaying}

// writeAlerts counts the alerts that hold by kind, and each station's
// overdue items (the silence the server sees in its plan and the ledger).
func (s *Server) writeAlerts(e *expo, now time.Time) error {
	alerts, err := s.Alerts(now)
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, a := range alerts {
		count[a.Kind]++
	}
	e.family("loa_alerts", "gauge", "Alerts that hold now, by kind (as GET /api/alerts lists them).")
	for _, k := range alertKinds {
		e.sample("loa_alerts", float64(count[k]), "kind", k)
	}
	e.family("loa_station_items_overdue", "gauge", "Planned items whose time and grace have passed with nothing reported, by station and whether it is online.")
	for _, a := range alerts {
		switch a.Kind {
		case alert.KindOverdue:
			e.sample("loa_station_items_overdue", float64(a.Count), "station", a.Station, "online", "true")
		case alert.KindOverdueOffline:
			e.sample("loa_station_items_overdue", float64(a.Count), "station", a.Station, "online", "false")
		}
	}
	return nil
}

func (s *Server) writeDisk(e *expo) {
	if free, err := alert.FreeBytes(s.blobs.TempDir()); err == nil {
		e.gauge("loa_data_free_bytes", "Free space for the data directory's file system.", float64(free))
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// expo prints the text exposition format.
type expo struct{ w *bufio.Writer }

func (e *expo) family(name, typ, help string) {
	fmt.Fprintf(e.w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

func (e *expo) gauge(name, help string, v float64) {
	e.family(name, "gauge", help)
	e.sample(name, v)
}

// sample writes one line; labels are name, value pairs.
func (e *expo) sample(name string, v float64, labels ...string) {
	e.w.WriteString(name)
	if len(labels) > 0 {
		e.w.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				e.w.WriteByte(',')
			}
			e.w.WriteString(labels[i])
			e.w.WriteString(`="`)
			e.w.WriteString(labelEscaper.Replace(labels[i+1]))
			e.w.WriteByte('"')
		}
		e.w.WriteByte('}')
	}
	e.w.WriteByte(' ')
	e.w.Write(strconv.AppendFloat(nil, v, 'g', -1, 64))
	e.w.WriteByte('\n')
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func (e *expo) histogram(name, help string, h histogram) {
	e.family(name, "histogram", help)
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i]
		e.sample(name+"_bucket", float64(cum), "le", strconv.FormatFloat(b, 'g', -1, 64))
	}
	e.sample(name+"_bucket", float64(h.n), "le", "+Inf")
	e.sample(name+"_sum", h.sum)
	e.sample(name+"_count", float64(h.n))
}
