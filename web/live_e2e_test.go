package web

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.etcd.io/bbolt"

	"loa/audio/playback"
	"loa/broadcast/agent"
	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/apptest"
	"loa/stations"
)

// A live broadcast end to end: a real server (bbolt in a temp dir, hub,
// ledger), real agents playing to wav outputs, and the audio going from
// the operator's socket through the server to the agents' outputs.

// liveRig is a server with live broadcasting and its agents.
type liveRig struct {
	ts      *testServer
	led     *ledger.Store
	admin   *client
	outputs map[string]*onsetOutput // by station
}

func newLiveRig(t *testing.T, stations ...string) *liveRig {
	t.Helper()
	return newLiveRigPlanned(t, nil, stations...)
}

// newLiveRigPlanned is newLiveRig whose hub sends the stations the
// playlists plans holds (nil: none).
func newLiveRigPlanned(t *testing.T, plans *livePlans, ids ...string) *liveRig {
	t.Helper()
	cfg := apptest.Config(t)
	if plans != nil {
		cfg.Playlists = plans
	}
	ts := newTestServerWith(t, cfg)
	led := ts.app.Ledger
	rig := &liveRig{ts: ts, led: led, admin: liveAdmin(t, ts), outputs: map[string]*onsetOutput{}}
	for _, id := range ids {
		token := ts.createStation(t, rig.admin, id)
		rig.outputs[id] = rig.runAgent(t, id, token)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, id := range ids {
		for !ts.web.link.Hub.Online(id) {
			if time.Now().After(deadline) {
				t.Fatalf("agent %s never came online", id)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return rig
}

// runAgent runs a real agent for station whose output is a wav output
// wrapped to note when loud audio reaches it.
func (rig *liveRig) runAgent(t *testing.T, station, token string) *onsetOutput {
	t.Helper()
	data := t.TempDir()
	db, err := bbolt.Open(filepath.Join(data, "agent.db"), 0o600, &bbolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st, err := agent.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := agent.NewCache(filepath.Join(data, "audio"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil)).With("agent", station)
	}
	out := &onsetOutput{}
	a, err := agent.New(agent.Config{Server: rig.ts.URL, Token: token, DataDir: data, Version: "test", Log: log,
		BackoffMin: 100 * time.Millisecond, BackoffMax: 500 * time.Millisecond},
		st, cache, func() (playback.Output, error) {
			wav, err := playback.NewWAV(filepath.Join(data, "out"), 44100)
			out.set(wav)
			return out, err
		})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent %s: %v", station, err)
		}
		db.Close()
	})
	return out
}

// onsetOutput is the agent's real wav output with one addition: it notes
// the wall time at which each burst of loud audio (after at least 300 ms
// of quiet) is handed to it — the moment a speaker would get it.
type onsetOutput struct {
	playback.Output
	mu     sync.Mutex
	quiet  int // chunks of quiet in a row
	onsets []time.Time
	loud   int // loud chunks in all
}

func (o *onsetOutput) set(out playback.Output) { o.Output = out }

func (o *onsetOutput) Write(pcm []byte) (int, error) {
	at := time.Now()
	peak := 0.0
	for i := 0; i+1 < len(pcm); i += 2 {
		peak = max(peak, math.Abs(float64(int16(binary.LittleEndian.Uint16(pcm[i:])))/32768))
	}
	o.mu.Lock()
	if peak > 0.1 {
		if o.quiet >= 30 {
			o.onsets = append(o.onsets, at)
		}
		o.quiet = 0
		o.loud++
	} else {
		o.quiet++
	}
	o.mu.Unlock()
	return o.Output.Write(pcm)
}

func (o *onsetOutput) heard() (onsets []time.Time, loud int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.onsets), o.loud
}

// waitHeard waits until every output has heard n bursts.
func (rig *liveRig) waitHeard(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for id, o := range rig.outputs {
		for {
			if on, _ := o.heard(); len(on) >= n {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("station %s did not play the live audio", id)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// latencies pairs each burst an output heard with the latest burst the
// microphone side sent before it.
func (rig *liveRig) latencies(sent []time.Time) []time.Duration {
	var out []time.Duration
	for _, o := range rig.outputs {
		heard, _ := o.heard()
		for _, h := range heard {
			i, _ := slices.BinarySearchFunc(sent, h, func(s, h time.Time) int { return s.Compare(h) })
			if i > 0 {
				out = append(out, h.Sub(sent[i-1]))
			}
		}
	}
	slices.Sort(out)
	return out
}

// liveEvents waits for every station's aired event of the live session.
func (rig *liveRig) liveEvents(t *testing.T, id string) map[string]ledger.Event {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := map[string]ledger.Event{}
		err := rig.led.Between(time.Now().Add(-time.Hour), time.Now().Add(time.Hour), func(e ledger.Event) error {
			if e.ItemID == id {
				got[e.StationID] = e
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == len(rig.outputs) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("aired events of %s: %d of %d stations", id, len(got), len(rig.outputs))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkAired checks what a live session left: a completed aired event per
// station, as long as what the stations played, and an approved segment
// the session resolves to.
func (rig *liveRig) checkAired(t *testing.T, id, title string) {
	t.Helper()
	for station, e := range rig.liveEvents(t, id) {
		if e.Outcome != protocol.OutcomeCompleted || e.Title != title || e.Level != protocol.LevelEmergency ||
			e.CommandID == "" || e.Played < time.Second || e.Duration != e.Played || e.Kind != protocol.KindLive {
			t.Errorf("%s: aired event %+v", station, e)
		}
	}
	var view liveView
	if resp := rig.admin.json("GET", "/api/live/"+id, nil, &view); resp.StatusCode != 200 || view.SegmentID == 0 {
		t.Fatalf("live view %s %+v", resp.Status, view)
	}
	// The stations named the recording's segment while it aired (its id
	// was reserved when the session opened), so reports link the airtime
	// to the library item like any other.
	for station, e := range rig.liveEvents(t, id) {
		if e.SegmentID != strconv.FormatUint(view.SegmentID, 10) {
			t.Errorf("%s: aired event names segment %q, the recording is %d", station, e.SegmentID, view.SegmentID)
		}
	}
	seg, err := rig.ts.lib.Segment(view.SegmentID)
	if err != nil || seg.Title != title || seg.Status != "approved" {
		t.Fatalf("segment %+v, %v", seg, err)
	}
}

func logLatency(t *testing.T, lat []time.Duration) {
	t.Helper()
	if len(lat) == 0 {
		t.Fatal("no burst could be paired with what was sent")
	}
	t.Logf("mouth-to-output latency over %d bursts: median %v, max %v, all %v",
		len(lat), lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond), lat)
}

// TestLiveBroadcastPlaysOnAgents speaks into the live socket as the page
// does (20 ms frames in real time: silence, then a burst of tone, three
// times) and checks that two real agents play it, report it and that it
// becomes a segment. The latency it logs is socket-to-output.
func TestLiveBroadcastPlaysOnAgents(t *testing.T) {
	rig := newLiveRig(t, "tdp-01", "tdp-02")
	o := openLive(t, rig.admin, "Thông báo trực tiếp", "tdp-01", "tdp-02")
	ws := speak(t, rig.ts, rig.admin, o)
	var sent []time.Time
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for i := range 3 * 75 { // 3 × (1 s of silence, 0.5 s of tone)
		<-tick.C
		f := make([]byte, 640)
		if i%75 >= 50 {
			f = tone(i * 320)
			if i%75 == 50 {
				sent = append(sent, time.Now())
			}
		}
		if err := ws.WriteMessage(websocket.BinaryMessage, f); err != nil {
			t.Fatal(err)
		}
	}
	rig.waitHeard(t, 2)
	stopLive(t, rig.admin, o.ID)
	logLatency(t, rig.latencies(sent))
	rig.checkAired(t, o.ID, "Thông báo trực tiếp")
}

// livePlans is the day's schedule the hub sends the stations.
type livePlans struct {
	mu    sync.Mutex
	items []protocol.Item
}

func (p *livePlans) PlaylistsFor(id string, _ time.Time) ([]protocol.Playlist, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.items) == 0 {
		return nil, nil
	}
	loc, err := time.LoadLocation(stations.DefaultZone)
	if err != nil {
		return nil, err
	}
	pl := protocol.Playlist{Station: id, Zone: stations.DefaultZone, Version: 1, Items: p.items,
		Date: time.UnixMilli(p.items[0].StartMs).In(loc).Format(time.DateOnly)}
	pl.Hash = pl.ComputeHash()
	return []protocol.Playlist{pl}, nil
}

// item schedules a file of testdata/audio on the stations, playing d from start.
func (rig *liveRig) item(t *testing.T, id, file string, start time.Time, d time.Duration) protocol.Item {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "audio", file))
	if err != nil {
		t.Fatal(err)
	}
	f, err := rig.ts.blobs.TempFile()
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	f.Close()
	sum := sha256.Sum256(data)
	if err := rig.ts.blobs.Put(f.Name(), hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	return protocol.Item{ID: id, SegmentID: "1", Title: "Bản tin " + id, Topic: "khac", Level: protocol.LevelOrdinary,
		StartMs: start.UnixMilli(), DurationMs: d.Milliseconds(), AudioSHA256: hex.EncodeToString(sum[:]),
		AudioSize: int64(len(data)), Kind: protocol.KindAudio}
}

// TestLiveInterruptsAndTheScheduleResumes: a live broadcast cuts the item
// on air (interrupted, reason live), the item due during it is missed
// (reason emergency, as for an emergency), and the schedule resumes after
// it.
func TestLiveInterruptsAndTheScheduleResumes(t *testing.T) {
	plans := &livePlans{}
	rig := newLiveRigPlanned(t, plans, "tdp-01")
	t0 := time.Now().Add(3 * time.Second).Truncate(time.Millisecond)
	plans.mu.Lock()
	plans.items = []protocol.Item{
		rig.item(t, "long", "mp3/cbr128-stereo.mp3", t0, 8*time.Second),
		rig.item(t, "skipped", "mp3/very-short.mp3", t0.Add(2*time.Second), 1200*time.Millisecond),
		rig.item(t, "after", "mp3/very-short.mp3", t0.Add(6*time.Second), 1200*time.Millisecond),
	}
	plans.mu.Unlock()
	rig.ts.web.link.Hub.Publish("tdp-01")
	time.Sleep(time.Until(t0.Add(time.Second)))
	o := openLive(t, rig.admin, "Thông báo trực tiếp", "tdp-01")
	ws := speak(t, rig.ts, rig.admin, o)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for i := range 100 { // two seconds of tone
		<-tick.C
		if err := ws.WriteMessage(websocket.BinaryMessage, tone(i*320)); err != nil {
			t.Fatal(err)
		}
	}
	stopLive(t, rig.admin, o.ID)
	got := map[string]string{}
	deadline := time.Now().Add(30 * time.Second)
	for len(got) < 4 {
		if time.Now().After(deadline) {
			t.Fatalf("aired events so far: %v", got)
		}
		time.Sleep(50 * time.Millisecond)
		rig.led.Between(t0.Add(-time.Minute), t0.Add(time.Hour), func(e ledger.Event) error {
			got[e.ItemID] = e.Outcome + "/" + e.Reason
			return nil
		})
	}
	want := map[string]string{
		"long":    "interrupted/" + agent.ReasonLive,
		"skipped": "missed/" + agent.ReasonEmergency,
		o.ID:      "completed/",
		"after":   "completed/",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
}
