package playlist

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"golang.org/x/sync/errgroup"

	"loa/playlist/library"
)

// Sources are where the planner reads its inputs; cmd/loa fills them from
// the station registry, the library and the airtime ledger.
type Sources struct {
	Stations func() ([]Station, error)
	Segments func() ([]library.Segment, error) // the approved segments
	History  History                           // nil: nothing aired yet
}

// Planner defaults.
const (
	DefaultNightlyAt = ClockTime(0*60 + 15) // 00:15 in the ward's zone
	DefaultCoalesce  = time.Second
)

// PlannerConfig says when and how far ahead the planner builds.
type PlannerConfig struct {
	Build     Config
	Days      int            // days built ahead, today included
	NightlyAt ClockTime      // when the nightly build runs, in Zone
	Zone      *time.Location // the ward's zone
	// Coalesce: changes reported within this interval are rebuilt together.
	Coalesce time.Duration
}

// DefaultPlannerConfig returns the defaults for a ward in zone.
func DefaultPlannerConfig(zone *time.Location) PlannerConfig {
	return PlannerConfig{Build: DefaultConfig(), Days: DefaultDays, NightlyAt: DefaultNightlyAt, Zone: zone, Coalesce: DefaultCoalesce}
}

// A Planner keeps every station's playlists built Days ahead: all of them
// every night, and at once (coalesced) the stations a change affects. It
// tells notify which stations got a new version, so that the hub can
// publish them to online agents.
type Planner struct {
	store  *Store
	src    Sources
	cfg    PlannerConfig
	notify func(stations []string)
	log    *slog.Logger

	building sync.Mutex // one build at a time: the nightly one and rebuilds

	mu      sync.Mutex
	all     bool
	pending map[string]bool
	targets []library.Targets
	kick    chan struct{} // a mark was made: Run's rebuild loop wakes (buffered 1)
}

// NewPlanner makes a planner; notify may be nil.
func NewPlanner(store *Store, src Sources, cfg PlannerConfig, notify func(stations []string), log *slog.Logger) *Planner {
	if notify == nil {
		notify = func([]string) {}
	}
	return &Planner{store: store, src: src, cfg: cfg, notify: notify, log: log, pending: map[string]bool{}, kick: make(chan struct{}, 1)}
}

// wake tells Run's rebuild loop that a mark was made.
func (p *Planner) wake() {
	select {
	case p.kick <- struct{}{}:
	default: // already told
	}
}

// Changed marks stations for a rebuild Coalesce after the first mark; with
// no ids, every station (a library-wide or schedule-wide change).
func (p *Planner) Changed(stations ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(stations) == 0 {
		p.all = true
	}
	for _, id := range stations {
		p.pending[id] = true
	}
	p.wake()
}

// ChangedTargets marks every station t includes: call it with a segment's
// targets (before and after) when it is approved, archived or retargeted,
// and with a programme's targets when it is edited.
func (p *Planner) ChangedTargets(ts ...library.Targets) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.targets = append(p.targets, ts...)
	p.wake()
}

// A Result says what a build did.
type Result struct {
	Stations  int      `json:"stations"`
	Playlists int      `json:"playlists"`
	Changed   []string `json:"changed"`          // stations with at least one new version
	Failed    []string `json:"failed,omitempty"` // stations that could not be built (logged)
}

// BuildAhead is the nightly job: every station, from today in its own zone,
// for Days days.
func (p *Planner) BuildAhead(ctx context.Context, now time.Time) (Result, error) {
	stations, err := p.src.Stations()
	if err != nil {
		return Result{}, fmt.Errorf("build ahead: stations: %w", err)
	}
	return p.build(ctx, stations, now)
}

// RebuildPending is the change job: it rebuilds the stations marked since
// the last run, all in one pass.
func (p *Planner) RebuildPending(ctx context.Context, now time.Time) (Result, error) {
	p.mu.Lock()
	all, ids, targets := p.all, p.pending, p.targets
	p.all, p.pending, p.targets = false, map[string]bool{}, nil
	p.mu.Unlock()
	if !all && len(ids) == 0 && len(targets) == 0 {
		return Result{}, nil
	}
	res, err := p.rebuild(ctx, now, all, ids, targets)
	if err != nil { // keep the marks: the next run tries again
		p.mu.Lock()
		p.all = p.all || all
		for id := range ids {
			p.pending[id] = true
		}
		p.targets = append(p.targets, targets...)
		p.mu.Unlock()
	}
	return res, err
}

func (p *Planner) rebuild(ctx context.Context, now time.Time, all bool, ids map[string]bool, targets []library.Targets) (Result, error) {
	stations, err := p.src.Stations()
	if err != nil {
		return Result{}, fmt.Errorf("rebuild: stations: %w", err)
	}
	if !all {
		stations = slices.DeleteFunc(stations, func(s Station) bool {
			return !ids[s.ID] && !slices.ContainsFunc(targets, func(t library.Targets) bool { return t.Includes(s.ID, s.Groups) })
		})
	}
	return p.build(ctx, stations, now)
}

// chunk is how many stations are built between two store transactions.
const chunk = 256

func (p *Planner) build(ctx context.Context, stations []Station, now time.Time) (Result, error) {
	p.building.Lock()
	defer p.building.Unlock()
	segs, err := p.src.Segments()
	if err != nil {
		return Result{}, fmt.Errorf("build: library: %w", err)
	}
	progs, err := p.store.Programmes()
	if err != nil {
		return Result{}, fmt.Errorf("build: programmes: %w", err)
	}
	cfg, err := p.buildConfig()
	if err != nil {
		return Result{}, fmt.Errorf("build: %w", err)
	}
	b := NewBuilder(cfg, progs, segs)
	res := Result{Stations: len(stations)}
	for len(stations) > 0 {
		n := min(chunk, len(stations))
		if err := p.buildChunk(ctx, b, stations[:n], now, &res); err != nil {
			return res, err
		}
		stations = stations[n:]
	}
	slices.Sort(res.Changed)
	if len(res.Changed) > 0 {
		p.notify(res.Changed)
	}
	return res, nil
}

// buildChunk builds stations in parallel and stores them in one transaction.
func (p *Planner) buildChunk(ctx context.Context, b *Builder, stations []Station, now time.Time, res *Result) error {
	built := make([][]Playlist, len(stations))
	failed := make([]bool, len(stations))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, st := range stations {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			pls, err := p.buildStation(b, st, now)
			if err != nil {
				// One bad station (no zone, say) must not stop the others.
				p.log.Error("playlist build failed", "station", st.ID, "err", err)
				failed[i] = true
			}
			built[i] = pls
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, f := range failed {
		if f {
			res.Failed = append(res.Failed, stations[i].ID)
		}
	}
	all := slices.Concat(built...)
	saved, changed, err := p.store.SavePlaylists(all)
	if err != nil {
		return err
	}
	res.Playlists += len(saved)
	for i, pl := range saved {
		if changed[i] && !slices.Contains(res.Changed, pl.Station) {
			res.Changed = append(res.Changed, pl.Station)
		}
	}
	return nil
}

// buildStation builds one station from today in its zone, keeping what the
// station holds for today up to the freeze instant.
func (p *Planner) buildStation(b *Builder, st Station, now time.Time) ([]Playlist, error) {
	if st.Zone == nil {
		return nil, fmt.Errorf("station %s has no time zone", st.ID)
	}
	today := library.DateOf(now, st.Zone)
	req := Request{Station: st, From: today, Days: p.cfg.Days, Now: now, History: p.src.History}
	cur, err := p.store.Playlist(st.ID, today)
	switch {
	case err == nil:
		req.Current = map[library.Date]*Playlist{today: &cur}
	case err != ErrNotFound:
		return nil, err
	}
	return b.Build(req)
}

// Run schedules the nightly build (and one at start) with gocron and runs
// the coalesced rebuilds, until ctx ends.
func (p *Planner) Run(ctx context.Context) error {
	s, err := gocron.NewScheduler(gocron.WithLocation(p.cfg.Zone))
	if err != nil {
		return fmt.Errorf("planner: %w", err)
	}
	at := gocron.NewAtTimes(gocron.NewAtTime(uint(p.cfg.NightlyAt)/60, uint(p.cfg.NightlyAt)%60, 0))
	jobs := []struct {
		name string
		def  gocron.JobDefinition
		body func(context.Context, time.Time) (Result, error)
		opts []gocron.JobOption
	}{
		{"build_ahead", gocron.DailyJob(1, at), p.BuildAhead, []gocron.JobOption{gocron.WithStartAt(gocron.WithStartImmediately())}},
	}
	for _, j := range jobs {
		opts := append(j.opts, gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithName(j.name))
		task := gocron.NewTask(func() { p.runJob(ctx, j.name, j.body) })
		if _, err := s.NewJob(j.def, task, opts...); err != nil {
			return fmt.Errorf("planner job %s: %w", j.name, err)
		}
	}
	s.Start()
	p.rebuildLoop(ctx)
	return s.Shutdown()
}

// rebuildLoop runs RebuildPending Coalesce after the first mark of a
// spell, so that a burst of edits costs one build and an idle planner no
// work at all (a one-second gocron job cost a ward simulation about 1.2
// CPU seconds a simulated day doing nothing); a failed build keeps its
// marks and is tried again Coalesce later. It returns when ctx ends.
func (p *Planner) rebuildLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.cfg.Coalesce):
		}
		p.runJob(ctx, "rebuild_changed", p.RebuildPending)
		if p.hasPending() {
			p.wake() // the build failed and kept its marks
		}
	}
}

// hasPending reports whether any station is marked for a rebuild.
func (p *Planner) hasPending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.all || len(p.pending) > 0 || len(p.targets) > 0
}

func (p *Planner) runJob(ctx context.Context, name string, body func(context.Context, time.Time) (Result, error)) {
	start := time.Now()
	res, err := body(ctx, start)
	if err != nil {
		p.log.Error("playlist job failed", "job", name, "err", err)
		return
	}
	if res.Stations > 0 {
		p.log.Info("playlists built", "job", name, "stations", res.Stations, "playlists", res.Playlists,
			"changed", len(res.Changed), "took_ms", time.Since(start).Milliseconds())
	}
}
