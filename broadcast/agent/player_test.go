package agent_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio/playback"
	"loa/broadcast/agent"
	"loa/broadcast/hub/agenttest"
	"loa/broadcast/protocol"
)

// offlineAgent runs an agent whose server never answers, with a playlist
// and its audio already in its cache, and a wall clock the test can set.
type offlineAgent struct {
	agent *agent.Agent
	store *agent.Store
	skew  atomic.Int64 // added to the real clock, ns
}

func startOffline(t *testing.T, playLate bool, skew time.Duration, items ...protocol.Item) *offlineAgent {
	t.Helper()
	st, cache := holdDay(t, items, short, silent)
	o := &offlineAgent{store: st}
	o.skew.Store(int64(skew))
	a, err := agent.New(agent.Config{
		Server: "http://127.0.0.1:1", Token: "t", PlayLate: playLate, BackoffMin: time.Second,
		Now: func() time.Time { return time.Now().Add(time.Duration(o.skew.Load())) },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, st, cache, func() (playback.Output, error) { return playback.NewNull(44100), nil })
	if err != nil {
		t.Fatal(err)
	}
	o.run(t, a)
	return o
}

// holdDay opens an agent's store and cache (closed when the test ends)
// holding the day of items, and in the cache the clips' audio.
func holdDay(t *testing.T, items []protocol.Item, clips ...agenttest.Clip) (*agent.Store, *agent.Cache) {
	t.Helper()
	data := t.TempDir()
	db, err := bbolt.Open(filepath.Join(data, "agent.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := agent.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := agent.NewCache(filepath.Join(data, "audio"))
	if err != nil {
		t.Fatal(err)
	}
	p := protocol.Playlist{Station: "tdp-05", Zone: "Asia/Ho_Chi_Minh", Version: 1, Items: items,
		Date: time.UnixMilli(items[0].StartMs).UTC().Format(time.DateOnly)}
	p.Hash = p.ComputeHash()
	if err := st.PutPlaylist(p); err != nil {
		t.Fatal(err)
	}
	for _, c := range clips {
		b, err := os.ReadFile(c.Path)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(cache.Path(sha(b)), b, 0o600)
	}
	return st, cache
}

// run runs a until the test ends (before the store closes).
func (o *offlineAgent) run(t *testing.T, a *agent.Agent) {
	o.agent = a
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

var silent = agenttest.Clip{Path: corpus + "mp3/digital-silence.mp3", Duration: 3 * time.Second}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// shortItem plays the 1.2 s clip at start (whose sha256 the cache holds).
func shortItem(t *testing.T, id string, start time.Time) protocol.Item {
	return clipItem(t, id, short, start)
}

func clipItem(t *testing.T, id string, clip agenttest.Clip, start time.Time) protocol.Item {
	b, err := os.ReadFile(clip.Path)
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Item{ID: id, Title: id, Level: protocol.LevelOrdinary, Kind: protocol.KindAudio,
		StartMs: start.UnixMilli(), DurationMs: clip.Duration.Milliseconds(), AudioSHA256: sha(b), AudioSize: int64(len(b))}
}

// waitJournal waits for n closed events in the journal, by item id.
func (o *offlineAgent) waitJournal(t *testing.T, n int) map[string]protocol.AiredEvent {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		evs, err := o.store.Pending(100)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) >= n {
			out := map[string]protocol.AiredEvent{}
			for _, e := range evs {
				out[e.ItemID] = e
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events journaled, want %d: %+v", len(evs), n, evs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestClockSetByNTPAfterBootReplansTheTimers(t *testing.T) {
	t.Parallel()
	planned := time.Now().Add(3 * time.Second).Truncate(time.Millisecond)
	// The box booted an hour behind: a countdown started now would fire an
	// hour late.
	o := startOffline(t, false, -time.Hour, shortItem(t, "a", planned))
	time.Sleep(time.Second)
	o.skew.Store(0) // NTP sets the clock
	e := o.waitJournal(t, 1)["a"]
	if e.Outcome != protocol.OutcomeCompleted {
		t.Fatalf("outcome %s (%s)", e.Outcome, e.Reason)
	}
	if d := time.UnixMilli(e.StartedMs).Sub(planned); d < -50*time.Millisecond || d > 200*time.Millisecond {
		t.Errorf("started %v from its planned instant after the clock jump", d)
	}
}

func TestLateStartReportsMissedUnlessConfigured(t *testing.T) {
	t.Parallel()
	now := time.Now()
	items := func() []protocol.Item {
		running := shortItem(t, "running", now.Add(-2*time.Second)) // its 5 s slot is still running
		running.DurationMs = 5000
		return []protocol.Item{shortItem(t, "over", now.Add(-5*time.Second)), running}
	}
	missed := startOffline(t, false, 0, items()...).waitJournal(t, 2)
	for _, id := range []string{"over", "running"} {
		if e := missed[id]; e.Outcome != protocol.OutcomeMissed || e.Reason != agent.ReasonAgentDown || e.StartedMs != 0 {
			t.Errorf("%s: %s/%s started %d, want missed/%s", id, e.Outcome, e.Reason, e.StartedMs, agent.ReasonAgentDown)
		}
	}
	late := startOffline(t, true, 0, items()...).waitJournal(t, 2)
	if e := late["over"]; e.Outcome != protocol.OutcomeMissed {
		t.Errorf("over: %s, want missed", e.Outcome)
	}
	if e := late["running"]; e.Outcome != protocol.OutcomeCompleted || e.StartedMs < now.UnixMilli() {
		t.Errorf("running with PlayLate: %s started %d, want completed, played late", e.Outcome, e.StartedMs)
	}
}

func TestSilentItemIsAFaultInTheStatus(t *testing.T) {
	t.Parallel()
	o := startOffline(t, false, 0, clipItem(t, "quiet", silent, time.Now().Add(time.Second)))
	if e := o.waitJournal(t, 1)["quiet"]; e.Outcome != protocol.OutcomeCompleted {
		t.Fatalf("outcome %s", e.Outcome)
	}
	if st := o.agent.Snapshot(); !slices.Contains(st.Faults, "output_silent") {
		t.Errorf("faults %v after a silent item, want output_silent", st.Faults)
	}
}
