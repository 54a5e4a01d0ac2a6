// Command loa-agent is the program on each speaker station: it plays the
// station's playlists on time through the amplifier, keeps playing from its
// cache when the ward server cannot be reached, and reports what aired.
//
//	loa-agent --server https://loa.phuong.example --token-file /etc/loa-agent/token \
//	          --data /var/lib/loa-agent --output speaker
//
// Every flag has a LOA_AGENT_* environment variable (flags win). Pass the
// token through LOA_AGENT_TOKEN or a file: a --token on the command line is
// visible to every user in ps. It must not link the server's code (web,
// stations, playlist, broadcast/hub, broadcast/ledger).
//
//loa:deps loa/audio/... loa/broadcast/agent loa/broadcast/protocol loa/internal/boltstore
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio/playback"
	"loa/broadcast/agent"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv)
	if errors.Is(err, errHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loa-agent:", err)
		os.Exit(2)
	}
	if cfg.showVersion {
		fmt.Println("loa-agent", version)
		return
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("loa-agent stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, log *slog.Logger) error {
	if err := os.MkdirAll(cfg.data, 0o750); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	db, err := bbolt.Open(filepath.Join(cfg.data, "agent.db"), 0o600, &bbolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return fmt.Errorf("open %s (is another loa-agent running?): %w", filepath.Join(cfg.data, "agent.db"), err)
	}
	defer db.Close()
	st, err := agent.Open(db)
	if err != nil {
		return err
	}
	cache, err := agent.NewCache(filepath.Join(cfg.data, "audio"))
	if err != nil {
		return err
	}
	open := func() (playback.Output, error) { return openOutput(cfg.output, cfg.rate, log) }
	a, err := agent.New(agent.Config{
		Server: cfg.server, Token: cfg.token, DataDir: cfg.data, Version: version,
		PlayLate: cfg.playLate, RelayNoStream: cfg.relayNoStream, RelayDeadAir: cfg.relayDeadAir, Log: log,
	}, st, cache, open)
	if err != nil {
		return err
	}
	log.Info("loa-agent starting", "version", version, "server", cfg.server, "output", cfg.output, "data", cfg.data)
	return a.Run(ctx)
}

// openOutput opens "speaker" (ALSA; aplay in a build without cgo) or one of
// playback's outputs.
func openOutput(spec string, rate int, log *slog.Logger) (playback.Output, error) {
	if spec == "speaker" || len(spec) > 8 && spec[:8] == "speaker:" {
		device := ""
		if len(spec) > 8 {
			device = spec[8:]
		}
		return openSpeaker(device, rate, log)
	}
	return playback.Open(spec, rate, log)
}
