package sim

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"loa/broadcast/hub"
	"loa/internal/app"
	"loa/playlist/ingest"
	"loa/web"
)

// wardZone is the ward's zone: every station's, and the reports'.
const wardZone = "Asia/Ho_Chi_Minh"

// hubConfig is the link's tuning in the simulation: the defaults, but
// pings, status reports and presence writes less often, so that a week of
// 50 links costs seconds of wall time (each ping is a JSON frame both
// ways). The agent waits 90 s for a frame, so its pings stay below that.
func hubConfig() hub.Config {
	return hub.Config{PingInterval: 80 * time.Second, ReadTimeout: 4 * time.Minute, StatusInterval: 30 * time.Minute,
		PresenceFlush: 2 * time.Minute}
}

// server is the ward's server, assembled as `loa serve` assembles it (the
// composition root, internal/app, and the HTTP layer on it), on a data
// directory in dir, without fsync: the simulation does not lose power,
// and fsync would dominate its run time.
type server struct {
	*app.App
	web  *web.Server
	http *http.Server
}

func openServer(dir string, log *slog.Logger) (*server, error) {
	a, err := app.Open(app.Config{Data: dir, Ward: "Phường Mô Phỏng", Hub: hubConfig(), NoSync: true,
		Ingest: ingest.Config{FFmpeg: "off", TTS: "off"}}, log)
	if err != nil {
		return nil, err
	}
	w, err := web.New(web.Config{}, web.Deps{App: a, Log: log})
	if err != nil {
		a.Close()
		return nil, err
	}
	return &server{App: a, web: w}, nil
}

// run serves on ln until ctx ends; the hub and the planner run beside it.
func (s *server) run(ctx context.Context, ln *network, log *slog.Logger) <-chan error {
	s.http = &http.Server{Handler: s.web.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	done := make(chan error, 2)
	go func() { done <- s.App.Run(ctx) }()
	go func() {
		err := s.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
			err = nil
		}
		done <- err
	}()
	return done
}

func (s *server) close() error { return s.Close() }
