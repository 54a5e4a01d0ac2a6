package sim

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio/playback"
	"loa/broadcast/agent"
)

// agentClockCheck is how often a waiting agent re-reads its wall clock in
// the simulation (1 s in the field): a wake-up per second for every agent
// would be most of a simulated week's cost.
const agentClockCheck = 15 * time.Second

// station is one loudspeaker site: its agent (stopped and started again by
// the operator's disturbances), its speaker and its clock, which may be set
// wrong: the agent's wall clock reads the true time plus jump.
type station struct {
	id, token string
	dir       string
	spk       *speaker
	jump      atomic.Int64 // ns the agent's wall clock is ahead of the truth
	jitter    *rand.Rand   // the agent's reconnect jitter, seeded from the ward's seed and the station

	cancel context.CancelFunc
	done   chan error
	db     *bbolt.DB
}

func (s *station) now() time.Time { return time.Now().Add(time.Duration(s.jump.Load())) }

func (s *station) running() bool { return s.cancel != nil }

// start runs the agent on its data directory (kept across restarts).
func (s *station) start(net *network, log *slog.Logger) error {
	if s.running() {
		return nil
	}
	db, err := bbolt.Open(filepath.Join(s.dir, "agent.db"), 0o600, &bbolt.Options{NoSync: true, NoFreelistSync: true})
	if err != nil {
		return fmt.Errorf("station %s: %w", s.id, err)
	}
	st, err := agent.Open(db)
	if err != nil {
		db.Close()
		return fmt.Errorf("station %s: %w", s.id, err)
	}
	cache, err := agent.NewCache(filepath.Join(s.dir, "audio"))
	if err != nil {
		db.Close()
		return fmt.Errorf("station %s: %w", s.id, err)
	}
	dial := net.dialer(s.id)
	client := &http.Client{Timeout: 10 * time.Minute, Transport: &http.Transport{DialContext: dial, MaxIdleConns: 1, IdleConnTimeout: time.Minute}}
	a, err := agent.New(agent.Config{Server: "http://loa.sim", Token: s.token, DataDir: s.dir, Version: "sim",
		Now: s.now, HTTPClient: client, Dial: dial, Log: log.With("station", s.id),
		ClockCheck: agentClockCheck, FetchInterval: time.Hour, Jitter: s.jitterN}, st, cache,
		func() (playback.Output, error) { return s.spk, nil })
	if err != nil {
		db.Close()
		return fmt.Errorf("station %s: %w", s.id, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done, s.db = cancel, make(chan error, 1), db
	go func() {
		err := a.Run(ctx)
		client.CloseIdleConnections()
		s.done <- err
	}()
	return nil
}

// stop stops the agent and closes its store; its error, if it failed.
func (s *station) stop() error {
	if !s.running() {
		return nil
	}
	s.cancel()
	err := <-s.done
	s.cancel = nil
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

func newStation(id, token, root string, seed uint64) (*station, error) {
	dir := filepath.Join(root, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return &station{id: id, token: token, dir: dir, spk: &speaker{}, jitter: rand.New(rand.NewPCG(seed, h.Sum64()))}, nil
}

// jitterN is the agent's reconnect jitter: only its link loop asks, one
// call at a time.
func (s *station) jitterN(n time.Duration) time.Duration {
	return time.Duration(s.jitter.Int64N(int64(n) + 1))
}
