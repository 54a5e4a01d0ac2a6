package agent_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"loa/audio/playback"
	"loa/broadcast/agent"
	"loa/broadcast/hub/agenttest"
	"loa/broadcast/protocol"
)

// radio is a radio station for the tests, on loopback: it serves the MP3
// frames of a corpus file in a loop, paced in real time after a short
// burst, with ICY metadata every metaint bytes, as Icecast does.
type radio struct {
	frames    [][]byte
	frameDur  time.Duration
	metaint   int
	shoutcast bool          // answer "ICY 200 OK", as SHOUTcast v1 does
	dropAfter time.Duration // the first connection ends after this long (0: never)
	downFor   time.Duration // then the server answers 503 this long

	mu      sync.Mutex
	conns   int
	dropped time.Time
	url     string
}

const radioBurst = 250 * time.Millisecond

func newRadio(t *testing.T, path string, r *radio) *radio {
	t.Helper()
	r.frames, r.frameDur = mp3Frames(t, path)
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	r.url = srv.URL + "/vov1.mp3"
	return r
}

func (r *radio) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.conns++
	n, down := r.conns, !r.dropped.IsZero() && time.Since(r.dropped) < r.downFor
	r.mu.Unlock()
	if down {
		http.Error(w, "mount point down", http.StatusServiceUnavailable)
		return
	}
	metaint := 0
	if req.Header.Get("Icy-MetaData") == "1" {
		metaint = r.metaint
	}
	var out io.Writer = w
	flush := func() { w.(http.Flusher).Flush() }
	head := fmt.Sprintf("icy-name:Đài thử nghiệm\r\nicy-metaint:%d\r\n", metaint)
	if r.shoutcast {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "ICY 200 OK\r\ncontent-type:audio/mpeg\r\n%s\r\n", head)
		out, flush = buf, func() { buf.Flush() }
	} else {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Header().Set("Icy-Name", "Đài thử nghiệm")
		w.Header().Set("Icy-Metaint", fmt.Sprint(metaint))
	}
	if metaint > 0 {
		out = &icyWriter{w: out, metaint: metaint, left: metaint}
	}
	r.play(req.Context(), out, flush, n == 1)
}

// play writes frames in real time until the client leaves (or, on the
// first connection with dropAfter, until the drop).
func (r *radio) play(ctx context.Context, out io.Writer, flush func(), first bool) {
	start := time.Now()
	for i := 0; ctx.Err() == nil; i++ {
		if first && r.dropAfter > 0 && time.Since(start) >= r.dropAfter {
			r.mu.Lock()
			r.dropped = time.Now()
			r.mu.Unlock()
			return
		}
		if d := time.Until(start.Add(time.Duration(i)*r.frameDur - radioBurst)); d > 0 {
			time.Sleep(d)
		}
		if _, err := out.Write(r.frames[i%len(r.frames)]); err != nil {
			return
		}
		flush()
	}
}

func (r *radio) connections() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conns
}

// icyWriter interleaves an ICY metadata block after every metaint bytes.
type icyWriter struct {
	w       io.Writer
	metaint int
	left    int
	blocks  int
}

func (iw *icyWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), iw.left)
		if _, err := iw.w.Write(p[:k]); err != nil {
			return n, err
		}
		n, p, iw.left = n+k, p[k:], iw.left-k
		if iw.left == 0 {
			meta := fmt.Sprintf("StreamTitle='Bản tin thời sự %d';", iw.blocks/16)
			size := (len(meta) + 15) / 16
			block := append([]byte{byte(size)}, meta...)
			if _, err := iw.w.Write(append(block, make([]byte, size*16-len(meta))...)); err != nil {
				return n, err
			}
			iw.left, iw.blocks = iw.metaint, iw.blocks+1
		}
	}
	return n, nil
}

// mp3Frames splits an MPEG-1 Layer III file into its frames, without the
// leading Info frame.
func mp3Frames(t *testing.T, path string) ([][]byte, time.Duration) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	kbps := []int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}
	var frames [][]byte
	rate := 0
	for len(b) >= 4 {
		h := binary.BigEndian.Uint32(b)
		br, sr := kbps[h>>12&15], []int{44100, 48000, 32000, 0}[h>>10&3]
		if h>>21 != 0x7ff || h>>19&3 != 3 || h>>17&3 != 1 || br == 0 || sr == 0 {
			b = b[1:] // not a frame header: tags, junk
			continue
		}
		size := 144*br*1000/sr + int(h>>9&1)
		if size > len(b) {
			break
		}
		if f := b[:size]; !strings.Contains(string(f[:min(64, size)]), "Info") && !strings.Contains(string(f[:min(64, size)]), "Xing") {
			frames = append(frames, f)
		}
		b, rate = b[size:], sr
	}
	if len(frames) < 10 {
		t.Fatalf("%s: %d MPEG-1 layer III frames", path, len(frames))
	}
	return frames, time.Duration(1152) * time.Second / time.Duration(rate)
}

// relayAgent runs an agent whose ward server is out of reach, with its
// day's playlist and audio already held, playing to a wav directory.
type relayAgent struct {
	offlineAgent
	wavDir string
}

func startRelayAgent(t *testing.T, tune func(*agent.Config), items ...protocol.Item) *relayAgent {
	t.Helper()
	st, cache := holdDay(t, items, short, silent, long)
	r := &relayAgent{offlineAgent: offlineAgent{store: st}, wavDir: t.TempDir()}
	cfg := agent.Config{Server: "http://127.0.0.1:1", Token: "t", BackoffMin: time.Second, Log: testLog()}
	if tune != nil {
		tune(&cfg)
	}
	a, err := agent.New(cfg, st, cache, func() (playback.Output, error) { return playback.Open("wav:"+r.wavDir, 44100, cfg.Log) })
	if err != nil {
		t.Fatal(err)
	}
	r.run(t, a)
	return r
}

func testLog() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func relayItem(id, url string, start time.Time, slot time.Duration) protocol.Item {
	return protocol.Item{ID: id, Title: "Tiếp sóng " + id, Topic: "thoi-su", Level: protocol.LevelPriority,
		Kind: protocol.KindRelay, URL: url, StartMs: start.UnixMilli(), DurationMs: slot.Milliseconds()}
}

// wavLevels reads the wav the output wrote for an item and returns its
// length and the level of each 100 ms, in dBFS.
func wavLevels(t *testing.T, dir, item string) (time.Duration, []float64) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*-"+item+".wav"))
	if len(files) != 1 {
		t.Fatalf("wav files for %s: %v", item, files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	pcm := b[44:]
	const window = 4410 * 4
	var levels []float64
	for off := 0; off+window <= len(pcm); off += window {
		var sum float64
		for i := off; i < off+window; i += 2 {
			v := float64(int16(binary.LittleEndian.Uint16(pcm[i:]))) / 32768
			sum += v * v
		}
		levels = append(levels, 10*math.Log10(sum/(window/2)+1e-20))
	}
	return time.Duration(len(pcm)/4) * time.Second / 44100, levels
}

// longestQuiet is the longest run of windows below -60 dBFS.
func longestQuiet(levels []float64) time.Duration {
	run, best := 0, 0
	for _, l := range levels {
		if l < -60 {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return time.Duration(best) * 100 * time.Millisecond
}

func TestRelayPlaysItsSlotAndStopsAtTheSlotEnd(t *testing.T) {
	t.Parallel()
	fm := newRadio(t, long.Path, &radio{metaint: 1000})
	t0 := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	slot := 3 * time.Second
	after := shortItem(t, "after", t0.Add(slot+500*time.Millisecond))
	ra := startRelayAgent(t, nil, relayItem("vov1", fm.url, t0, slot), after)

	evs := ra.waitJournal(t, 2)
	e := evs["vov1"]
	if e.Outcome != protocol.OutcomeCompleted || e.Reason != "" || e.Kind != protocol.KindRelay {
		t.Fatalf("relay: %s/%s kind %q", e.Outcome, e.Reason, e.Kind)
	}
	// Loaded-machine bounds: the relay starts on time and ends with its slot.
	if d := time.UnixMilli(e.StartedMs).Sub(t0); d < -50*time.Millisecond || d > 500*time.Millisecond {
		t.Errorf("relay started %v after its slot", d)
	}
	if d := time.UnixMilli(e.EndedMs).Sub(t0.Add(slot)); d > 500*time.Millisecond {
		t.Errorf("relay ended %v after its slot", d)
	}
	if played := time.Duration(e.PlayedMs) * time.Millisecond; played < slot-500*time.Millisecond || played > slot {
		t.Errorf("relay played %v of its %v slot", played, slot)
	}
	if a := evs["after"]; a.Outcome != protocol.OutcomeCompleted || a.StartedMs-a.PlannedMs > 500 {
		t.Errorf("the item after the relay: %s, started %d ms late", a.Outcome, a.StartedMs-a.PlannedMs)
	}
	length, levels := wavLevels(t, ra.wavDir, "vov1")
	if length < slot-300*time.Millisecond || length > slot+50*time.Millisecond {
		t.Errorf("the output got %v of relay for a %v slot", length, slot)
	}
	if q := longestQuiet(levels[1:]); q > 200*time.Millisecond { // the first 100 ms may wait for the network
		t.Errorf("the relay went silent for %v (metadata left in the audio, or a stall)", q)
	}
}

func TestRelayFromASHOUTcastServer(t *testing.T) {
	t.Parallel()
	fm := newRadio(t, long.Path, &radio{metaint: 8192, shoutcast: true})
	t0 := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	ra := startRelayAgent(t, nil, relayItem("shoutcast", fm.url, t0, 2*time.Second))
	e := ra.waitJournal(t, 1)["shoutcast"]
	if e.Outcome != protocol.OutcomeCompleted || e.PlayedMs < 1500 {
		t.Fatalf("relay from an ICY 200 OK server: %s/%s, played %d ms", e.Outcome, e.Reason, e.PlayedMs)
	}
	if _, levels := wavLevels(t, ra.wavDir, "shoutcast"); longestQuiet(levels[1:]) > 200*time.Millisecond {
		t.Errorf("the relay went silent")
	}
}

func TestRelayReconnectsAfterADrop(t *testing.T) {
	t.Parallel()
	const outage = 1500 * time.Millisecond
	fm := newRadio(t, long.Path, &radio{metaint: 16000, dropAfter: 2 * time.Second, downFor: outage})
	t0 := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	slot := 5 * time.Second
	ra := startRelayAgent(t, nil, relayItem("vov1", fm.url, t0, slot))

	e := ra.waitJournal(t, 1)["vov1"]
	if e.Outcome != protocol.OutcomeCompleted {
		t.Fatalf("relay: %s/%s", e.Outcome, e.Reason)
	}
	if fm.connections() < 2 {
		t.Fatalf("%d connections: the relay did not reconnect", fm.connections())
	}
	// played_ms is what was relayed: the slot less about the outage (less
	// the 0.75 s buffered when it dropped, plus up to 1 s of backoff).
	played := time.Duration(e.PlayedMs) * time.Millisecond
	if lo, hi := slot-outage-1500*time.Millisecond, slot-outage+time.Second; played < lo || played > hi {
		t.Errorf("relay played %v of %v with a %v outage, want %v–%v", played, slot, outage, lo, hi)
	}
	length, levels := wavLevels(t, ra.wavDir, "vov1")
	if length < slot-300*time.Millisecond {
		t.Errorf("the output got %v for a %v slot: the gap was not filled with silence", length, slot)
	}
	if q := longestQuiet(levels); q < 500*time.Millisecond || q > outage+time.Second {
		t.Errorf("the output's silence lasted %v for a %v outage", q, outage)
	}
}

// fallbackDay is a relay slot at t0 and, later in the day, the items the
// library can fill it with: two distinct files, one of them twice, and one
// too long for what is left of the slot.
func fallbackDay(t *testing.T, relay protocol.Item) []protocol.Item {
	later := time.UnixMilli(relay.StartMs).Add(time.Hour)
	o1 := clipItem(t, "o1", short, later)
	p1 := clipItem(t, "p1", agenttest.Clip{Path: long.Path, Duration: time.Second}, later.Add(time.Minute))
	p1.Level = protocol.LevelPriority
	again := clipItem(t, "o2", agenttest.Clip{Path: long.Path, Duration: time.Second}, later.Add(2*time.Minute))
	tooLong := clipItem(t, "o3", silent, later.Add(3*time.Minute))
	return []protocol.Item{relay, o1, p1, again, tooLong}
}

// checkFallback checks that the slot was filled with p1 then o1, each once,
// within the slot, and that nothing else played.
func checkFallback(t *testing.T, ra *relayAgent, relay protocol.Item) {
	t.Helper()
	end := time.UnixMilli(relay.StartMs + relay.DurationMs)
	time.Sleep(time.Until(end.Add(300 * time.Millisecond)))
	evs, err := ra.store.Pending(100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		if e.ItemID == relay.ID {
			continue
		}
		got = append(got, e.Title)
		if e.Outcome != protocol.OutcomeCompleted || e.Reason != agent.ReasonRelayFallback || e.Kind != protocol.KindAudio {
			t.Errorf("fallback %s: %s/%s kind %q", e.Title, e.Outcome, e.Reason, e.Kind)
		}
		if e.StartedMs < relay.StartMs || e.EndedMs > end.UnixMilli() {
			t.Errorf("fallback %s played %d–%d ms, outside its slot 0–%d", e.Title,
				e.StartedMs-relay.StartMs, e.EndedMs-relay.StartMs, relay.DurationMs)
		}
	}
	// Pending lists by event id, not by time: order by start.
	if len(got) != 2 || !(contains(got, "p1") && contains(got, "o1")) {
		t.Fatalf("fallback items %v, want p1 and o1", got)
	}
	var p1, o1 protocol.AiredEvent
	for _, e := range evs {
		switch e.Title {
		case "p1":
			p1 = e
		case "o1":
			o1 = e
		}
	}
	if p1.StartedMs > o1.StartedMs {
		t.Errorf("the ordinary item played before the priority one")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestRelayThatNeverComesFallsBackToTheLibrary(t *testing.T) {
	t.Parallel()
	// A listener that never accepts: the connection is made, no answer
	// ever comes (a closed port could be taken by another test's server).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	nobody := "http://" + ln.Addr().String() + "/vov1.mp3"
	t0 := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	relay := relayItem("vov1", nobody, t0, 5*time.Second)
	ra := startRelayAgent(t, func(c *agent.Config) { c.RelayNoStream = time.Second }, fallbackDay(t, relay)...)

	e := ra.waitJournal(t, 1)["vov1"]
	if e.Outcome != protocol.OutcomeFailed || e.Reason != agent.ReasonRelayNoStream || e.PlayedMs != 0 || e.Kind != protocol.KindRelay {
		t.Fatalf("relay: %s/%s played %d ms, kind %q", e.Outcome, e.Reason, e.PlayedMs, e.Kind)
	}
	checkFallback(t, ra, relay)
}

func TestSilentRelayIsDeadAirAndFallsBack(t *testing.T) {
	t.Parallel()
	fm := newRadio(t, silent.Path, &radio{metaint: 8192})
	t0 := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	relay := relayItem("vov1", fm.url, t0, 5*time.Second)
	ra := startRelayAgent(t, func(c *agent.Config) { c.RelayDeadAir = time.Second }, fallbackDay(t, relay)...)

	e := ra.waitJournal(t, 1)["vov1"]
	if e.Outcome != protocol.OutcomeFailed || e.Reason != agent.ReasonRelayDeadAir {
		t.Fatalf("relay: %s/%s", e.Outcome, e.Reason)
	}
	if e.PlayedMs < 500 || e.PlayedMs > 1600 {
		t.Errorf("the silent relay played %d ms before it counted as dead air (limit 1 s)", e.PlayedMs)
	}
	checkFallback(t, ra, relay)
}

func TestEmergencyInterruptsARelay(t *testing.T) {
	t.Parallel()
	fm := newRadio(t, long.Path, &radio{metaint: 8192})
	srv := agenttest.NewServer(t)
	t0 := time.Now().Add(2 * time.Second).Truncate(time.Millisecond)
	srv.SetDay(t, 1,
		relayItem("vov1", fm.url, t0, 6*time.Second),
		srv.Item(t, "after", short, t0.Add(6500*time.Millisecond)),
	)
	runAgent(t, srv, t.TempDir(), "null")
	em := srv.Item(t, "storm", mp3Cut, t0)
	em.Level, em.StartMs = protocol.LevelEmergency, time.Now().UnixMilli()
	time.Sleep(time.Until(t0.Add(1500 * time.Millisecond)))
	cut := time.Now()
	if err := srv.Hub.SendCommand(protocol.Command{ID: "em-1", Kind: protocol.CommandEmergencyPlay, Item: &em, Repeat: 1}, srv.Station); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range srv.WaitEvents(t, 3, 20*time.Second) {
		got[e.ItemID] = e.Outcome + "/" + e.Reason
		if e.ItemID == "vov1" {
			if e.Ended.Sub(cut) > 1500*time.Millisecond { // fade, link, loaded machine
				t.Errorf("the relay ended %v after the emergency was sent", e.Ended.Sub(cut))
			}
			if e.Played > 3*time.Second {
				t.Errorf("the relay reports %v played; it was cut after about 1.5 s", e.Played)
			}
		}
	}
	want := map[string]string{"vov1": "interrupted/emergency", "storm": "completed/", "after": "completed/"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
	if n := fm.connections(); n != 1 {
		t.Errorf("%d connections to the radio: the relay reconnected after its cut", n)
	}
}

func TestRelayFailureReasons(t *testing.T) {
	t.Parallel()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body>Trang không tồn tại</body></html>")
	}))
	t.Cleanup(page.Close)
	gone := newRadio(t, long.Path, &radio{metaint: 8192, dropAfter: 1500 * time.Millisecond, downFor: time.Hour})
	for _, c := range []struct {
		name, url, reason string
		played            time.Duration // at least, at most +1 s
	}{
		{"html page", page.URL + "/live", agent.ReasonRelayBadStream, 0},
		{"stream gone for good", gone.url, agent.ReasonRelayLost, 1250 * time.Millisecond}, // 1.5 s from 0.5 s before the start, and its burst
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			t0 := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
			ra := startRelayAgent(t, func(cfg *agent.Config) { cfg.RelayNoStream, cfg.RelayDeadAir = time.Second, time.Second },
				relayItem("vov1", c.url, t0, 6*time.Second))
			e := ra.waitJournal(t, 1)["vov1"]
			played := time.Duration(e.PlayedMs) * time.Millisecond
			if e.Outcome != protocol.OutcomeFailed || e.Reason != c.reason || played < c.played || played > c.played+time.Second {
				t.Errorf("relay: %s/%s after %v relayed, want failed/%s", e.Outcome, e.Reason, played, c.reason)
			}
			if d := time.UnixMilli(e.EndedMs).Sub(t0); d > 5*time.Second {
				t.Errorf("the failed relay held the output %v: it should give up after its limits", d)
			}
		})
	}
}
