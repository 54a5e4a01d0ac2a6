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
	"time"

	"github.com/go-co-op/gocron/v2"
	"golang.org/x/sync/errgroup"

	"loa/internal/app"
	"loa/playlist/ingest"
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

// server is the running server: every part, opened from the data
// directory by the composition root (internal/app), and the HTTP layer on
// them.
type server struct {
	*app.App
	web *web.Server
}

// openApp opens (or creates) the data directory and builds the server on
// it.
func openApp(cfg serveConfig, log *slog.Logger) (*server, error) {
	a, err := app.Open(cfg.app(), log)
	if err != nil {
		return nil, err
	}
	w, err := web.New(cfg.web(), web.Deps{App: a})
	if err != nil {
		a.Close()
		return nil, err
	}
	return &server{App: a, web: w}, nil
}

// app is the parts' configuration.
func (c serveConfig) app() app.Config {
	return app.Config{Data: c.Data, Ward: c.Ward, Freeze: c.freeze,
		Ingest: ingest.Config{TargetLUFS: c.TargetLUFS, FFmpeg: c.FFmpeg, TTS: c.TTS, TTSChime: c.TTSChime, TTSAbbrev: c.TTSAbbrev,
			MaxDuration: time.Duration(c.MaxAudioMin) * time.Minute}}
}

// web is the HTTP layer's configuration.
func (c serveConfig) web() web.Config {
	return web.Config{
		MaxUploadBytes: int64(c.MaxUploadMB) << 20,
		TargetLUFS:     c.TargetLUFS,
		TrustedProxies: c.Proxies,
		Public:         web.PublicConfig{Path: c.PublicPath, URL: c.PublicURL, FrameAncestors: c.PublicFrameAncestors, Ward: c.Ward},
		Alerts: web.AlertConfig{
			Webhook:      c.AlertWebhook,
			OfflineAfter: time.Duration(c.AlertOfflineMinutes) * time.Minute,
			DiskLowBytes: int64(c.AlertDiskLowMB) << 20,
			OverdueGrace: time.Duration(c.AlertOverdueGraceSeconds) * time.Second,
			PlayWithin:   time.Duration(c.AlertPlayWithinSeconds) * time.Second,
		},
	}
}

func (a *server) close() error { return a.Close() }

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
	warnReportSettings(a.App, cfg.Ward, stdout)
	// Nothing is uploading yet: every orphan and temporary file can go.
	if err := a.CollectAudio(time.Now()); err != nil {
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
	g.Go(func() error { return a.Run(ctx) })
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
func startJobs(a *server, cfg serveConfig, log *slog.Logger) (gocron.Scheduler, error) {
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
			return a.CollectAudio(now.Add(-time.Hour)) // spare uploads in progress
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
