package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/hub"
	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/stations"
)

// Server is the measured side: a hub over a real bbolt file, plus the bare
// baseline, plus control endpoints.
type Server struct {
	db        *bbolt.DB
	stations  *stations.Store
	ledger    *ledger.Store
	playlists *playlists
	log       *slog.Logger
	bare      *bareHub

	mu      sync.Mutex
	hub     atomic.Pointer[hub.Hub]
	stopHub func()
	ids     []string
}

// NewServer opens a fresh bbolt file in dir.
func NewServer(dir string, log *slog.Logger) (*Server, error) {
	db, err := bbolt.Open(filepath.Join(dir, "bench.db"), 0o600, &bbolt.Options{NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("open bench db: %w", err)
	}
	s := &Server{db: db, log: log, playlists: &playlists{byStation: map[string]protocol.Playlist{}}, bare: newBareHub()}
	if s.stations, err = stations.Open(db); err != nil {
		return nil, err
	}
	if s.ledger, err = ledger.Open(db); err != nil {
		return nil, err
	}
	return s, s.startHub()
}

// Close stops the hub and closes the database.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.stopHub != nil {
		s.stopHub()
	}
	s.mu.Unlock()
	return s.db.Close()
}

// startHub starts a new hub, as a restarted server would.
func (s *Server) startHub() error {
	h, err := hub.New(hub.Config{}, s.stations, s.ledger, s.playlists, s.log)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	s.hub.Store(h)
	s.stopHub = func() { cancel(); <-done }
	return nil
}

// Handler serves the agent link, the bare baseline and the controls.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /agent/v1/link", func(w http.ResponseWriter, r *http.Request) { s.hub.Load().ServeHTTP(w, r) })
	mux.HandleFunc("GET /bare", s.bare.serve)
	mux.HandleFunc("POST /bench/setup", s.handleSetup)
	mux.HandleFunc("GET /bench/mem", s.handleMem)
	mux.HandleFunc("POST /bench/emergency", s.handleEmergency)
	mux.HandleFunc("POST /bench/bare-broadcast", s.handleBareBroadcast)
	mux.HandleFunc("POST /bench/restart", s.handleRestart)
	mux.HandleFunc("GET /bench/ledger", s.handleLedger)
	return mux
}

func reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(v)
}

// handleSetup creates n stations (in one group) with a one-day playlist each
// and returns their tokens. Setup runs without fsync; measurements do not.
func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	tokens, err := s.setup(n)
	reply(w, tokens, err)
}

func (s *Server) setup(n int) ([]string, error) {
	s.db.NoSync = true
	defer func() { s.db.NoSync = false }()
	if err := s.stations.PutGroup(stations.Group{ID: "bench", Name: "Nhóm thử tải"}); err != nil {
		return nil, err
	}
	now := time.Now()
	tokens := make([]string, n)
	for i := range n {
		st := stations.New(fmt.Sprintf("st-%05d", i), fmt.Sprintf("Trạm %d", i))
		st.Groups = []string{"bench"}
		_, tok, err := s.stations.Create(st, now)
		if err != nil {
			return nil, err
		}
		tokens[i] = tok
		s.ids = append(s.ids, st.ID)
		s.playlists.add(samplePlaylist(st.ID, now))
	}
	return tokens, nil
}

// Mem is the server process's memory after a full GC.
type Mem struct {
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Sys        uint64 `json:"sys"`
	RSS        uint64 `json:"rss"`
	Goroutines int    `json:"goroutines"`
	Connected  int    `json:"connected"`
	Bare       int    `json:"bare"`
	CPU        int64  `json:"cpu_ns"` // user+system CPU time of the server process so far
}

// Total is the Go memory the connections hold: heap and stacks in use.
func (m Mem) Total() uint64 { return m.HeapInuse + m.StackInuse }

func (s *Server) handleMem(w http.ResponseWriter, _ *http.Request) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	reply(w, Mem{
		HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse, Sys: ms.Sys - ms.HeapReleased, RSS: rss(),
		Goroutines: runtime.NumGoroutine(), Connected: s.hub.Load().ConnectedCount(), Bare: s.bare.count(),
		CPU: cpuTime(),
	}, nil)
}

// cpuTime is the process's user+system CPU time: what the server spent,
// whatever else the machine runs meanwhile.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// rss reads the resident set size from /proc (0 where there is none).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// Started is when the server began an action, in Unix ns (same host clock
// as the agents').
type Started struct {
	UnixNano int64 `json:"unix_nano"`
	Sent     int64 `json:"sent_ns,omitempty"` // how long the server took to hand the frame to every socket
}

func (s *Server) handleEmergency(w http.ResponseWriter, r *http.Request) {
	cmd := EmergencyCommand(r.URL.Query().Get("id"))
	t0 := time.Now()
	err := s.hub.Load().SendCommand(cmd, s.ids...)
	reply(w, Started{t0.UnixNano(), int64(time.Since(t0))}, err)
}

func (s *Server) handleBareBroadcast(w http.ResponseWriter, r *http.Request) {
	frame, err := protocol.Encode(protocol.TypeCommand, 1, EmergencyCommand(r.URL.Query().Get("id")))
	t0 := time.Now()
	s.bare.broadcast(frame)
	reply(w, Started{t0.UnixNano(), int64(time.Since(t0))}, err)
}

// handleRestart replaces the hub as a restart would: every agent is closed
// with "going away" and reconnects at once.
func (s *Server) handleRestart(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.stopHub
	err := s.startHub()
	t0 := time.Now()
	old()
	reply(w, Started{UnixNano: t0.UnixNano()}, err)
}

func (s *Server) handleLedger(w http.ResponseWriter, _ *http.Request) {
	size, err := s.ledger.Size()
	reply(w, size, err)
}

// EmergencyCommand is the frame both the hub and the bare baseline send.
func EmergencyCommand(id string) protocol.Command {
	item := protocol.Item{
		ID: "em-item-1", Title: "Cảnh báo bão số 9: người dân không ra khơi, gia cố nhà cửa", Topic: "phong-chong-thien-tai",
		Level: protocol.LevelEmergency, StartMs: time.Now().UnixMilli(), DurationMs: 90000,
		GainDB: -1.5, AudioSHA256: strings.Repeat("5e", 32), AudioSize: 1440000, Kind: protocol.KindAudio,
	}
	return protocol.Command{ID: id, Kind: protocol.CommandEmergencyPlay, Item: &item, Repeat: 2,
		ExpiresMs: time.Now().Add(10 * time.Minute).UnixMilli()}
}

// playlists serves one day per station.
type playlists struct {
	mu        sync.Mutex
	byStation map[string]protocol.Playlist
}

func (p *playlists) add(pl protocol.Playlist) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byStation[pl.Station] = pl
}

func (p *playlists) PlaylistsFor(id string, _ time.Time) ([]protocol.Playlist, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pl, ok := p.byStation[id]; ok {
		return []protocol.Playlist{pl}, nil
	}
	return nil, nil
}

// samplePlaylist is a day of 24 hourly items.
func samplePlaylist(station string, now time.Time) protocol.Playlist {
	zone, _ := time.LoadLocation(stations.DefaultZone)
	y, m, d := now.In(zone).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, zone)
	pl := protocol.Playlist{Station: station, Date: start.Format(time.DateOnly), Zone: stations.DefaultZone, Version: 1}
	for h := range 24 {
		pl.Items = append(pl.Items, protocol.Item{
			ID: fmt.Sprintf("it-%02d", h), SegmentID: "seg-1", Title: fmt.Sprintf("Bản tin cải cách hành chính số %d", h),
			Topic: "cchc", Level: protocol.LevelOrdinary, StartMs: start.Add(time.Duration(h) * time.Hour).UnixMilli(),
			DurationMs: 180000, GainDB: -2, AudioSHA256: strings.Repeat("ab", 32), AudioSize: 2880000, Kind: protocol.KindAudio,
		})
	}
	pl.Hash = pl.ComputeHash()
	return pl
}
