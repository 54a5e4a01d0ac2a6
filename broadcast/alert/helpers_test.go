package alert

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/hub"
	"loa/broadcast/ledger"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// testWard is a server's stores on a real bbolt file and a real hub (not
// serving: presence comes from the store, as after a restart).
type testWard struct {
	db    *bbolt.DB
	st    *stations.Store
	led   *ledger.Store
	pls   *playlist.Store
	hub   *hub.Hub
	clock func() time.Time // the hub's; nil: the wall clock
}

// newTestWard opens the stores; seed fills them before the hub starts
// (the hub reads the stored presence when it is made).
func newTestWard(tb testing.TB, seed func(*testWard)) *testWard {
	tb.Helper()
	db, err := bbolt.Open(filepath.Join(tb.TempDir(), "loa.db"), 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	w := &testWard{db: db}
	must(tb, func() (err error) { w.st, err = stations.Open(db); return })
	must(tb, func() (err error) { w.led, err = ledger.Open(db); return })
	must(tb, func() (err error) { w.pls, err = playlist.Open(db); return })
	if seed != nil {
		seed(w)
	}
	must(tb, func() (err error) {
		w.hub, err = hub.New(hub.Config{Now: w.clock}, w.st, w.led, nil, slog.New(slog.DiscardHandler))
		return
	})
	return w
}

func must(tb testing.TB, f func() error) {
	tb.Helper()
	if err := f(); err != nil {
		tb.Fatal(err)
	}
}

func (w *testWard) checker(cfg Config) *Checker {
	return New(cfg, Sources{Stations: w.st, Hub: w.hub, Ledger: w.led, Plans: w.pls}, nil)
}

// addStation sets up an enabled station created a week before now and
// returns its token.
func (w *testWard) addStation(tb testing.TB, id string, now time.Time) string {
	tb.Helper()
	_, token, err := w.st.Create(stations.Station{ID: id, Name: "Tổ " + id, Zone: stations.DefaultZone, Enabled: true}, now.AddDate(0, 0, -7))
	if err != nil {
		tb.Fatal(err)
	}
	return token
}

// serve runs the hub's agent link on loopback and returns its URL.
func (w *testWard) serve(tb testing.TB) string {
	mux := http.NewServeMux()
	mux.Handle("GET /agent/v1/link", w.hub)
	srv := httptest.NewServer(mux)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.hub.Run(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done; srv.Close() })
	return srv.URL
}

// heard stores that the station was last heard from at t.
func (w *testWard) heard(tb testing.TB, id string, t time.Time) {
	tb.Helper()
	must(tb, func() error { return w.st.PutPresence(stations.Presence{StationID: id, LastSeen: t, StatusAt: t}) })
}

// plan stores one playlist per ward day for the items (id prefix, title
// and start), each lasting dur.
func (w *testWard) plan(tb testing.TB, station string, dur time.Duration, starts ...time.Time) []playlist.Item {
	tb.Helper()
	byDay := map[library.Date][]playlist.Item{}
	var items []playlist.Item
	for i, at := range starts {
		it := playlist.Item{ID: fmt.Sprintf("%d-%d", at.UnixMilli(), i+1), SegmentID: uint64(i + 1), Title: fmt.Sprintf("Bản tin %d", i+1),
			Level: library.LevelOrdinary, Kind: "audio", StartMs: at.UnixMilli(), DurationMs: dur.Milliseconds()}
		d := ward.DayOf(at, ward.Zone())
		byDay[d] = append(byDay[d], it)
		items = append(items, it)
	}
	var pls []playlist.Playlist
	for d, its := range byDay {
		pls = append(pls, playlist.Playlist{Station: station, Date: d, Zone: stations.DefaultZone, BuiltAt: starts[0].Add(-24 * time.Hour), Items: its})
	}
	must(tb, func() error { _, _, err := w.pls.SavePlaylists(pls); return err })
	return items
}

// aired records that the station reported the item, with an outcome.
func (w *testWard) aired(tb testing.TB, station string, it playlist.Item, outcome string) {
	tb.Helper()
	start := time.UnixMilli(it.StartMs)
	e := ledger.Event{StationID: station, ID: "ev-" + it.ID, ItemID: it.ID, Title: it.Title, Duration: time.Duration(it.DurationMs) * time.Millisecond,
		Planned: start, Outcome: outcome, Received: start.Add(time.Duration(it.DurationMs) * time.Millisecond)}
	if outcome == "completed" {
		e.Started, e.Ended, e.Played = start, e.Received, e.Duration
	}
	must(tb, func() error { _, err := w.led.Record([]ledger.Event{e}); return err })
}

// byID indexes alerts by id.
func byID(alerts []Alert) map[string]Alert {
	out := map[string]Alert{}
	for _, a := range alerts {
		out[a.ID] = a
	}
	return out
}
