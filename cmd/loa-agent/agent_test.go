package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"loa/broadcast/hub/agenttest"
	"loa/broadcast/protocol"
)

const corpus = "../../testdata/audio/"

var (
	short  = agenttest.Clip{Path: corpus + "mp3/very-short.mp3", Duration: 1200 * time.Millisecond}
	mp3Cut = agenttest.Clip{Path: corpus + "mp3/cbr128-stereo.mp3", Duration: time.Second}
	wavCut = agenttest.Clip{Path: corpus + "wav/pcm16-mono-22k.wav", Duration: 1500 * time.Millisecond}
	long   = agenttest.Clip{Path: corpus + "mp3/cbr128-stereo.mp3", Duration: 4 * time.Second}
)

// haveALSA reports whether the cgo speaker can be built here.
func haveALSA() bool { return exec.Command("pkg-config", "--exists", "alsa").Run() == nil }

var agentBin struct {
	once sync.Once
	path string
	err  error
}

// buildAgent builds this command once per test run (with cgo and the ALSA
// speaker when libasound is there, else the aplay build).
func buildAgent(t testing.TB) string {
	t.Helper()
	agentBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "loa-agent-test")
		if err != nil {
			agentBin.err = err
			return
		}
		agentBin.path = filepath.Join(dir, "loa-agent")
		cmd := exec.Command("go", "build", "-o", agentBin.path, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+map[bool]string{true: "1", false: "0"}[haveALSA()])
		if out, err := cmd.CombinedOutput(); err != nil {
			agentBin.err = fmt.Errorf("build loa-agent: %v\n%s", err, out)
		}
	})
	if agentBin.err != nil {
		t.Fatal(agentBin.err)
	}
	return agentBin.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if agentBin.path != "" {
		os.RemoveAll(filepath.Dir(agentBin.path))
	}
	os.Exit(code)
}

// startAgent runs the binary against srv; the token goes by environment.
func startAgent(t testing.TB, bin string, srv *agenttest.Server, data, output string, env ...string) *exec.Cmd {
	t.Helper()
	return startAgentAs(t, nil, bin, srv, data, output, env...)
}

// startAgentAs is startAgent under a wrapper command such as
// ["chrt", "-f", "10"] (none when empty).
func startAgentAs(t testing.TB, wrap []string, bin string, srv *agenttest.Server, data, output string, env ...string) *exec.Cmd {
	t.Helper()
	args := append(wrap, bin, "--server", srv.URL, "--data", data, "--output", output, "--log-level", "debug")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), append(env, "LOA_AGENT_TOKEN="+srv.Token)...)
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func TestKill9WhilePlayingLosesNoEvent(t *testing.T) {
	t.Parallel()
	bin := buildAgent(t)
	srv := agenttest.NewServer(t)
	t0 := time.Now().Add(4 * time.Second).Truncate(time.Millisecond)
	srv.SetDay(t, 1,
		srv.Item(t, "a", short, t0),
		srv.Item(t, "b", long, t0.Add(1500*time.Millisecond)),
		srv.Item(t, "c", short, t0.Add(7*time.Second)),
	)
	data := t.TempDir()
	first := startAgent(t, bin, srv, data, "null")
	time.Sleep(time.Until(t0.Add(5 * time.Second))) // b has played 3.5 s of 4
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()
	startAgent(t, bin, srv, data, "null")

	evs := srv.WaitEvents(t, 3, 20*time.Second)
	time.Sleep(300 * time.Millisecond)
	evs = srv.Events(t)
	var got []string
	for _, e := range evs {
		got = append(got, e.ItemID+":"+e.Outcome+"/"+e.Reason)
	}
	want := "a:completed/ b:interrupted/agent_restarted c:completed/"
	if strings.Join(got, " ") != want {
		t.Fatalf("events %v, want %s", got, want)
	}
	if b := evs[1]; b.Played < 1500*time.Millisecond || b.Played > 4*time.Second || b.Started.IsZero() {
		t.Errorf("killed item reports %v played from %v (checkpoints every 2 s, killed at 3.5 s)", b.Played, b.Started)
	}
}

// captureConfig makes ALSA's default PCM a raw capture into fifo: a plug
// (S16_LE stereo) over a file PCM whose slave is an inline null device.
func captureConfig(t testing.TB, fifo string, rate int) string {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "asound.conf")
	body := fmt.Sprintf(`pcm.!default {
	type plug
	slave { pcm "capture" format S16_LE channels 2 rate %d }
}
pcm.capture {
	type file
	slave.pcm { type null }
	file "%s"
	format "raw"
}
`, rate, fifo)
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return conf
}

// segment is one stretch of audio that came out of the FIFO without a pause.
type segment struct {
	at    time.Time
	bytes int
}

// captureSegments reads the FIFO at real-time pace (rate × 4 bytes/s) and
// splits what arrives at pauses of more than gap, until stop is closed and
// nothing more has come for idle. It never gives up while the agent may
// still write: a reader that left on its own (an idle timeout between items
// on a loaded machine) would break the pipe under the agent's next item.
func captureSegments(fifo string, rate int, gap, idle time.Duration, stop <-chan struct{}, out chan<- []segment) {
	var segs []segment
	defer func() { out <- segs }()
	f, err := os.Open(fifo)
	if err != nil {
		return
	}
	defer f.Close()
	buf := make([]byte, rate*4/100)
	last := time.Time{}
	for {
		f.SetReadDeadline(time.Now().Add(idle))
		n, err := io.ReadFull(f, buf)
		if n == 0 && errors.Is(err, os.ErrDeadlineExceeded) {
			select {
			case <-stop:
				return
			default:
				continue
			}
		}
		now := time.Now()
		if n > 0 {
			if last.IsZero() || now.Sub(last) > gap {
				segs = append(segs, segment{at: now})
			}
			s := &segs[len(segs)-1]
			s.bytes += n
			last = now
			due := s.at.Add(time.Duration(s.bytes/4) * time.Second / time.Duration(rate))
			time.Sleep(time.Until(due))
			last = time.Now()
		}
		if err != nil {
			return
		}
	}
}

func TestDayPlaysInOrderThroughALSA(t *testing.T) {
	if !haveALSA() {
		if os.Geteuid() != 0 {
			t.Skip("libasound2-dev and pkg-config are missing and this is not root: cannot build the ALSA speaker (bash .ci/test.sh as root installs them)")
		}
		t.Fatal("libasound2-dev or pkg-config missing: run bash .ci/test.sh as root")
	}
	t.Parallel()
	const rate = 44100
	bin := buildAgent(t)
	srv := agenttest.NewServer(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "capture.fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan []segment, 1)
	stop := make(chan struct{})
	go captureSegments(fifo, rate, 300*time.Millisecond, time.Second, stop, got)

	t0 := time.Now().Add(3 * time.Second).Truncate(time.Millisecond)
	clips := []agenttest.Clip{short, mp3Cut, wavCut}
	var items []protocol.Item
	for i, c := range clips {
		items = append(items, srv.Item(t, string(rune('a'+i)), c, t0.Add(time.Duration(i)*2500*time.Millisecond)))
	}
	srv.SetDay(t, 1, items...)
	startAgent(t, bin, srv, t.TempDir(), "speaker", "ALSA_CONFIG_PATH="+captureConfig(t, fifo, rate))
	evs := srv.WaitEvents(t, 3, 20*time.Second)
	close(stop)
	for _, e := range evs {
		if e.Outcome != protocol.OutcomeCompleted {
			t.Fatalf("%s: %s (%s)", e.ItemID, e.Outcome, e.Reason)
		}
	}
	segs := <-got
	if len(segs) != len(clips) {
		t.Fatalf("captured %d stretches of audio, want %d: %+v", len(segs), len(clips), segs)
	}
	for i, s := range segs {
		played := time.Duration(s.bytes/4) * time.Second / rate
		if d := played - clips[i].Duration; d < -60*time.Millisecond || d > 60*time.Millisecond {
			t.Errorf("item %d: %v of audio came out, want %v", i, played, clips[i].Duration)
		}
		if d := s.at.Sub(time.UnixMilli(items[i].StartMs)); d < -100*time.Millisecond || d > 600*time.Millisecond { // a loaded-machine bound; the figure is the benchmark's
			t.Errorf("item %d came out %v after its planned start", i, d)
		}
	}
}
