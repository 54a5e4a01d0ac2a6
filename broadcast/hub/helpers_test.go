package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.etcd.io/bbolt"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/stations"
)

var day = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// memPlaylists is a playlist source the test edits.
type memPlaylists struct {
	mu  sync.Mutex
	pls map[string][]protocol.Playlist
}

func (m *memPlaylists) PlaylistsFor(id string, _ time.Time) ([]protocol.Playlist, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]protocol.Playlist(nil), m.pls[id]...), nil
}

func (m *memPlaylists) set(id string, pls ...protocol.Playlist) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pls[id] = pls
}

type testServer struct {
	url       string
	db        *bbolt.DB
	stations  *stations.Store
	ledger    *ledger.Store
	playlists *memPlaylists
	hub       *Hub
	stop      func()
	log       *slog.Logger // the hub's; nil: discarded
	cfg       Config       // the hub's (zero: defaults)
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := stations.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	led, err := ledger.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	pls := &memPlaylists{pls: map[string][]protocol.Playlist{}}
	s := &testServer{db: db, stations: st, ledger: led, playlists: pls}
	s.startHub(t)
	t.Cleanup(func() { s.stop(); db.Close() })
	return s
}

// startHub starts a hub and its HTTP server on s's store; stop ends both
// (the hub flushes what it holds to disk, as on a shutdown).
func (s *testServer) startHub(t *testing.T) {
	t.Helper()
	log := s.log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	h, err := New(s.cfg, s.stations, s.ledger, s.playlists, log)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /agent/v1/link", h)
	mux.Handle("GET /agent/v1/audio/{sha256}", h.AudioHandler(openTestAudio))
	srv := httptest.NewServer(mux)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	var once sync.Once
	s.url, s.hub = srv.URL, h
	s.stop = func() { once.Do(func() { cancel(); <-done; srv.Close() }) }
}

// restart stops the hub and starts a new one on the same store.
func (s *testServer) restart(t *testing.T) {
	t.Helper()
	s.stop()
	s.startHub(t)
	t.Cleanup(s.stop)
}

// addStation creates a station in group "an-phu" and returns its token.
func (s *testServer) addStation(t *testing.T, id string) string {
	t.Helper()
	if _, err := s.stations.Group("an-phu"); err != nil {
		s.stations.CreateGroup(stations.Group{ID: "an-phu", Name: "An Phú"})
	}
	st := stations.New(id, "Trạm "+id)
	st.Groups = []string{"an-phu"}
	_, token, err := s.stations.Create(st, day)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

const testAudio = "0123456789abcdef"

func openTestAudio(sum string) (io.ReadSeekCloser, time.Time, error) {
	if sum != strings.Repeat("ab", 32) {
		return nil, time.Time{}, errNotExist
	}
	return nopCloser{strings.NewReader(testAudio)}, day, nil
}

var errNotExist = fmt.Errorf("no blob: %w", fs.ErrNotExist)

type nopCloser struct{ io.ReadSeeker }

func (nopCloser) Close() error { return nil }

// agent is a minimal, real protocol client.
type agent struct {
	t     *testing.T
	ws    *websocket.Conn
	seq   uint64
	inSeq uint64
}

func dial(t *testing.T, s *testServer, token string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	return websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.url, "http")+"/agent/v1/link", h)
}

// connectAgent dials, says hello holding held, and returns the welcome.
func connectAgent(t *testing.T, s *testServer, token string, held ...protocol.PlaylistRef) (*agent, *protocol.Welcome) {
	t.Helper()
	ws, _, err := dial(t, s, token)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	a := &agent{t: t, ws: ws}
	a.send(protocol.TypeHello, &protocol.Hello{Versions: []int{1, protocol.Version}, Agent: "test-0.1", Held: held, SentMs: time.Now().UnixMilli()})
	m := a.recv()
	w, ok := m.Body.(*protocol.Welcome)
	if !ok {
		t.Fatalf("first answer is %s", m.Type)
	}
	return a, w
}

func (a *agent) send(typ string, body any) {
	a.t.Helper()
	a.seq++
	frame, err := protocol.Encode(typ, a.seq, body)
	if err != nil {
		a.t.Fatal(err)
	}
	a.raw(frame)
}

func (a *agent) raw(frame []byte) {
	a.t.Helper()
	if err := a.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
		a.t.Fatalf("write: %v", err)
	}
}

// recv reads the next frame (the server's seq must be previous+1).
func (a *agent) recv() protocol.Message {
	a.t.Helper()
	a.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, frame, err := a.ws.ReadMessage()
	if err != nil {
		a.t.Fatalf("read: %v", err)
	}
	m, err := protocol.Decode(frame)
	if err != nil {
		a.t.Fatalf("decode %s: %v", frame, err)
	}
	if m.Seq != a.inSeq+1 {
		a.t.Fatalf("server seq %d after %d", m.Seq, a.inSeq)
	}
	a.inSeq = m.Seq
	return m
}

// recvType reads until a frame of typ, returning the frames skipped too.
func (a *agent) recvType(typ string) (protocol.Message, []protocol.Message) {
	a.t.Helper()
	var skipped []protocol.Message
	for {
		m := a.recv()
		if m.Type == typ {
			return m, skipped
		}
		skipped = append(skipped, m)
	}
}

// closeCode reads until the server closes and returns the close code.
func (a *agent) closeCode() int {
	a.t.Helper()
	a.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := a.ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			a.t.Fatalf("connection ended without a close frame: %v", err)
		}
	}
}

func playlistFor(station, date string, version uint64, titles ...string) protocol.Playlist {
	p := protocol.Playlist{Station: station, Date: date, Zone: "Asia/Ho_Chi_Minh", Version: version}
	start, _ := time.Parse(time.DateOnly, date)
	for i, title := range titles {
		p.Items = append(p.Items, protocol.Item{
			ID: "it-" + date + "-" + string(rune('a'+i)), Title: title, Topic: "cchc", Level: protocol.LevelOrdinary,
			StartMs: start.Add(time.Duration(i+1) * time.Hour).UnixMilli(), DurationMs: 60000,
			AudioSHA256: strings.Repeat("ab", 32), AudioSize: 16, Kind: protocol.KindAudio,
		})
	}
	p.Hash = p.ComputeHash()
	return p
}

func airedEvent(id string, planned time.Time) protocol.AiredEvent {
	return protocol.AiredEvent{
		ID: id, ItemID: "it-1", Title: "Thông báo lịch tiếp dân", Topic: "cchc", Level: protocol.LevelOrdinary,
		DurationMs: 60000, PlannedMs: planned.UnixMilli(), StartedMs: planned.UnixMilli() + 4,
		EndedMs: planned.UnixMilli() + 60004, PlayedMs: 60000, Outcome: protocol.OutcomeCompleted,
	}
}
