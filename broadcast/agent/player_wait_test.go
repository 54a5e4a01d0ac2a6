package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio/playback"
	"loa/broadcast/protocol"
)

// The player's waits, on the virtual clock of a synctest bubble: hours of
// a station's day run in milliseconds, at a fixed instant in the ward
// whatever the machine's clock and zone.

const testdataAudio = "../../testdata/audio/"

var (
	wardZone = mustZone("Asia/Ho_Chi_Minh")
	jingle   = testClip{"mp3/very-short.mp3", 1200 * time.Millisecond}
	bulletin = testClip{"mp3/cbr128-stereo.mp3", 8 * time.Second}
)

type testClip struct {
	path     string
	duration time.Duration
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is an instant of Monday 7 December 2026 in the ward.
func at(hh, mm, ss int) time.Time { return time.Date(2026, 12, 7, hh, mm, ss, 0, wardZone) }

// bubbleAgent is an agent whose clock reads a ward instant chosen by the
// test, with its player running on the real store, cache and playback
// pipeline into a null output that notes when each item's audio begins.
// The test hands it playlists and commands where its link would.
type bubbleAgent struct {
	a     *Agent
	out   *notingOutput
	shift atomic.Int64 // agent clock − bubble clock, ns; a test may set it (NTP)
	day   protocol.Playlist
}

// startBubbleAgent runs inside a synctest bubble (or, for benchmarks, on
// the real clock). now is where the agent's clock stands; the day's
// playlist holds items.
func startBubbleAgent(t testing.TB, now time.Time, items ...protocol.Item) *bubbleAgent {
	t.Helper()
	return startAgentWith(t, now, func(*Config) {}, items...)
}

// startAgentWith is startBubbleAgent with a configuration tuned by tune.
func startAgentWith(t testing.TB, now time.Time, tune func(*Config), items ...protocol.Item) *bubbleAgent {
	t.Helper()
	b := newTestAgent(t, now, tune, items...)
	b.run(t, b.a.playLoop)
	return b
}

// newTestAgent builds the agent of startAgentWith without running it.
func newTestAgent(t testing.TB, now time.Time, tune func(*Config), items ...protocol.Item) *bubbleAgent {
	t.Helper()
	data := t.TempDir()
	db, err := bbolt.Open(filepath.Join(data, "agent.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := NewCache(filepath.Join(data, "audio"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []testClip{jingle, bulletin} {
		b, err := os.ReadFile(testdataAudio + c.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cache.Path(shaOf(b)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b := &bubbleAgent{}
	b.shift.Store(int64(now.Sub(time.Now())))
	b.out = &notingOutput{Null: playback.NewNull(44100), clock: b.now}
	cfg := Config{
		Server: "http://127.0.0.1:1", Token: "t", DataDir: data,
		Now: b.now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	tune(&cfg)
	b.a, err = New(cfg, st, cache, func() (playback.Output, error) { return b.out, nil })
	if err != nil {
		t.Fatal(err)
	}
	b.a.station = "tdp-05"
	b.day = protocol.Playlist{Station: "tdp-05", Date: now.In(wardZone).Format(time.DateOnly), Zone: wardZone.String()}
	b.deliver(t, items...)
	t.Cleanup(func() { db.Close() })
	return b
}

// run runs loop (the player, or the whole agent) until the test ends.
func (b *bubbleAgent) run(t testing.TB, loop func(context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- loop(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent: %v", err)
		}
	})
}

func (b *bubbleAgent) now() time.Time { return time.Now().Add(time.Duration(b.shift.Load())) }

// setClock sets the agent's clock to t, as NTP would.
func (b *bubbleAgent) setClock(t time.Time) { b.shift.Store(int64(t.Sub(time.Now()))) }

// sleepUntil lets the bubble's clock run to the ward instant t.
func (b *bubbleAgent) sleepUntil(t time.Time) {
	time.Sleep(t.Sub(b.now()))
	synctest.Wait()
}

// deliver stores the day's next playlist version as the link does.
func (b *bubbleAgent) deliver(t testing.TB, items ...protocol.Item) {
	t.Helper()
	b.day.Version++
	b.day.Items = items
	b.day.Hash = b.day.ComputeHash()
	p := b.day
	if err := b.a.receivePlaylist(&p); err != nil {
		t.Fatal(err)
	}
}

// command hands a command to the player as the link does.
func (b *bubbleAgent) command(c protocol.Command) { b.a.commands <- c }

// journal returns the closed events by item id.
func (b *bubbleAgent) journal(t *testing.T) map[string]protocol.AiredEvent {
	t.Helper()
	evs, err := b.a.store.Pending(1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]protocol.AiredEvent{}
	for _, e := range evs {
		out[e.ItemID] = e
	}
	return out
}

// journaled reports whether the scheduled item it has an entry, open or
// closed.
func (b *bubbleAgent) journaled(it protocol.Item) bool { return b.a.store.Handled(scheduledID(it)) }

func testItem(t testing.TB, id string, c testClip, start time.Time) protocol.Item {
	t.Helper()
	raw, err := os.ReadFile(testdataAudio + c.path)
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Item{ID: id, Title: id, Level: protocol.LevelOrdinary, Kind: protocol.KindAudio,
		StartMs: start.UnixMilli(), DurationMs: c.duration.Milliseconds(), AudioSHA256: shaOf(raw), AudioSize: int64(len(raw))}
}

func emergencyCommand(t testing.TB, id string, c testClip, now time.Time) protocol.Command {
	it := testItem(t, "storm-"+id, c, now)
	it.Level = protocol.LevelEmergency
	return protocol.Command{ID: id, Kind: protocol.CommandEmergencyPlay, Item: &it, Repeat: 1,
		ExpiresMs: now.Add(10 * time.Minute).UnixMilli()}
}

func shaOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// notingOutput is the null output (paced in real time, which in a bubble
// is the virtual clock) noting, on the agent's clock, when each item's
// first audio was written.
type notingOutput struct {
	*playback.Null
	clock func() time.Time

	mu      sync.Mutex
	current string
	began   map[string]time.Time
}

func (o *notingOutput) Begin(name string) error {
	o.mu.Lock()
	o.current = name
	o.mu.Unlock()
	return o.Null.Begin(name)
}

func (o *notingOutput) Write(pcm []byte) (int, error) {
	o.mu.Lock()
	if o.began == nil {
		o.began = map[string]time.Time{}
	}
	if _, ok := o.began[o.current]; !ok {
		o.began[o.current] = o.clock()
	}
	o.mu.Unlock()
	return o.Null.Write(pcm)
}

// audioBegan is when the named item's first audio reached the output.
func (o *notingOutput) audioBegan(name string) (time.Time, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.began[name]
	return t, ok
}

// The demo's morning (issue 14): the agent holds a day whose next item is
// the 17:30 jingle; at 06:38 an approval rebuilds the playlist with an item
// at 06:39:09, at 06:39 a slot is added at 06:55, at 06:41 an emergency
// comes. Everything airs on time and the jingle is journaled only at 17:30.
func TestPlaylistChangeWhileWaitingHoursReplans(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jingle1730 := testItem(t, "jingle", jingle, at(17, 30, 0))
		b := startBubbleAgent(t, at(6, 37, 50), jingle1730)
		b.sleepUntil(at(6, 38, 0))

		approved := testItem(t, "approved", bulletin, at(6, 39, 9))
		b.deliver(t, approved, jingle1730)
		synctest.Wait()
		if b.journaled(jingle1730) {
			t.Error("the 17:30 jingle was journaled at 06:38")
		}
		b.sleepUntil(at(6, 39, 0))
		slot := testItem(t, "slot", bulletin, at(6, 55, 0))
		b.deliver(t, approved, slot, jingle1730)

		b.sleepUntil(at(6, 41, 0))
		sent := b.now()
		b.command(emergencyCommand(t, "em-1", jingle, sent))
		b.sleepUntil(at(7, 0, 0))

		j := b.journal(t)
		for _, it := range []protocol.Item{approved, slot} {
			e := j[it.ID]
			if e.Outcome != protocol.OutcomeCompleted {
				t.Errorf("%s: %q (%s), want completed", it.ID, e.Outcome, e.Reason)
				continue
			}
			if d := e.StartedMs - it.StartMs; d < 0 || d > 100 {
				t.Errorf("%s started %d ms after its instant", it.ID, d)
			}
		}
		if began, ok := b.out.audioBegan("storm-em-1"); !ok || began.Sub(sent) > 100*time.Millisecond {
			t.Errorf("emergency sent at 06:41 while idle: audio began %v (ok %v)", began.Sub(sent), ok)
		}
		if b.journaled(jingle1730) {
			t.Error("the 17:30 jingle was journaled before 07:00")
		}
		b.sleepUntil(at(17, 29, 59))
		if b.journaled(jingle1730) {
			t.Fatal("the 17:30 jingle was journaled before 17:29:59")
		}
		b.sleepUntil(at(17, 31, 0))
		if e := b.journal(t)["jingle"]; e.Outcome != protocol.OutcomeCompleted || e.StartedMs < jingle1730.StartMs {
			t.Errorf("jingle: %q started %d, want completed at %d", e.Outcome, e.StartedMs, jingle1730.StartMs)
		}
	})
}
