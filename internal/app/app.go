package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/sync/errgroup"

	"loa/audio"
	"loa/broadcast/hub"
	"loa/broadcast/ledger"
	"loa/broadcast/live"
	"loa/broadcast/podcast"
	"loa/broadcast/report"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/ingest"
	"loa/playlist/library"
	"loa/stations"
	"loa/web/account"
)

// DBFile is the database's name in the data directory; audio files live in
// AudioDir beside it.
const (
	DBFile   = "loa.db"
	AudioDir = "audio"
)

// Config is what the parts need to know about the deployment. cmd fills it;
// zero values mean each part's defaults.
type Config struct {
	Data   string        // the data directory; created if missing
	Ward   string        // the ward's name, as the report headings show it
	Ingest ingest.Config // how audio is taken in
	Hub    hub.Config    // the agent link's tuning
	// Freeze is how far ahead a published playlist no longer changes
	// (0: the planner's default).
	Freeze time.Duration
	// NoSync opens the database without fsync: only for simulations and
	// benchmarks, which never lose power.
	NoSync bool
	// Playlists replaces the playlist store as what the hub sends to the
	// agents (nil: the store's; a test seam).
	Playlists hub.Playlists
	// PlannerStations replaces the station registry as the stations the
	// planner builds for (nil: the registry's enabled stations; a test seam).
	PlannerStations func() ([]playlist.Station, error)
	// OpenTimeout bounds the wait for a database another process holds
	// (0: 2 s).
	OpenTimeout time.Duration
}

// App is the server's parts, opened from the data directory. Its fields
// are set by Open and never change.
type App struct {
	Config    Config
	DB        *bbolt.DB
	Blobs     *audio.Blobs
	Library   *library.Store
	Ingest    *ingest.Pipeline
	Stations  *stations.Store
	Ledger    *ledger.Store
	Playlists *playlist.Store
	Planner   *playlist.Planner
	History   playlist.History // what aired, as the planner reads it
	Hub       *hub.Hub
	Live      *live.Store
	Reports   *report.Builder
	// ReportSettings are the printed report's letterhead and signer.
	ReportSettings *report.SettingsStore
	// Listens counts the public site's online listens ("Nghe lại").
	Listens *podcast.Listens
	// Accounts are the people who sign in, their sessions and API tokens,
	// the audit log and the ward's settings of who may do what.
	Accounts *account.Store
	Log      *slog.Logger

	published atomic.Uint64 // playlist versions handed to the hub
}

// ErrInUse is returned by Open when another process holds the database.
var ErrInUse = errors.New("in use by another loa process")

// Open opens (or creates) the data directory and builds every part on it.
func Open(cfg Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := OpenDB(cfg)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, DB: db, Log: log}
	if err := a.open(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// OpenDB opens (or creates) the data directory's database alone.
func OpenDB(cfg Config) (*bbolt.DB, error) {
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	timeout := cmpOr(cfg.OpenTimeout, 2*time.Second)
	db, err := bbolt.Open(filepath.Join(cfg.Data, DBFile), 0o600, &bbolt.Options{Timeout: timeout, NoSync: cfg.NoSync, NoFreelistSync: cfg.NoSync})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("data directory %s is %w", cfg.Data, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func (a *App) open() error {
	if err := a.openStores(); err != nil {
		return err
	}
	var err error
	if a.Blobs, err = audio.OpenBlobs(filepath.Join(a.Config.Data, AudioDir)); err != nil {
		return err
	}
	if a.Ingest, err = ingest.New(a.Config.Ingest, a.Library, a.Blobs, a.Log); err != nil {
		return err
	}
	pl := a.Config.Playlists
	if pl == nil {
		pl = playlistStore{store: a.Playlists, zone: ward.Zone()}
	}
	if a.Hub, err = hub.New(a.Config.Hub, a.Stations, a.Ledger, pl, a.Log); err != nil {
		return err
	}
	a.openPlanner()
	a.Reports = &report.Builder{Ledger: a.Ledger, Plan: report.PlaylistPlan{Store: a.Playlists, Stations: report.StationIDs(a.Stations)},
		Listens: a.listenRows}
	return nil
}

// listenRows reads the public site's online listens for the reports.
func (a *App) listenRows(first, last ward.Day) ([]report.ListenRow, error) {
	tallies, err := a.Listens.Between(first, last)
	out := make([]report.ListenRow, 0, len(tallies))
	for _, t := range tallies {
		out = append(out, report.ListenRow{SegmentID: strconv.FormatUint(t.ID, 10), Title: t.Title, Topic: t.Topic, Listens: int(t.Listens)})
	}
	return out, err
}

// openStores opens the stores that live in the database.
func (a *App) openStores() error {
	var err error
	if a.Library, err = library.Open(a.DB); err != nil {
		return err
	}
	if a.Stations, err = stations.Open(a.DB); err != nil {
		return err
	}
	if a.Ledger, err = ledger.Open(a.DB); err != nil {
		return err
	}
	if a.Playlists, err = playlist.Open(a.DB); err != nil {
		return err
	}
	if a.Live, err = live.Open(a.DB); err != nil {
		return err
	}
	if a.ReportSettings, err = report.OpenSettings(a.DB); err != nil {
		return err
	}
	if a.Listens, err = podcast.OpenListens(a.DB, ward.Zone()); err != nil {
		return err
	}
	if a.Accounts, err = account.Open(a.DB); err != nil {
		return err
	}
	return nil
}

// Run runs the hub and the planner until ctx ends.
func (a *App) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.Hub.Run(ctx) })
	g.Go(func() error { return a.Planner.Run(ctx) })
	g.Go(func() error { a.remeasure(ctx); return nil })
	return g.Wait()
}

// remeasure measures again, once at start, the audio an older analysis
// measured (ingest.AnalysisVersion), and has the stations it airs on get
// playlists with the new gains. A failure is logged: the old figures stay.
func (a *App) remeasure(ctx context.Context) {
	changed, err := a.Ingest.Remeasure(ctx)
	if err != nil && ctx.Err() == nil {
		a.Log.Error("measure audio again", "err", err)
	}
	for _, seg := range changed {
		a.Planner.ChangedTargets(seg.Targets)
	}
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// Published is how many playlist versions the planner handed to the hub.
func (a *App) Published() uint64 { return a.published.Load() }

// Directory reads the names a report shows, as they are now.
func (a *App) Directory() (report.Directory, error) {
	return report.DirectoryOf(a.Config.Ward, a.Stations, a.Library)
}

// OpenAudio serves an audio file to agents by its sha256.
func (a *App) OpenAudio(sha string) (io.ReadSeekCloser, time.Time, error) {
	f, err := a.Blobs.Open(sha)
	if err != nil {
		return nil, time.Time{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, time.Time{}, err
	}
	return f, fi.ModTime(), nil
}

// CollectAudio removes audio files no segment refers to that are older
// than cutoff (a crash between storing a file and its segment leaves one).
func (a *App) CollectAudio(cutoff time.Time) error {
	used, err := a.Library.AudioInUse()
	if err != nil {
		return err
	}
	n, err := a.Blobs.Collect(used, cutoff)
	if n > 0 {
		a.Log.Info("removed orphan audio files", "count", n)
	}
	return err
}
