// Package faults_test proves that the agent link loses nothing under
// network faults: hundreds of real agents (each with its own bbolt journal)
// talk to a real hub, ledger and stations store through a loopback proxy
// that refuses, delays, stalls and cuts connections at random, while the
// server keeps changing schedules. Afterwards every aired event is in the
// ledger exactly once and every station holds the server's latest
// playlists. It holds tests only.
package faults_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio/playback"
	"loa/broadcast/agent"
	"loa/broadcast/hub"
	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/stations"
)

// clip is the audio every item plays: one second of a short WAV.
const (
	clipPath = "../../testdata/audio/wav/pcm16-mono-22k.wav"
	clipMs   = 1000
)

// faultConfig is the run's size; the environment makes it longer.
type faultConfig struct {
	agents   int
	faults   time.Duration // how long the proxy misbehaves
	gap      time.Duration // between items of one station
	seed     uint64
	changeEv time.Duration // how often some schedules change
}

func configFromEnv(t *testing.T) faultConfig {
	cfg := faultConfig{agents: 200, faults: 75 * time.Second, gap: 4 * time.Second,
		seed: uint64(time.Now().UnixNano()), changeEv: 15 * time.Second}
	if v := os.Getenv("LOA_FAULT_MINUTES"); v != "" {
		m, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("LOA_FAULT_MINUTES: %v", err)
		}
		cfg.faults = time.Duration(m * float64(time.Minute))
	}
	if v := os.Getenv("LOA_FAULT_AGENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("LOA_FAULT_AGENTS: %v", err)
		}
		cfg.agents = n
	}
	if v := os.Getenv("LOA_FAULT_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("LOA_FAULT_SEED: %v", err)
		}
		cfg.seed = s
	}
	return cfg
}

// ward is the server side: hub, stations and ledger over one bbolt file,
// with playlists the test writes.
type ward struct {
	db     *bbolt.DB
	st     *stations.Store
	ledger *ledger.Store
	hub    *hub.Hub
	srv    *httptest.Server
	zone   *time.Location
	audio  []byte
	sum    string

	mu     sync.Mutex
	latest map[string]map[string]protocol.Playlist // station → date → latest version
	ever   map[string]map[string]bool              // station → every item id ever published
}

func newWard(t *testing.T) *ward {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &ward{db: db, latest: map[string]map[string]protocol.Playlist{}, ever: map[string]map[string]bool{}}
	if w.zone, err = time.LoadLocation(stations.DefaultZone); err != nil {
		t.Fatal(err)
	}
	if w.audio, err = os.ReadFile(clipPath); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(w.audio)
	w.sum = hex.EncodeToString(sum[:])
	if w.st, err = stations.Open(db); err != nil {
		t.Fatal(err)
	}
	if w.ledger, err = ledger.Open(db); err != nil {
		t.Fatal(err)
	}
	cfg := hub.Config{PingInterval: 2 * time.Second, ReadTimeout: 6 * time.Second, WriteTimeout: 3 * time.Second,
		HelloTimeout: 5 * time.Second, StatusInterval: 5 * time.Second}
	if w.hub, err = hub.New(cfg, w.st, w.ledger, w, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+agent.LinkPath, w.hub)
	mux.Handle("GET "+agent.AudioPath+"{sha256}", w.hub.AudioHandler(w.open))
	w.srv = httptest.NewServer(mux)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.hub.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; w.srv.Close(); db.Close() })
	return w
}

// PlaylistsFor implements hub.Playlists: every day's latest version.
func (w *ward) PlaylistsFor(id string, _ time.Time) ([]protocol.Playlist, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []protocol.Playlist
	for _, p := range w.latest[id] {
		out = append(out, p)
	}
	return out, nil
}

func (w *ward) open(sum string) (io.ReadSeekCloser, time.Time, error) {
	if sum != w.sum {
		return nil, time.Time{}, os.ErrNotExist
	}
	f, err := os.Open(clipPath)
	return f, time.Time{}, err
}

// addStations creates n stations and returns their tokens by id.
func (w *ward) addStations(t *testing.T, n int) map[string]string {
	t.Helper()
	w.db.NoSync = true // setup only; the run itself syncs every commit
	defer func() { w.db.NoSync = false }()
	tokens := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("tdp-%03d", i)
		if _, tok, err := w.st.Create(stations.New(id, fmt.Sprintf("Tổ dân phố %d", i)), time.Now()); err != nil {
			t.Fatal(err)
		} else {
			tokens[id] = tok
		}
	}
	return tokens
}

// item is one short announcement at start.
func (w *ward) item(id string, start time.Time) protocol.Item {
	return protocol.Item{ID: id, SegmentID: "seg-" + id, Title: "Thông báo cải cách hành chính " + id, Topic: "cchc",
		Level: protocol.LevelOrdinary, StartMs: start.UnixMilli(), DurationMs: clipMs, AudioSHA256: w.sum,
		AudioSize: int64(len(w.audio)), Kind: protocol.KindAudio}
}

// publish stores items as the station's next versions (one playlist per
// local day) and tells the hub.
func (w *ward) publish(station string, items []protocol.Item) {
	byDate := map[string][]protocol.Item{}
	for _, it := range items {
		d := time.UnixMilli(it.StartMs).In(w.zone).Format(time.DateOnly)
		byDate[d] = append(byDate[d], it)
	}
	w.mu.Lock()
	if w.latest[station] == nil {
		w.latest[station], w.ever[station] = map[string]protocol.Playlist{}, map[string]bool{}
	}
	for d, its := range byDate {
		p := protocol.Playlist{Station: station, Date: d, Zone: stations.DefaultZone,
			Version: w.latest[station][d].Version + 1, Items: its}
		p.Hash = p.ComputeHash()
		w.latest[station][d] = p
		for _, it := range its {
			w.ever[station][it.ID] = true
		}
	}
	w.mu.Unlock()
	w.hub.Publish(station)
}

// items returns a station's latest items, in order of start.
func (w *ward) items(station string) []protocol.Item {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []protocol.Item
	for _, p := range w.latest[station] {
		out = append(out, p.Items...)
	}
	slices.SortFunc(out, func(a, b protocol.Item) int { return cmp.Compare(a.StartMs, b.StartMs) })
	return out
}

// station is one running agent with its own bbolt journal.
type station struct {
	id    string
	db    *bbolt.DB
	store *agent.Store
	stop  func() error
}

func startAgent(t *testing.T, server, id, token string) *station {
	t.Helper()
	dir := filepath.Join(t.TempDir(), id)
	db, err := bbolt.Open(filepath.Join(dir+".db"), 0o600, &bbolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st, err := agent.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := agent.NewCache(filepath.Join(dir, "audio"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	a, err := agent.New(agent.Config{Server: server, Token: token, DataDir: dir, Version: "faults",
		BackoffMin: 100 * time.Millisecond, BackoffMax: 2 * time.Second, FetchInterval: 2 * time.Second,
		HTTPClient: &http.Client{Timeout: 20 * time.Second}, Log: log},
		st, cache, func() (playback.Output, error) { return playback.Open("null", 0, log) })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	s := &station{id: id, db: db, store: st}
	var once sync.Once
	var runErr error
	s.stop = func() error {
		once.Do(func() { cancel(); runErr = <-done; db.Close() })
		return runErr
	}
	t.Cleanup(func() { s.stop() })
	return s
}

// TestAgentsLoseNothingUnderFaults runs the agents through the faulty
// proxy with a dense schedule (an item every few seconds per station, some
// schedules changed every few seconds), then heals the network and checks
// the ledger and every station's playlists. LOA_FAULT_MINUTES,
// LOA_FAULT_AGENTS and LOA_FAULT_SEED run other sizes (docs/reliability.md).
func TestAgentsLoseNothingUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hundreds of agents for minutes")
	}
	cfg := configFromEnv(t)
	t.Logf("seed %d, %d agents, %v of faults", cfg.seed, cfg.agents, cfg.faults)
	w := newWard(t)
	tokens := w.addStations(t, cfg.agents)
	p, err := newFaultProxy(w.srv.Listener.Addr().String(), cfg.seed)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()

	start := time.Now()
	t0 := start.Add(10 * time.Second).Truncate(time.Second) // time to connect and fetch the audio
	end := start.Add(cfg.faults)
	ids := slices.Sorted(maps.Keys(tokens))
	for i, id := range ids {
		off := time.Duration(i%40) * cfg.gap / 40 // stations do not all start an item on the same millisecond
		var its []protocol.Item
		for k := 0; ; k++ {
			at := t0.Add(off + time.Duration(k)*cfg.gap)
			if !at.Before(end) {
				break
			}
			its = append(its, w.item(fmt.Sprintf("%s-%d-v1", id, k), at))
		}
		w.publish(id, its)
	}
	var agents []*station
	for _, id := range ids {
		agents = append(agents, startAgent(t, "http://"+p.addr(), id, tokens[id]))
	}

	changes := w.changeSchedules(ids, end, cfg)
	p.faulty.Store(false)
	t.Logf("faults over after %v; waiting for the stations to catch up", time.Since(start).Round(time.Second))
	lastItem := end.Add(clipMs * time.Millisecond)
	var why string
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(2 * time.Second) {
		if why = w.behind(agents, lastItem); why == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no convergence within 3 minutes after the faults: %s", why)
		}
	}
	for _, a := range agents {
		if err := a.stop(); err != nil {
			t.Errorf("agent %s: %v", a.id, err)
		}
	}
	res := w.check(t, ids, t0.Add(-time.Hour), end.Add(time.Hour))
	t.Logf("agents=%d fault_minutes=%.1f seed=%d connections=%d refused=%d delayed=%d stalled=%d cut=%d schedule_changes=%d "+
		"events_checked=%d lost=%d duplicates=%d outcomes=%v",
		cfg.agents, cfg.faults.Minutes(), cfg.seed, p.conns.Load(), p.drops.Load(), p.delays.Load(), p.stalls.Load(),
		p.cuts.Load(), changes, res.checked, res.lost, res.dups, res.outcomes)
	if res.checked < cfg.agents*int(cfg.faults/cfg.gap)/2 {
		t.Errorf("only %d events checked: the schedule was not dense enough to prove anything", res.checked)
	}
	if p.drops.Load() == 0 || p.cuts.Load() == 0 || p.delays.Load() == 0 || p.stalls.Load() == 0 {
		t.Errorf("a kind of fault was never injected: refused=%d delayed=%d stalled=%d cut=%d",
			p.drops.Load(), p.delays.Load(), p.stalls.Load(), p.cuts.Load())
	}
}

// changeSchedules republishes a third of the stations every cfg.changeEv
// until end: their items more than 5 s ahead get new ids (a new version).
// It returns how many playlists changed.
func (w *ward) changeSchedules(ids []string, end time.Time, cfg faultConfig) int {
	rng := rand.New(rand.NewPCG(cfg.seed, 1))
	n := 0
	for round := 2; ; round++ {
		next := time.Now().Add(cfg.changeEv)
		if next.After(end) {
			time.Sleep(time.Until(end))
			return n
		}
		time.Sleep(cfg.changeEv)
		horizon := time.Now().Add(5 * time.Second).UnixMilli()
		for _, id := range ids {
			if rng.IntN(3) != 0 {
				continue
			}
			its := w.items(id)
			for i := range its {
				if its[i].StartMs > horizon {
					base := its[i].ID[:strings.LastIndex(its[i].ID, "-v")]
					its[i] = w.item(fmt.Sprintf("%s-v%d", base, round), time.UnixMilli(its[i].StartMs))
				}
			}
			w.publish(id, its)
			n++
		}
	}
}

// behind says what is still missing: an unacked event, a station without
// the latest playlists, or an item past its end with no event. "" when
// nothing is.
func (w *ward) behind(agents []*station, lastItem time.Time) string {
	if time.Now().Before(lastItem.Add(2 * time.Second)) {
		return "items still to air"
	}
	for _, a := range agents {
		if n := a.store.JournalLen(); n > 0 {
			return fmt.Sprintf("%s has %d unacked events", a.id, n)
		}
		w.mu.Lock()
		latest := maps.Clone(w.latest[a.id])
		w.mu.Unlock()
		for d, p := range latest {
			held, err := a.store.Playlist(d)
			if err != nil || held.Hash != p.Hash {
				return fmt.Sprintf("%s holds %s version %d, not %d", a.id, d, held.Version, p.Version)
			}
		}
	}
	n, _ := w.ledger.Count()
	want := 0
	for _, a := range agents {
		want += len(w.items(a.id))
	}
	if n < want {
		return fmt.Sprintf("%d events in the ledger, want at least %d", n, want)
	}
	return ""
}

// result is what the final check found.
type result struct {
	checked, lost, dups int
	outcomes            map[string]int
}

// check reads the ledger: every latest item has exactly one event, and
// every other event is of an item once published (aired before its
// replacement reached the station), once.
func (w *ward) check(t *testing.T, ids []string, from, to time.Time) result {
	t.Helper()
	type ref struct{ station, item string }
	seen := map[ref]int{}
	res := result{outcomes: map[string]int{}}
	err := w.ledger.Between(from, to, func(e ledger.Event) error {
		seen[ref{e.StationID, e.ItemID}]++
		if e.Reason != "" {
			res.outcomes[e.Outcome+"/"+e.Reason]++
		} else {
			res.outcomes[e.Outcome]++
		}
		res.checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		for _, it := range w.items(id) {
			if seen[ref{id, it.ID}] == 0 {
				res.lost++
				if res.lost <= 10 {
					t.Errorf("station %s: item %s (at %s) has no event in the ledger", id, it.ID,
						time.UnixMilli(it.StartMs).Format(time.TimeOnly))
				}
			}
		}
	}
	for r, n := range seen {
		if n > 1 {
			res.dups += n - 1
			t.Errorf("station %s: item %s has %d events", r.station, r.item, n)
		}
		if !w.ever[r.station][r.item] {
			t.Errorf("station %s: event for item %s that was never published", r.station, r.item)
		}
	}
	return res
}
