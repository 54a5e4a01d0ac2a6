// Package agenttest runs a real ward-server side for the agent's end-to-end
// tests: the hub of the composition root (internal/apptest, a real bbolt
// file in a temporary directory) on an httptest server, playlists the test
// sets, and audio served from testdata by sha256. It is for tests only; the agent binary
// never imports it. It lives beside the hub it stands up, so that the
// agent's folder holds nothing that imports server packages.
package agenttest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"loa/broadcast/hub"
	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/apptest"
	"loa/stations"
)

// Server is the ward server as the agent sees it.
type Server struct {
	URL     string
	Station string
	Token   string
	Hub     *hub.Hub
	Ledger  *ledger.Store

	mu     sync.Mutex
	pls    []protocol.Playlist
	audio  map[string]string // sha256 → file
	online bool
	links  []net.Conn
	mux    *http.ServeMux
	srv    *httptest.Server
}

// NewServer starts a server with one station, "tdp-05".
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{Station: "tdp-05", audio: map[string]string{}, online: true}
	cfg := apptest.Config(t)
	cfg.Hub = hub.Config{PingInterval: time.Second, StatusInterval: time.Second}
	cfg.Playlists = s
	a := apptest.Open(t, cfg) // the hub runs until the test ends
	s.Hub, s.Ledger = a.Hub, a.Ledger
	st, h := a.Stations, a.Hub
	var err error
	if _, s.Token, err = st.Create(stations.New(s.Station, "Tổ dân phố 5"), time.Now()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /agent/v1/link", h)
	mux.Handle("GET /agent/v1/audio/{sha256}", h.AudioHandler(s.open))
	s.mux = mux
	s.srv = httptest.NewUnstartedServer(s.gate(mux))
	s.srv.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateHijacked { // a websocket: remembered so that SetOnline(false) can cut it
			s.mu.Lock()
			s.links = append(s.links, c)
			s.mu.Unlock()
		}
	}
	s.srv.Start()
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Handle serves more of the server's routes (a live broadcast's stream).
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// gate answers 503 while the server is "offline".
func (s *Server) gate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		on := s.online
		s.mu.Unlock()
		if !on {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// SetOnline takes the server off the network (closing live links) or back.
func (s *Server) SetOnline(on bool) {
	s.mu.Lock()
	s.online = on
	links := s.links
	if !on {
		s.links = nil
	}
	s.mu.Unlock()
	if !on {
		s.srv.CloseClientConnections()
		for _, c := range links {
			c.Close()
		}
	}
}

// PlaylistsFor implements hub.Playlists.
func (s *Server) PlaylistsFor(string, time.Time) ([]protocol.Playlist, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]protocol.Playlist(nil), s.pls...), nil
}

func (s *Server) open(sum string) (io.ReadSeekCloser, time.Time, error) {
	s.mu.Lock()
	path, ok := s.audio[sum]
	s.mu.Unlock()
	if !ok {
		return nil, time.Time{}, fmt.Errorf("audio %s: %w", sum, fs.ErrNotExist)
	}
	f, err := os.Open(path)
	return f, time.Now(), err
}

// Clip is an audio file of the corpus with the length it is played for.
type Clip struct {
	Path     string
	Duration time.Duration
}

// Item makes a playlist item playing clip at start, and serves its audio.
func (s *Server) Item(t testing.TB, id string, clip Clip, start time.Time) protocol.Item {
	t.Helper()
	b, err := os.ReadFile(clip.Path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	hexSum := hex.EncodeToString(sum[:])
	s.mu.Lock()
	s.audio[hexSum] = clip.Path
	s.mu.Unlock()
	return protocol.Item{
		ID: id, SegmentID: "seg-" + id, Title: "Thông báo " + id, Topic: "cchc", Level: protocol.LevelOrdinary,
		StartMs: start.UnixMilli(), DurationMs: clip.Duration.Milliseconds(), GainDB: -1,
		AudioSHA256: hexSum, AudioSize: int64(len(b)), Kind: protocol.KindAudio,
	}
}

// SetDay publishes a playlist with items for the local date of its first item.
func (s *Server) SetDay(t testing.TB, version uint64, items ...protocol.Item) {
	t.Helper()
	loc, _ := time.LoadLocation(stations.DefaultZone)
	p := protocol.Playlist{Station: s.Station, Zone: stations.DefaultZone, Version: version, Items: items,
		Date: time.UnixMilli(items[0].StartMs).In(loc).Format(time.DateOnly)}
	p.Hash = p.ComputeHash()
	s.mu.Lock()
	s.pls = []protocol.Playlist{p}
	s.mu.Unlock()
	s.Hub.Publish(s.Station)
}

// Events returns every aired event stored, by planned start.
func (s *Server) Events(t testing.TB) []ledger.Event {
	t.Helper()
	var out []ledger.Event
	err := s.Ledger.Between(time.Now().Add(-48*time.Hour), time.Now().Add(48*time.Hour), func(e ledger.Event) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// WaitEvents waits until at least n events are stored (or fails after limit).
func (s *Server) WaitEvents(t testing.TB, n int, limit time.Duration) []ledger.Event {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ev := s.Events(t)
		if len(ev) >= n {
			return ev
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d aired events stored after %v, want %d: %+v", len(ev), limit, n, ev)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
