package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"loa/audio/playback"
	"loa/broadcast/protocol"
)

// Paths on the server, below Config.Server.
const (
	LinkPath  = "/agent/v1/link"   // the websocket
	AudioPath = "/agent/v1/audio/" // + hex sha256, GET with Range
)

// Config is the agent's configuration, filled by cmd/loa-agent. Zero fields
// take the Default* values.
type Config struct {
	Server  string // base URL: http(s)://host[:port][/prefix]
	Token   string
	DataDir string // for the free-disk figure
	Version string // reported in hello

	PlayLate      bool          // play items whose start has passed instead of reporting them missed
	LateTolerance time.Duration // a start this late still counts as on time
	PrepareLead   time.Duration // decoding starts this long before an item
	ClockCheck    time.Duration // a long wait re-reads the wall clock this often (a clock set by NTP is noticed within it)
	BackoffMin    time.Duration
	BackoffMax    time.Duration
	FetchInterval time.Duration // periodic retry of missing audio
	Volume        int           // until the server sets one, 0–100

	// Relays (see relay.go): a relay with no audio RelayNoStream after its
	// start, or down or below RelaySilenceDB for RelayDeadAir, gives the
	// rest of its slot to the library.
	RelayNoStream  time.Duration
	RelayDeadAir   time.Duration
	RelaySilenceDB float64      // dBFS, below 0
	RelayClient    *http.Client // for radio streams; nil: no timeout, SHOUTcast's ICY status line accepted

	Now func() time.Time // the wall clock; tests shift it
	// Jitter returns a random duration in [0, n] for the reconnect backoff;
	// nil: math/rand/v2. The ward simulation seeds it, so that one seed
	// is one history.
	Jitter     func(n time.Duration) time.Duration
	HTTPClient *http.Client
	// Dial opens the link's connection; nil: the system's dialer. The ward
	// simulation links agents to the server through memory.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	Log  *slog.Logger
}

// Defaults.
const (
	DefaultLateTolerance = time.Second
	DefaultPrepareLead   = 500 * time.Millisecond
	DefaultClockCheck    = time.Second
	DefaultBackoffMin    = time.Second
	DefaultBackoffMax    = time.Minute
	DefaultFetchInterval = 5 * time.Minute
	DefaultVolume        = 100

	DefaultRelayNoStream  = 10 * time.Second
	DefaultRelayDeadAir   = 30 * time.Second
	DefaultRelaySilenceDB = -50
)

func (c *Config) fill() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.LateTolerance, DefaultLateTolerance)
	def(&c.PrepareLead, DefaultPrepareLead)
	def(&c.ClockCheck, DefaultClockCheck)
	def(&c.BackoffMin, DefaultBackoffMin)
	def(&c.BackoffMax, DefaultBackoffMax)
	def(&c.FetchInterval, DefaultFetchInterval)
	def(&c.RelayNoStream, DefaultRelayNoStream)
	def(&c.RelayDeadAir, DefaultRelayDeadAir)
	if c.RelaySilenceDB >= 0 {
		c.RelaySilenceDB = DefaultRelaySilenceDB
	}
	if c.RelayClient == nil {
		c.RelayClient = newRelayClient()
	}
	if c.Volume <= 0 || c.Volume > 100 {
		c.Volume = DefaultVolume
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Jitter == nil {
		c.Jitter = func(n time.Duration) time.Duration { return rand.N(n + 1) }
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Minute}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
}

// Validate checks what cannot be defaulted.
func (c *Config) Validate() error {
	u, err := url.Parse(c.Server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("server must be an http:// or https:// URL")
	}
	if strings.TrimSpace(c.Token) == "" {
		return errors.New("token is required")
	}
	return nil
}

// Agent runs one station. Build it with New and run it with Run.
type Agent struct {
	cfg     Config
	store   *Store
	cache   *Cache
	open    func() (playback.Output, error)
	log     *slog.Logger
	level   playback.Level
	started time.Time

	plChanged chan struct{}            // playlists changed: re-plan
	fetchKick chan struct{}            // look for missing audio
	sendKick  chan struct{}            // the journal has events to send
	commands  chan protocol.Command    // emergency commands for the player
	acks      chan protocol.CommandAck // command progress for the link
	resync    chan struct{}            // drop the link and hello with nothing held
	statusNow chan struct{}            // what the player does changed: send a status

	mu      sync.Mutex
	clock   protocol.ClockFilter
	station string
	now     *protocol.NowPlaying // what the player does: at most one of now and waiting
	waiting *protocol.Waiting
	faults  map[string]bool
	volume  int
	online  bool
}

// New builds an agent. open opens the output; it is called again after an
// output failed or stalled.
func New(cfg Config, st *Store, cache *Cache, open func() (playback.Output, error)) (*Agent, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.fill()
	cfg.Server = strings.TrimRight(cfg.Server, "/")
	return &Agent{
		cfg: cfg, store: st, cache: cache, open: open, log: cfg.Log, started: cfg.Now(),
		plChanged: make(chan struct{}, 1),
		fetchKick: make(chan struct{}, 1),
		sendKick:  make(chan struct{}, 1),
		commands:  make(chan protocol.Command, 16),
		acks:      make(chan protocol.CommandAck, 64),
		resync:    make(chan struct{}, 1),
		statusNow: make(chan struct{}, 1),
		faults:    map[string]bool{},
		volume:    st.Volume(cfg.Volume),
	}, nil
}

// Run plays, fetches and keeps the link until ctx ends.
func (a *Agent) Run(ctx context.Context) error {
	if n, err := a.store.Recover("agent_restarted"); err != nil {
		return err
	} else if n > 0 {
		a.log.Warn("items cut by a restart reported as interrupted", "events", n)
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.playLoop(ctx) })
	g.Go(func() error { return a.fetchLoop(ctx) })
	g.Go(func() error { return a.linkLoop(ctx) })
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func kick(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// serverNow maps the local wall clock to the server's clock.
func (a *Agent) serverNow() time.Time {
	return a.cfg.Now().Add(a.offset())
}

func (a *Agent) offset() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	off, _ := a.clock.Offset()
	return off
}

func (a *Agent) setFault(code string, on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.faults[code] != on {
		if on {
			a.faults[code] = true
		} else {
			delete(a.faults, code)
		}
	}
}

func (a *Agent) faultList() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(a.faults))
	for f := range a.faults {
		out = append(out, f)
	}
	slices.Sort(out)
	return out[:min(len(out), protocol.MaxFaults)]
}

// eventID is a stable proof-of-play id: the same item at the same planned
// instant always gets the same id, across restarts and resends.
func eventID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

func scheduledID(it protocol.Item) string {
	return eventID("item", it.ID, fmt.Sprint(it.StartMs))
}
