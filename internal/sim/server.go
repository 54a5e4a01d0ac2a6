package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"

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

// server is the ward's server, assembled as `loa serve` assembles it, on
// one bbolt file in dir (without fsync: the simulation does not lose
// power, and fsync would dominate its run time).
type server struct {
	db      *bbolt.DB
	lib     *library.Store
	st      *stations.Store
	led     *ledger.Store
	pls     *playlist.Store
	hub     *hub.Hub
	planner *playlist.Planner
	web     *web.Server
	reports *report.Builder
	zone    *time.Location
	http    *http.Server
}

func openServer(dir string, log *slog.Logger) (*server, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	db, err := bbolt.Open(filepath.Join(dir, "loa.db"), 0o600, &bbolt.Options{NoSync: true, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("open server database: %w", err)
	}
	s := &server{db: db}
	if err := s.open(dir, log); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *server) open(dir string, log *slog.Logger) error {
	var err error
	if s.zone, err = time.LoadLocation(wardZone); err != nil {
		return err
	}
	if s.lib, err = library.Open(s.db); err != nil {
		return err
	}
	blobs, err := audio.OpenBlobs(filepath.Join(dir, "audio"))
	if err != nil {
		return err
	}
	if s.st, err = stations.Open(s.db); err != nil {
		return err
	}
	if s.led, err = ledger.Open(s.db); err != nil {
		return err
	}
	if s.pls, err = playlist.Open(s.db); err != nil {
		return err
	}
	s.web, err = web.New(web.Config{FFmpeg: "off", TTS: "off"}, web.Deps{DB: s.db, Library: s.lib, Blobs: blobs, Log: log})
	if err != nil {
		return err
	}
	if s.hub, err = hub.New(hubConfig(), s.st, s.led, hub.PlaylistStore{Store: s.pls, Zone: s.zone}, log); err != nil {
		return err
	}
	s.web.SetStationLink(&web.StationLink{Stations: s.st, Hub: s.hub, Audio: func(sha string) (io.ReadSeekCloser, time.Time, error) {
		f, err := blobs.Open(sha)
		if err != nil {
			return nil, time.Time{}, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, time.Time{}, err
		}
		return f, fi.ModTime(), nil
	}})
	lv, err := live.Open(s.db)
	if err != nil {
		return err
	}
	s.web.SetLive(lv)
	s.openPlanner(log)
	s.reports = &report.Builder{Ledger: s.led, Plan: report.PlaylistPlan{Store: s.pls, Stations: report.StationIDs(s.st)}}
	s.web.SetReports(&web.Reports{Builder: s.reports,
		Directory: func() (report.Directory, error) { return report.DirectoryOf("Phường Mô Phỏng", s.st, s.lib) }})
	return nil
}

// openPlanner wires the planner as the server does: the enabled stations,
// the approved library; a station's change rebuilds it, a new version is
// published to its agent.
func (s *server) openPlanner(log *slog.Logger) {
	src := playlist.Sources{Stations: s.plannerStations, Segments: s.lib.Approved}
	cfg := playlist.DefaultPlannerConfig(s.zone)
	// Changes are rebuilt within 5 s, not 1 s: each tick of gocron's job
	// costs tens of microseconds, a fifth of a quiet simulated day.
	cfg.Coalesce = 5 * time.Second
	s.planner = playlist.NewPlanner(s.pls, src, cfg, func(ids []string) {
		s.web.CountPublished(len(ids))
		for _, id := range ids {
			s.hub.Publish(id)
		}
	}, log)
	s.st.OnChange(func(c stations.Change) {
		if c.Kind == stations.Updated {
			s.planner.Changed(c.StationID)
		}
	})
	s.web.SetSchedules(&web.Schedules{Store: s.pls, Planner: s.planner})
}

func (s *server) plannerStations() ([]playlist.Station, error) {
	all, err := s.st.Stations()
	if err != nil {
		return nil, err
	}
	out := make([]playlist.Station, 0, len(all))
	for _, st := range all {
		if st.Enabled {
			out = append(out, playlist.Station{ID: st.ID, Groups: st.Groups, Zone: s.zone})
		}
	}
	return out, nil
}

// run serves on ln until ctx ends; the hub and the planner run beside it.
func (s *server) run(ctx context.Context, ln *network, log *slog.Logger) <-chan error {
	s.http = &http.Server{Handler: s.web.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	done := make(chan error, 3)
	go func() { done <- s.hub.Run(ctx) }()
	go func() { done <- s.planner.Run(ctx) }()
	go func() {
		err := s.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
			err = nil
		}
		done <- err
	}()
	return done
}

func (s *server) close() error { return s.db.Close() }
