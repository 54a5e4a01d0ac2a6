package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"loa/broadcast/hub/agenttest"
	"loa/broadcast/protocol"
)

// BenchmarkAgentPlayingAMinute runs the agent binary for a minute of 44.1 kHz
// stereo MP3 items (1.5 s every 2.5 s) through the ALSA speaker into a FIFO
// capture read at real-time pace (the null output when libasound is
// missing), and reports the agent's CPU share of one core and resident
// memory from /proc, and the start error measured where the audio comes
// out (capture arrival − planned start). It runs with the normal scheduler
// and, as root, with SCHED_FIFO priority 10 as the systemd unit runs it:
//
//	go test -run '^$' -bench AgentPlayingAMinute -benchtime 1x ./cmd/loa-agent
func BenchmarkAgentPlayingAMinute(b *testing.B) {
	runs := map[string][]string{"sched=other": nil}
	if os.Geteuid() == 0 {
		runs["sched=fifo"] = []string{"chrt", "-f", "10"}
	}
	for _, name := range []string{"sched=other", "sched=fifo"} {
		wrap, ok := runs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				playAMinute(b, wrap)
			}
		})
	}
}

func playAMinute(b *testing.B, wrap []string) {
	const rate, n, every = 44100, 24, 2500 * time.Millisecond
	clip := agenttest.Clip{Path: corpus + "mp3/cbr128-stereo.mp3", Duration: 1500 * time.Millisecond}
	bin := buildAgent(b)
	srv := agenttest.NewServer(b)
	dir := b.TempDir()
	output, env := "null", []string{}
	got := make(chan []segment, 1)
	stop := make(chan struct{})
	if haveALSA() {
		fifo := filepath.Join(dir, "capture.fifo")
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			b.Fatal(err)
		}
		go captureSegments(fifo, rate, 300*time.Millisecond, time.Second, stop, got)
		output, env = "speaker", []string{"ALSA_CONFIG_PATH=" + captureConfig(b, fifo, rate)}
	} else {
		close(got)
	}
	t0 := time.Now().Add(4 * time.Second).Truncate(time.Millisecond)
	var items []protocol.Item
	for i := range n {
		items = append(items, srv.Item(b, "i"+strconv.Itoa(i), clip, t0.Add(time.Duration(i)*every)))
	}
	srv.SetDay(b, 1, items...)
	cmd := startAgentAs(b, wrap, bin, srv, b.TempDir(), output, env...)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()

	time.Sleep(time.Until(t0))
	cpu0, wall0 := cpuTicks(b, cmd.Process.Pid), time.Now()
	var rssMax int
	for time.Now().Before(t0.Add(n * every)) {
		rssMax = max(rssMax, statusKB(b, cmd.Process.Pid, "VmRSS:"))
		time.Sleep(500 * time.Millisecond)
	}
	cpu := float64(cpuTicks(b, cmd.Process.Pid)-cpu0) / 100 / time.Since(wall0).Seconds()
	evs := srv.WaitEvents(b, n, 10*time.Second)
	close(stop)
	b.ReportMetric(cpu*100, "%cpu")
	b.ReportMetric(float64(rssMax)/1024, "MB-rss")
	b.ReportMetric(float64(statusKB(b, cmd.Process.Pid, "VmHWM:"))/1024, "MB-rss-peak")

	var errs []time.Duration
	if segs := <-got; segs != nil {
		for i, s := range segs {
			if i < n {
				errs = append(errs, s.at.Sub(time.UnixMilli(items[i].StartMs)))
			}
		}
	} else {
		for _, e := range evs {
			errs = append(errs, e.Started.Sub(e.Planned))
		}
	}
	if len(errs) != n {
		b.Fatalf("%d starts measured, want %d", len(errs), n)
	}
	slices.Sort(errs)
	b.ReportMetric(float64(errs[n/2].Microseconds())/1000, "ms-start-p50")
	b.ReportMetric(float64(errs[n*95/100].Microseconds())/1000, "ms-start-p95")
	b.ReportMetric(float64(errs[n-1].Microseconds())/1000, "ms-start-max")
}

// cpuTicks is utime+stime of a process in clock ticks (USER_HZ, 100).
func cpuTicks(b *testing.B, pid int) int {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}

// statusKB reads a kB field of /proc/<pid>/status.
func statusKB(b *testing.B, pid int, field string) int {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.Atoi(strings.Fields(rest)[0])
			return kb
		}
	}
	return 0
}
