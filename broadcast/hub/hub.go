package hub

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/stations"
)

// Playlists is where the hub gets the playlists a station should hold: every
// local day from the one containing from onwards that has a playlist.
type Playlists interface {
	PlaylistsFor(stationID string, from time.Time) ([]protocol.Playlist, error)
}

// Config tunes the hub. Zero fields take the Default* values.
type Config struct {
	PingInterval   time.Duration // websocket ping to each agent
	ReadTimeout    time.Duration // silence after which a connection is dead
	WriteTimeout   time.Duration // one frame's write
	HelloTimeout   time.Duration // from upgrade to hello
	StatusInterval time.Duration // asked of agents in welcome
	PresenceFlush  time.Duration // how often presence is written to disk
	CommandTTL     time.Duration // default expiry of a command
	SendQueue      int           // frames queued per connection before it is dropped
	MaxAiredBatch  int           // events per aired frame, told in welcome
	MaxAiredPerDay int           // events one station stores a day (aired.go)
	Grace          time.Duration // presence grace period
	// MaxMessageRate and MaxMessageBurst bound what one station may send
	// (a token bucket per connection): a broken or hostile agent is cut
	// off with close code 4007 instead of loading the server.
	MaxMessageRate  float64
	MaxMessageBurst int
	Now             func() time.Time
}

// Defaults.
const (
	DefaultPingInterval   = 25 * time.Second
	DefaultReadTimeout    = 60 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultHelloTimeout   = 10 * time.Second
	DefaultStatusInterval = 30 * time.Second
	DefaultPresenceFlush  = 5 * time.Second
	DefaultCommandTTL     = 10 * time.Minute
	DefaultSendQueue      = 16
	DefaultMaxAiredBatch  = 500
	// An agent sends a status every 30 s, pings, acks and aired batches
	// one at a time: far below this even when it flushes a week's journal.
	DefaultMaxMessageRate  = 20.0
	DefaultMaxMessageBurst = 200
)

func (c *Config) fill() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PingInterval, DefaultPingInterval)
	def(&c.ReadTimeout, DefaultReadTimeout)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.HelloTimeout, DefaultHelloTimeout)
	def(&c.StatusInterval, DefaultStatusInterval)
	def(&c.PresenceFlush, DefaultPresenceFlush)
	def(&c.CommandTTL, DefaultCommandTTL)
	def(&c.Grace, stations.DefaultGrace)
	if c.MaxMessageRate <= 0 {
		c.MaxMessageRate = DefaultMaxMessageRate
	}
	if c.MaxMessageBurst <= 0 {
		c.MaxMessageBurst = DefaultMaxMessageBurst
	}
	if c.SendQueue <= 0 {
		c.SendQueue = DefaultSendQueue
	}
	if c.MaxAiredPerDay <= 0 {
		c.MaxAiredPerDay = DefaultMaxAiredPerDay
	}
	if c.MaxAiredBatch <= 0 || c.MaxAiredBatch > protocol.MaxAiredBatch {
		c.MaxAiredBatch = DefaultMaxAiredBatch
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Hub tracks every live agent connection.
type Hub struct {
	cfg       Config
	stations  *stations.Store
	ledger    *ledger.Store
	playlists Playlists
	log       *slog.Logger
	upgrader  websocket.Upgrader
	fetchSem  chan struct{} // bounds concurrent PlaylistsFor calls
	sessions  sync.WaitGroup

	mu       sync.Mutex
	conns    map[string]*conn // live connection per station
	presence map[string]*stations.Presence
	dirty    map[string]bool // presence not yet on disk
	closed   bool

	rateMu sync.Mutex              // the stations' message buckets, apart from mu
	rates  map[string]*messageRate // by station: they outlive a connection
	aired  airedLimits             // events stored per station and day (aired.go)

	cmdMu    sync.Mutex // apart from mu: 10,000 writers mark commands sent at once
	commands map[string]*stationCommands
	lastSend atomic.Int64 // Unix ns of the last SendCommand
}

// New builds a hub and subscribes it to station changes (revocation closes
// a live connection at once). pl may be nil: then no playlists are sent.
func New(cfg Config, st *stations.Store, led *ledger.Store, pl Playlists, log *slog.Logger) (*Hub, error) {
	cfg.fill()
	h := &Hub{
		cfg: cfg, stations: st, ledger: led, playlists: pl, log: log,
		fetchSem: make(chan struct{}, 4),
		conns:    map[string]*conn{},
		presence: map[string]*stations.Presence{},
		dirty:    map[string]bool{},
		commands: map[string]*stationCommands{},
		rates:    map[string]*messageRate{},
	}
	h.upgrader = websocket.Upgrader{
		HandshakeTimeout: cfg.HelloTimeout,
		ReadBufferSize:   1024,
		WriteBufferSize:  4096,
		WriteBufferPool:  &sync.Pool{},                             // idle connections hold no write buffer
		CheckOrigin:      func(*http.Request) bool { return true }, // agents are not browsers; the token authenticates
	}
	known, err := st.AllPresence()
	if err != nil {
		return nil, err
	}
	for id, p := range known {
		h.presence[id] = &p
	}
	if err := h.loadCommands(); err != nil {
		return nil, err
	}
	st.OnChange(h.onStationChange)
	return h, nil
}

// Run flushes presence and commands periodically until ctx ends, then
// closes every connection with "going away" and flushes once more.
func (h *Hub) Run(ctx context.Context) error {
	t := time.NewTicker(h.cfg.PresenceFlush)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			h.flushPresence()
			if h.flushCommandsNow() {
				h.flushCommands(flushLimit)
			}
		case <-ctx.Done():
			h.shutdown()
			h.sessions.Wait()
			h.flushPresence()
			h.flushCommands(0)
			return nil
		}
	}
}

func (h *Hub) shutdown() {
	h.mu.Lock()
	h.closed = true
	conns := make([]*conn, 0, len(h.conns))
	for _, c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.close(protocol.CloseGoingAway, "server shutting down")
	}
}

// onStationChange closes the live link of a station whose token was revoked
// or rotated, or that was disabled or deleted; otherwise it refreshes the
// connection's copy of the station (groups for the ledger snapshot).
func (h *Hub) onStationChange(ch stations.Change) {
	h.mu.Lock()
	c := h.conns[ch.StationID]
	h.mu.Unlock()
	if c == nil {
		return
	}
	switch ch.Kind {
	case stations.Revoked:
		c.close(protocol.CloseRevoked, "token revoked")
	case stations.Disabled, stations.Deleted:
		c.close(protocol.CloseStationRemoved, "station disabled or deleted")
	case stations.Updated:
		if st, err := h.stations.Station(ch.StationID); err == nil {
			c.setStation(st)
		}
	}
}

// Connected reports whether a station has a live connection now.
func (h *Hub) Connected(stationID string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conns[stationID] != nil
}

// ConnectedCount returns the number of live connections.
func (h *Hub) ConnectedCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

// register makes c the station's live connection, replacing an older one.
func (h *Hub) register(c *conn) bool {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return false
	}
	old := h.conns[c.stationID]
	h.conns[c.stationID] = c
	h.mu.Unlock()
	if old != nil {
		old.close(protocol.CloseReplaced, "replaced by a newer connection")
	}
	return true
}

func (h *Hub) unregister(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[c.stationID] == c {
		delete(h.conns, c.stationID)
	}
}
