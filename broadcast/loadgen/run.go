package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
)

// Config sizes a run.
type Config struct {
	Agents        int // simulated stations
	Rounds        int // emergency broadcasts, each beside a bare one
	IngestAgents  int // agents reporting aired batches at once
	IngestBatches int // batches per reporting agent
	BatchSize     int // events per aired frame
	DialParallel  int // connections being set up at once (initial connect)
}

// Report holds the figures of one run.
type Report struct {
	Config          Config
	ConnectTime     time.Duration
	ConnectFailures int
	HubMemPerConn   float64 // heap+stack bytes per connection, after GC
	HubRSSPerConn   float64
	BareMemPerConn  float64
	BareRSSPerConn  float64
	Emergency       []time.Duration // to the last agent, per round
	EmergencyMissed int             // agent-rounds that never got it
	Bare            []time.Duration
	BareMissed      int
	IngestEvents    int
	IngestTime      time.Duration
	Ledger          ledger.Size
	StormTime       time.Duration
	StormOK         int
	StormFailed     int // sessions that never came back
	StormRetried    int // sessions whose first reconnect failed
	StormConnected  int

	// Server CPU time (user+system), which a busy machine does not
	// inflate the way it inflates wall time.
	ConnectCPU   time.Duration
	EmergencyCPU time.Duration // per broadcast
	BareCPU      time.Duration // per broadcast
	IngestCPU    time.Duration
	StormCPU     time.Duration
}

type client struct {
	base string
	http *http.Client
}

func (c *client) call(method, path string, out any) error {
	req, _ := http.NewRequest(method, c.base+path, nil)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Run measures a Server listening at base (http://host:port), logging
// progress to logf.
func Run(ctx context.Context, cfg Config, base string, logf func(string, ...any)) (Report, error) {
	r := &runner{cfg: cfg, c: &client{base: base, http: &http.Client{Timeout: 5 * time.Minute}}, logf: logf,
		wsBase: "ws" + strings.TrimPrefix(base, "http")}
	r.rep.Config = cfg
	err := r.run(ctx)
	return r.rep, err
}

type runner struct {
	cfg    Config
	c      *client
	logf   func(string, ...any)
	wsBase string
	agents []*simAgent
	rep    Report
}

func (r *runner) run(ctx context.Context) error {
	var tokens []string
	if err := r.c.call("POST", fmt.Sprintf("/bench/setup?n=%d", r.cfg.Agents), &tokens); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"connect", func(ctx context.Context) error { return r.connectHub(ctx, tokens) }},
		{"emergency", r.emergency},
		{"ingest", r.ingest},
		{"reconnect storm", r.storm},
		{"bare baseline", r.bareBaseline},
	}
	for _, s := range steps {
		r.logf("%s…", s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

func (r *runner) mem() (Mem, error) {
	var m Mem
	err := r.c.call("GET", "/bench/mem", &m)
	return m, err
}

// dialAll connects agents DialParallel at a time.
func (r *runner) dialAll(ctx context.Context, agents []*simAgent) (failed int) {
	sem := make(chan struct{}, r.cfg.DialParallel)
	var wg sync.WaitGroup
	var fails atomic.Int64
	for _, a := range agents {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := a.connect(ctx); err != nil {
				if fails.Add(1) <= 3 {
					r.logf("agent %d: %v", a.idx, err)
				}
			}
		})
	}
	wg.Wait()
	return int(fails.Load())
}

func (r *runner) connectHub(ctx context.Context, tokens []string) error {
	before, err := r.mem()
	if err != nil {
		return err
	}
	for i, tok := range tokens {
		r.agents = append(r.agents, &simAgent{idx: i, token: tok, url: r.wsBase + "/agent/v1/link",
			dialer: newDialer(i), acks: make(chan protocol.AiredAck, 4)})
	}
	start := time.Now()
	r.rep.ConnectFailures = r.dialAll(ctx, r.agents)
	r.rep.ConnectTime = time.Since(start)
	if err := r.waitHeld(ctx); err != nil {
		return err
	}
	after, err := r.mem()
	if err != nil {
		return err
	}
	r.rep.ConnectCPU = time.Duration(after.CPU - before.CPU)
	n := float64(after.Connected)
	r.rep.HubMemPerConn = float64(int64(after.Total())-int64(before.Total())) / n
	r.rep.HubRSSPerConn = float64(int64(after.RSS)-int64(before.RSS)) / n
	r.logf("%d connected in %v (%d failed), %.0f B/conn heap+stack, %.0f B/conn RSS",
		after.Connected, r.rep.ConnectTime.Round(time.Millisecond), r.rep.ConnectFailures, r.rep.HubMemPerConn, r.rep.HubRSSPerConn)
	return nil
}

// waitHeld waits until every agent holds its playlist (the link is idle).
func (r *runner) waitHeld(ctx context.Context) error {
	return poll(ctx, time.Minute, func() bool {
		for _, a := range r.agents {
			a.wmu.Lock()
			ok := a.seq >= 2 // hello, playlist_ack
			a.wmu.Unlock()
			if !ok {
				return false
			}
		}
		return true
	})
}

func poll(ctx context.Context, limit time.Duration, done func() bool) error {
	deadline := time.Now().Add(limit)
	for !done() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not done after %v", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// lastArrival waits until every agent got a frame after t0 (at most 30 s)
// and returns the delay to the last one and how many never got it.
func lastArrival(ctx context.Context, agents []*simAgent, t0 int64) (time.Duration, int, error) {
	var last int64
	var missing int
	err := poll(ctx, 30*time.Second, func() bool {
		last, missing = 0, 0
		for _, a := range agents {
			at := a.gotFrame.Load()
			if at < t0 {
				missing++
				continue
			}
			last = max(last, at)
		}
		return missing == 0
	})
	if missing > 0 && ctx.Err() == nil {
		err = nil
	}
	return time.Duration(last - t0), missing, err
}

func (r *runner) emergency(ctx context.Context) error {
	before, err := r.mem()
	if err != nil {
		return err
	}
	defer func() {
		if after, err := r.mem(); err == nil {
			r.rep.EmergencyCPU = time.Duration(after.CPU-before.CPU) / time.Duration(max(r.cfg.Rounds, 1))
		}
	}()
	for round := range r.cfg.Rounds {
		var st Started
		if err := r.c.call("POST", fmt.Sprintf("/bench/emergency?id=em-%d", round), &st); err != nil {
			return err
		}
		d, missing, err := lastArrival(ctx, r.agents, st.UnixNano)
		if err != nil {
			return err
		}
		r.rep.Emergency = append(r.rep.Emergency, d)
		r.rep.EmergencyMissed += missing
		r.logf("emergency round %d: last of %d agents after %v (%d missed); the server's send loop took %v", round, len(r.agents)-missing, d.Round(time.Millisecond), missing, time.Duration(st.Sent).Round(time.Millisecond))
		time.Sleep(200 * time.Millisecond) // let the acks drain
	}
	return nil
}

// ingest has IngestAgents agents report IngestBatches batches each, as the
// network does live: events are numbered from one clock shared by all
// agents, so planned starts advance together (the ledger's keys append).
func (r *runner) ingest(ctx context.Context) error {
	n := min(r.cfg.IngestAgents, len(r.agents))
	before, err := r.mem()
	if err != nil {
		return err
	}
	var clock atomic.Int64
	base := time.Now().Add(-24 * time.Hour)
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range n {
		a := r.agents[i]
		wg.Go(func() {
			for b := range r.cfg.IngestBatches {
				first := clock.Add(int64(r.cfg.BatchSize)) - int64(r.cfg.BatchSize)
				if err := a.send(protocol.TypeAired, airedBatch(i, b, r.cfg.BatchSize, base, first)); err != nil {
					failed.Add(1)
					return
				}
				select {
				case ack := <-a.acks:
					if ack.Stored != r.cfg.BatchSize {
						failed.Add(1)
					}
				case <-ctx.Done():
					failed.Add(1)
					return
				}
			}
		})
	}
	wg.Wait()
	r.rep.IngestTime = time.Since(start)
	r.rep.IngestEvents = n * r.cfg.IngestBatches * r.cfg.BatchSize
	if failed.Load() > 0 {
		return fmt.Errorf("%d batches not stored in full", failed.Load())
	}
	if err := r.c.call("GET", "/bench/ledger", &r.rep.Ledger); err != nil {
		return err
	}
	if after, err := r.mem(); err == nil {
		r.rep.IngestCPU = time.Duration(after.CPU - before.CPU)
	}
	r.logf("ingest: %d events in %v = %.0f events/s, %.0f B/event",
		r.rep.IngestEvents, r.rep.IngestTime.Round(time.Millisecond),
		float64(r.rep.IngestEvents)/r.rep.IngestTime.Seconds(), float64(r.rep.Ledger.PageBytes)/float64(r.rep.Ledger.Events))
	return nil
}

// airedBatch is what a station reports: ULID-sized ids, Vietnamese titles,
// one event per 2 ms of the shared clock from first.
func airedBatch(agent, batch, size int, base time.Time, first int64) *protocol.Aired {
	out := &protocol.Aired{Events: make([]protocol.AiredEvent, size)}
	for i := range out.Events {
		planned := base.Add(time.Duration(first+int64(i)) * 2 * time.Millisecond).UnixMilli()
		out.Events[i] = protocol.AiredEvent{
			ID: fmt.Sprintf("01JDQ%09d%06d%06d", agent, batch, i), ItemID: fmt.Sprintf("01JDP%021d", i%24),
			SegmentID: "01JDS000000000000000000001", Title: fmt.Sprintf("Bản tin cải cách hành chính số %d", i%24),
			Topic: "cchc", Level: protocol.LevelOrdinary, DurationMs: 180000, PlannedMs: planned,
			StartedMs: planned + 3, EndedMs: planned + 180003, PlayedMs: 180000, Outcome: protocol.OutcomeCompleted,
		}
	}
	return out
}

// storm restarts the hub: every agent is closed with "going away" and
// reconnects at once, holding its playlist.
func (r *runner) storm(ctx context.Context) error {
	var ok, failed, retried atomic.Int64
	var last atomic.Int64
	reconnect := func(a *simAgent) {
		// As a real agent: reconnect at once, and on failure retry with
		// jittered backoff; only a session that never comes back fails.
		for attempt := range 5 {
			err := a.connect(ctx)
			if err == nil {
				last.Store(time.Now().UnixNano())
				ok.Add(1)
				return
			}
			if attempt == 0 && retried.Add(1) <= 3 {
				r.logf("storm: agent %d: %v (retrying)", a.idx, err)
			}
			time.Sleep(time.Duration(100<<attempt+rand.IntN(200)) * time.Millisecond)
		}
		failed.Add(1)
	}
	for _, a := range r.agents {
		a.onAway.Store(&reconnect)
	}
	before, err := r.mem()
	if err != nil {
		return err
	}
	var st Started
	if err := r.c.call("POST", "/bench/restart", &st); err != nil {
		return err
	}
	err = poll(ctx, 2*time.Minute, func() bool { return int(ok.Load()+failed.Load()) >= len(r.agents) })
	r.rep.StormOK, r.rep.StormFailed, r.rep.StormRetried = int(ok.Load()), int(failed.Load()), int(retried.Load())
	r.rep.StormTime = time.Duration(last.Load() - st.UnixNano)
	if m, err := r.mem(); err == nil {
		r.rep.StormConnected = m.Connected
		r.rep.StormCPU = time.Duration(m.CPU - before.CPU)
	}
	r.logf("storm: %d reconnected (%d after a retry), %d failed, last after %v, %d connected",
		r.rep.StormOK, r.rep.StormRetried, r.rep.StormFailed, r.rep.StormTime.Round(time.Millisecond), r.rep.StormConnected)
	return err
}

func (r *runner) bareBaseline(ctx context.Context) error {
	for _, a := range r.agents {
		a.onAway.Store(nil)
		a.close()
	}
	before, err := r.mem()
	if err != nil {
		return err
	}
	bare := make([]*simAgent, len(r.agents))
	for i := range bare {
		bare[i] = &simAgent{idx: i, url: r.wsBase + "/bare", bare: true, dialer: newDialer(i)}
	}
	if failed := r.dialAll(ctx, bare); failed > 0 {
		return fmt.Errorf("%d bare connections failed", failed)
	}
	if err := poll(ctx, time.Minute, func() bool { m, _ := r.mem(); return m.Bare == len(bare) }); err != nil {
		return err
	}
	after, err := r.mem()
	if err != nil {
		return err
	}
	r.rep.BareMemPerConn = float64(int64(after.Total())-int64(before.Total())) / float64(after.Bare)
	r.rep.BareRSSPerConn = float64(int64(after.RSS)-int64(before.RSS)) / float64(after.Bare)
	defer func() {
		if end, err := r.mem(); err == nil {
			r.rep.BareCPU = time.Duration(end.CPU-after.CPU) / time.Duration(max(r.cfg.Rounds, 1))
		}
	}()
	for round := range r.cfg.Rounds {
		var st Started
		if err := r.c.call("POST", fmt.Sprintf("/bench/bare-broadcast?id=em-%d", round), &st); err != nil {
			return err
		}
		d, missing, err := lastArrival(ctx, bare, st.UnixNano)
		if err != nil {
			return err
		}
		r.rep.Bare = append(r.rep.Bare, d)
		r.rep.BareMissed += missing
		r.logf("bare round %d: last of %d after %v (%d missed)", round, len(bare)-missing, d.Round(time.Millisecond), missing)
		time.Sleep(200 * time.Millisecond)
	}
	for _, a := range bare {
		a.close()
	}
	return nil
}

// Median of durations.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
