package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// runPlaylist prints what a station was told to play on a local day — each
// item's start, length, gain and the reason it is there, then what was left
// out and why — from a running server (the server holds the database).
func runPlaylist(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var env envDefaults
	fs := flag.NewFlagSet("loa playlist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", env.str("LOA_SERVER", "http://"+DefaultAddr), "the server's URL (LOA_SERVER)")
	user := fs.String("user", env.str("LOA_USER", "admin"), "an account (LOA_USER); the password comes from LOA_PASSWORD")
	version := fs.Uint64("version", 0, "show this version of the day instead of the latest")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loa playlist [flags] STATION [DATE]   (DATE: dd/mm/yyyy or yyyy-mm-dd, default today)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitFlagErr(err)
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return 2
	}
	day, err := playlistDay(fs.Arg(1), time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "loa playlist:", err)
		return 2
	}
	password := os.Getenv("LOA_PASSWORD")
	if password == "" {
		fmt.Fprintln(stderr, "loa playlist: set LOA_PASSWORD to the password of", *user)
		return 2
	}
	if err := printPlaylist(ctx, *server, *user, password, fs.Arg(0), day, *version, stdout); err != nil {
		fmt.Fprintln(stderr, "loa playlist:", err)
		return 1
	}
	return 0
}

// playlistDay reads the DATE argument; empty means today in the ward's zone.
func playlistDay(arg string, now time.Time) (library.Date, error) {
	if arg != "" {
		return library.ParseDate(arg)
	}
	return ward.DayOf(now, ward.Zone()), nil
}

func printPlaylist(ctx context.Context, server, user, password, station string, day library.Date, version uint64, out io.Writer) error {
	c, err := signIn(ctx, server, user, password)
	if err != nil {
		return err
	}
	u := fmt.Sprintf("%s/api/playlists/%s/%s?format=text", c.server, url.PathEscape(station), day)
	if version > 0 {
		u += fmt.Sprintf("&version=%d", version)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := apiError(resp); err != nil {
		return fmt.Errorf("%s %s: %w", station, day, err)
	}
	_, err = io.Copy(out, resp.Body)
	return err
}

// openPlanner makes the playlist planner on the server's stores: stations
// from the registry (enabled ones, in their own zones), segments from the
// library, what aired from the ledger; publish is called for every station
// that got a new playlist version (the hub's Publish). A station edited in
// the registry (groups, zone) is rebuilt at once. Run the returned planner
// with Run(ctx) beside the server, and give the Schedules to the web layer.
func openPlanner(pls *playlist.Store, lib *library.Store, st *stations.Store, led *ledger.Store,
	cfg playlist.PlannerConfig, publish func(stationID string), log *slog.Logger) (*playlist.Planner, playlist.History) {
	h := &ledgerHistory{led: led, now: time.Now}
	src := playlist.Sources{Stations: plannerStations(st, log), Segments: lib.Approved, History: h}
	notify := func(ids []string) {
		for _, id := range ids {
			publish(id)
		}
	}
	p := playlist.NewPlanner(pls, src, cfg, notify, log)
	st.OnChange(func(c stations.Change) {
		if c.Kind == stations.Updated {
			p.Changed(c.StationID)
		}
	})
	return p, h
}

// plannerStations lists the enabled stations as the planner sees them. A
// station whose zone does not load is logged and left out.
func plannerStations(st *stations.Store, log *slog.Logger) func() ([]playlist.Station, error) {
	return func() ([]playlist.Station, error) {
		all, err := st.Stations()
		if err != nil {
			return nil, err
		}
		out := make([]playlist.Station, 0, len(all))
		for _, s := range all {
			if !s.Enabled {
				continue
			}
			zone, err := time.LoadLocation(s.Zone)
			if err != nil {
				log.Error("station zone", "station", s.ID, "zone", s.Zone, "err", err)
				continue
			}
			out = append(out, playlist.Station{ID: s.ID, Groups: s.Groups, Zone: zone})
		}
		return out, nil
	}
}

// ledgerHistory answers the planner's "what aired" from the ledger. A build
// asks the same two windows for every station, so each window is scanned
// once and kept for a minute.
type ledgerHistory struct {
	led *ledger.Store
	now func() time.Time

	mu    sync.Mutex
	cache map[[2]int64]airedWindow
}

type airedWindow struct {
	at        time.Time
	byStation map[string]map[uint64]playlist.AiredStat
}

const historyTTL = time.Minute

// Aired implements playlist.History. A play counts when it completed, or
// when an emergency interrupted it after half its length.
func (h *ledgerHistory) Aired(station string, from, to time.Time) (map[uint64]playlist.AiredStat, error) {
	key := [2]int64{from.UnixMilli(), to.UnixMilli()}
	h.mu.Lock()
	defer h.mu.Unlock()
	if w, ok := h.cache[key]; ok && h.now().Sub(w.at) < historyTTL {
		return w.byStation[station], nil
	}
	w := airedWindow{at: h.now(), byStation: map[string]map[uint64]playlist.AiredStat{}}
	err := h.led.Between(from, to, func(e ledger.Event) error {
		id, err := strconv.ParseUint(e.SegmentID, 10, 64)
		if err != nil || e.CommandID != "" || !aired(e) {
			return nil // emergencies and jingle-less relays are not rotated
		}
		m := w.byStation[e.StationID]
		if m == nil {
			m = map[uint64]playlist.AiredStat{}
			w.byStation[e.StationID] = m
		}
		a := m[id]
		a.Count++
		if e.Started.After(a.Last) {
			a.Last = e.Started
		}
		m[id] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("aired from the ledger: %w", err)
	}
	if h.cache == nil || len(h.cache) > 16 {
		h.cache = map[[2]int64]airedWindow{}
	}
	h.cache[key] = w
	return w.byStation[station], nil
}

func aired(e ledger.Event) bool {
	switch e.Outcome {
	case protocol.OutcomeCompleted:
		return true
	case protocol.OutcomeInterrupted:
		return e.Played*2 >= e.Duration
	}
	return false
}
