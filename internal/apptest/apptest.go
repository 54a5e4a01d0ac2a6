// Package apptest builds Loa's parts for tests the way `loa serve` does
// (internal/app.Open), on a real bbolt file and a real audio store in a
// temporary directory, with what tests want different from a ward's
// server: no ffmpeg and a quiet log. Like ntfy's
// newTestServer(t, newTestConfig(t)), a test takes the Config, changes what
// it needs and opens it:
//
//	cfg := apptest.Config(t)
//	cfg.Playlists = plans // what the hub sends, instead of the store's
//	a := apptest.Open(t, cfg)
//
// The HTTP layer's tests put web.New on top (web's helpers_test.go).
//
//loa:forbid loa/web/...
package apptest

import (
	"context"
	"log/slog"
	"testing"

	"loa/internal/app"
	"loa/playlist/ingest"
)

// Ward is the ward's name in tests, as the reports' headings show it.
const Ward = "Phường An Phú"

// Config is a test's configuration: a fresh data directory of its own,
// conversion through ffmpeg off.
func Config(t testing.TB) app.Config {
	return app.Config{Data: t.TempDir(), Ward: Ward, Ingest: ingest.Config{FFmpeg: "off"}}
}

// Open opens the parts on cfg and runs the agent hub until the test ends
// (the planner is not run: tests build playlists when they mean to).
func Open(t testing.TB, cfg app.Config) *app.App {
	t.Helper()
	a, err := app.Open(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Hub.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	return a
}

// Prepare opens the parts on cfg, lets fill put what a test needs in them
// and closes them again: a data directory for a command that opens it
// itself (loa report, loa doctor).
func Prepare(t testing.TB, cfg app.Config, fill func(a *app.App) error) {
	t.Helper()
	a, err := app.Open(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	err = fill(a)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}
