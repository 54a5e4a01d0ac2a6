package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/go-co-op/gocron/v2"
	"go.etcd.io/bbolt"
	"golang.org/x/sync/errgroup"

	"loa/audio"
	"loa/broadcast/hub"
	"loa/broadcast/ledger"
	"loa/broadcast/live"
	"loa/broadcast/report"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
	"loa/web"
)

// runServe runs the server until ctx ends (SIGINT/SIGTERM), then shuts down
// gracefully.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseServeFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loa serve:", err)
		return 2
	}
	level, _ := logLevel(cfg.LogLevel)
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(ctx, cfg, log, stdout); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// app holds what the server is made of, opened from the data directory.
type app struct {
	db    *bbolt.DB
	lib   *library.Store
	blobs *audio.Blobs
	hub   *hub.Hub
	plan  *playlist.Planner
	web   *web.Server
	led   *ledger.Store   // for retention
	pls   *playlist.Store // for retention
}

// openApp opens (or creates) the data directory: one bbolt file and the
// audio files beside it.
func openApp(cfg serveConfig, log *slog.Logger) (*app, error) {
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	db, err := bbolt.Open(filepath.Join(cfg.Data, "loa.db"), 0o600, &bbolt.Options{Timeout: 2 * time.Second})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("data directory %s is in use by another loa process", cfg.Data)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	a := &app{db: db}
	if err := a.open(cfg, log); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) open(cfg serveConfig, log *slog.Logger) error {
	var err error
	if a.lib, err = library.Open(a.db); err != nil {
		return err
	}
	if a.blobs, err = audio.OpenBlobs(filepath.Join(cfg.Data, "audio")); err != nil {
		return err
	}
	a.web, err = web.New(web.Config{
		MaxUploadBytes: int64(cfg.MaxUploadMB) << 20,
		TargetLUFS:     cfg.TargetLUFS,
		FFmpeg:         cfg.FFmpeg,
		TTS:            cfg.TTS,
		TTSChime:       cfg.TTSChime,
		TTSAbbrev:      cfg.TTSAbbrev,
		TrustedProxies: cfg.Proxies,
		Alerts: web.AlertConfig{
			Webhook:      cfg.AlertWebhook,
			OfflineAfter: time.Duration(cfg.AlertOfflineMinutes) * time.Minute,
			DiskLowBytes: int64(cfg.AlertDiskLowMB) << 20,
			OverdueGrace: time.Duration(cfg.AlertOverdueGraceSeconds) * time.Second,
			PlayWithin:   time.Duration(cfg.AlertPlayWithinSeconds) * time.Second,
		},
	}, web.Deps{DB: a.db, Library: a.lib, Blobs: a.blobs, Log: log})
	if err != nil {
		return err
	}
	return a.openLink(cfg, log)
}

// openLink opens the station registry, the aired ledger and the agent hub
// and wires them into the web server; the hub runs until the server stops.
func (a *app) openLink(cfg serveConfig, log *slog.Logger) error {
	st, err := stations.Open(a.db)
	if err != nil {
		return err
	}
	led, err := ledger.Open(a.db)
	if err != nil {
		return err
	}
	pls, err := playlist.Open(a.db)
	if err != nil {
		return err
	}
	zone, err := time.LoadLocation(stations.DefaultZone)
	if err != nil {
		return err
	}
	a.led, a.pls = led, pls
	a.hub, err = hub.New(hub.Config{}, st, led, hub.PlaylistStore{Store: pls, Zone: zone}, log)
	if err != nil {
		return err
	}
	a.web.SetStationLink(&web.StationLink{Stations: st, Hub: a.hub, Audio: a.openAudio})
	lv, err := live.Open(a.db)
	if err != nil {
		return err
	}
	a.web.SetLive(lv)
	var history playlist.History
	plan := playlist.DefaultPlannerConfig(zone)
	if cfg.freeze > 0 {
		plan.Build.Freeze = cfg.freeze
	}
	publish := func(id string) { a.web.CountPublished(1); a.hub.Publish(id) }
	a.plan, history = openPlanner(pls, a.lib, st, led, plan, publish, log)
	a.web.SetSchedules(&web.Schedules{Store: pls, Planner: a.plan, History: history})
	ward := cfg.Ward
	a.web.SetReports(&web.Reports{
		Builder:   &report.Builder{Ledger: led, Plan: report.PlaylistPlan{Store: pls, Stations: report.StationIDs(st)}},
		Directory: func() (report.Directory, error) { return report.DirectoryOf(ward, st, a.lib) },
	})
	return nil
}

// openAudio serves an audio file to agents by its sha256.
func (a *app) openAudio(sha string) (io.ReadSeekCloser, time.Time, error) {
	f, err := a.blobs.Open(sha)
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

func (a *app) close() error { return a.db.Close() }

// collectAudio removes audio files no segment refers to that are older than
// cutoff (a crash between storing a file and its segment leaves one).
func (a *app) collectAudio(cutoff time.Time, log *slog.Logger) error {
	used, err := a.lib.AudioInUse()
	if err != nil {
		return err
	}
	n, err := a.blobs.Collect(used, cutoff)
	if n > 0 {
		log.Info("removed orphan audio files", "count", n)
	}
	return err
}

func serve(ctx context.Context, cfg serveConfig, log *slog.Logger, stdout io.Writer) error {
	a, err := openApp(cfg, log)
	if err != nil {
		return err
	}
	defer a.close()

	password, err := a.web.EnsureAdmin(cfg.AdminPassword)
	if err != nil {
		return fmt.Errorf("create admin: %w", err)
	}
	if password != "" && cfg.AdminPassword == "" {
		fmt.Fprintf(stdout, "Tài khoản quản trị / admin account: admin / %s\n(mật khẩu chỉ hiện một lần / shown only once)\n", password)
	}
	// Nothing is uploading yet: every orphan and temporary file can go.
	if err := a.collectAudio(time.Now(), log); err != nil {
		return err
	}

	jobs, err := startJobs(a, cfg, log)
	if err != nil {
		return err
	}
	defer jobs.Shutdown()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           a.web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "Loa đang chạy tại / listening on %s://%s\n", scheme, ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "data", cfg.Data, "tls", cfg.TLSCert != "")
	if cfg.onListen != nil {
		cfg.onListen(fmt.Sprintf("%s://%s", scheme, ln.Addr()))
	}

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.hub.Run(ctx) })
	g.Go(func() error { return a.plan.Run(ctx) })
	g.Go(func() error {
		var err error
		if cfg.TLSCert != "" {
			err = srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			err = srv.Serve(ln)
		}
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		log.Info("shutting down")
		return srv.Shutdown(shutdownCtx)
	})
	return g.Wait()
}

// startJobs schedules the server's housekeeping.
func startJobs(a *app, cfg serveConfig, log *slog.Logger) (gocron.Scheduler, error) {
	s, err := gocron.NewScheduler()
	if err != nil {
		return nil, err
	}
	jobs := []struct {
		name    string
		every   time.Duration
		run     func(now time.Time) error
		atStart bool // also run once at start: a server restarted daily would never reach its first day
	}{
		{"expire-sessions", time.Hour, a.web.Housekeeping, false},
		{"collect-audio", 6 * time.Hour, func(now time.Time) error {
			return a.collectAudio(now.Add(-time.Hour), log) // spare uploads in progress
		}, false},
		{"retention", 24 * time.Hour, func(now time.Time) error { return a.applyRetention(cfg.retention(), now, log) }, true},
		{"check-alerts", time.Minute, func(now time.Time) error {
			return a.web.CheckAlerts(context.Background(), now) // each webhook try has its own timeout
		}, false},
	}
	for _, j := range jobs {
		opts := []gocron.JobOption{gocron.WithName(j.name)}
		if j.atStart {
			opts = append(opts, gocron.WithStartAt(gocron.WithStartImmediately()))
		}
		_, err := s.NewJob(gocron.DurationJob(j.every), gocron.NewTask(func() {
			if err := j.run(time.Now()); err != nil {
				log.Error("job failed", "job", j.name, "err", err)
			}
		}), opts...)
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", j.name, err)
		}
	}
	s.Start()
	return s, nil
}
