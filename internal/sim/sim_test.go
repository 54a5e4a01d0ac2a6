package sim

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// TestWardWeek simulates the ward's week over the quarter's end with a
// random operator: seed 1 by default, so that the suite's outcome never
// depends on the run. LOA_SIM_SEED replays another seed (random: a new one,
// printed); LOA_SIM_SEEDS runs that many seeds from it; LOA_SIM_STATIONS
// and LOA_SIM_DAYS size the ward; LOA_SIM_QUIET=1 turns the operator off,
// LOA_SIM_SKIP=clock_jump,link_drop keeps it from those actions;
// LOA_SIM_LOG=debug|info|warn shows the server's and agents' logs.
func TestWardWeek(t *testing.T) {
	seed := uint64(1)
	if os.Getenv("LOA_SIM_SEED") == "random" {
		seed = uint64(time.Now().UnixNano())%1_000_000 + 1 // short enough to type
	} else {
		seed = envUint(t, "LOA_SIM_SEED", seed)
	}
	seeds := envUint(t, "LOA_SIM_SEEDS", 1)
	stations := int(envUint(t, "LOA_SIM_STATIONS", 50))
	days := int(envUint(t, "LOA_SIM_DAYS", 7))
	if testing.Short() {
		stations, days = min(stations, 10), min(days, 2)
	}
	for i := range seeds {
		cfg := Config{Seed: seed + i, Stations: stations, Days: days, Start: DefaultStart(), Dir: t.TempDir(), Log: simLog(t),
			Quiet: os.Getenv("LOA_SIM_QUIET") != "", Skip: skipped()}
		runWeek(t, cfg)
	}
}

// runWeek runs one seed in a bubble and reports it.
func runWeek(t *testing.T, cfg Config) {
	t.Helper()
	wall, cpu := time.Now(), cpuTime()
	// A suite run with a short -timeout on a loaded machine ends the week
	// early (checked as at its end) rather than be killed: 3 min before
	// the deadline, measured on the real clock outside the bubble.
	var stop atomic.Bool
	if d, ok := t.Deadline(); ok {
		timer := time.AfterFunc(time.Until(d)-3*time.Minute, func() { stop.Store(true) })
		defer timer.Stop()
	}
	cfg.Stop = stop.Load
	var st Stats
	var err error
	synctest.Test(t, func(t *testing.T) {
		st, err = Run(context.Background(), cfg)
	})
	took, used := time.Since(wall), cpuTime()-cpu
	t.Logf("seed %d: %d stations × %d days in %.1f s wall, %.1f s CPU: %.1f station-days per wall second, %.1f per CPU second; %d steps, %d actions %v; %d planned items due, %d aired events, %d emergencies",
		cfg.Seed, cfg.Stations, cfg.Days, took.Seconds(), used.Seconds(), st.StationDays/took.Seconds(), st.StationDays/used.Seconds(),
		st.Steps, st.Actions, st.ByAction, st.Planned, st.Aired, st.Emergencies)
	if st.Stopped {
		t.Logf("seed %d: the test's deadline came first: the week ended early, %.1f station-days checked", cfg.Seed, st.StationDays)
		if st.StationDays < float64(cfg.Stations) { // less than one day of the ward: it proved nothing
			t.Errorf("seed %d: the week ended before one simulated day (%.1f station-days checked); give go test a longer -timeout", cfg.Seed, st.StationDays)
		}
	}
	if err != nil {
		for _, v := range st.Violations[min(1, len(st.Violations)):] {
			t.Log("also:", v)
		}
		t.Errorf("%v\nreplay: LOA_SIM_SEED=%d LOA_SIM_STATIONS=%d LOA_SIM_DAYS=%d go test ./internal/sim -run TestWardWeek -v",
			err, cfg.Seed, cfg.Stations, cfg.Days)
	}
}

func envUint(t *testing.T, name string, def uint64) uint64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: want a whole number", name, v)
	}
	return n
}

func simLog(t *testing.T) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(os.Getenv("LOA_SIM_LOG"))); err != nil || os.Getenv("LOA_SIM_LOG") == "" {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func isComma(r rune) bool { return r == ',' }

// skipped lists the operator actions left out: LOA_SIM_SKIP (comma-separated;
// "none", like unset, for none). Clock jumps are in the default week since
// the clock filter follows a step (TestClockOffsetFollowsAStep): seed 1,
// 50 × 7 with 28 jumps, passed on 07/12/2026.
func skipped() []string {
	switch v := os.Getenv("LOA_SIM_SKIP"); v {
	case "", "none":
		return nil
	default:
		return strings.FieldsFunc(v, isComma)
	}
}
