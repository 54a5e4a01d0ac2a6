package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"
	"time"

	"loa/broadcast/loadgen"
)

// runBench is `loa bench`: the agent-link load generator. The measured
// server runs in a child process (`loa bench --child`) so that its memory
// per connection is its own; this process runs the simulated agents.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loa bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := loadgen.Config{}
	fs.IntVar(&cfg.Agents, "agents", 10000, "simulated station agents")
	fs.IntVar(&cfg.Rounds, "rounds", 5, "emergency broadcasts (each beside a bare one)")
	fs.IntVar(&cfg.IngestAgents, "ingest-agents", 200, "agents reporting aired events at once")
	fs.IntVar(&cfg.IngestBatches, "ingest-batches", 10, "aired batches per reporting agent")
	fs.IntVar(&cfg.BatchSize, "batch", 500, "events per aired batch")
	fs.IntVar(&cfg.DialParallel, "dial-parallel", 500, "connections set up at once in the first connect")
	data := fs.String("data", "", "directory for the server's bbolt file (default: a temporary one)")
	child := fs.Bool("child", false, "internal: run the measured server")
	cpuProfile := fs.String("server-cpuprofile", "", "write the measured server's CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *child {
		return benchChild(ctx, *data, *cpuProfile, os.Stdin, stdout, stderr)
	}
	if err := benchParent(ctx, cfg, *data, *cpuProfile, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "loa bench:", err)
		return 1
	}
	return 0
}

// benchChild serves the measured hub until its stdin closes.
func benchChild(ctx context.Context, dir, cpuProfile string, stdin io.Reader, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(stderr, "loa bench --child:", err)
			return 1
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	srv, err := loadgen.NewServer(dir, log)
	if err != nil {
		fmt.Fprintln(stderr, "loa bench --child:", err)
		return 1
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(stderr, "loa bench --child:", err)
		return 1
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 30 * time.Second}
	go hs.Serve(ln)
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	done := make(chan struct{})
	go func() { io.Copy(io.Discard, stdin); close(done) }()
	select {
	case <-ctx.Done():
	case <-done:
	}
	hs.Close()
	return 0
}

func benchParent(ctx context.Context, cfg loadgen.Config, dir, cpuProfile string, stdout, stderr io.Writer) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "loa-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, self, "bench", "--child", "--data", dir, "--server-cpuprofile", cpuProfile)
	cmd.Stderr = stderr
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	base, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("server did not start: %w", err)
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, args...)...)
	}
	rep, err := loadgen.Run(ctx, cfg, strings.TrimSpace(base), logf)
	if err != nil {
		return err
	}
	printBench(stdout, rep)
	return nil
}

func printBench(w io.Writer, r loadgen.Report) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/1e6) }
	em, bare := loadgen.Median(r.Emergency), loadgen.Median(r.Bare)
	fmt.Fprintf(w, "agents: %d (connect %v, %d failed)\n", r.Config.Agents, r.ConnectTime.Round(time.Millisecond), r.ConnectFailures)
	fmt.Fprintf(w, "server memory per connection: hub %.1f KB heap+stack (%.1f KB RSS); bare %.1f KB heap+stack (%.1f KB RSS)\n",
		r.HubMemPerConn/1024, r.HubRSSPerConn/1024, r.BareMemPerConn/1024, r.BareRSSPerConn/1024)
	fmt.Fprintf(w, "emergency to the last agent: median %s over %d rounds %v (%d agent-rounds missed); bare broadcast median %s %v (%d missed); ratio %.2f\n",
		ms(em), len(r.Emergency), roundMs(r.Emergency), r.EmergencyMissed, ms(bare), roundMs(r.Bare), r.BareMissed, float64(em)/float64(max(bare, 1)))
	fmt.Fprintf(w, "aired ingest: %d events in %v = %.0f events/s over the link; ledger %.0f B/event in pages (%.0f B in use)\n",
		r.IngestEvents, r.IngestTime.Round(time.Millisecond), float64(r.IngestEvents)/r.IngestTime.Seconds(),
		float64(r.Ledger.PageBytes)/float64(max(r.Ledger.Events, 1)), float64(r.Ledger.InuseBytes)/float64(max(r.Ledger.Events, 1)))
	fmt.Fprintf(w, "reconnect storm: %d reconnected (%d needed a retry), %d failed, last welcome after %s, %d connected after\n",
		r.StormOK, r.StormRetried, r.StormFailed, ms(r.StormTime), r.StormConnected)
	n := float64(max(r.Config.Agents, 1))
	fmt.Fprintf(w, "server CPU: connect %.0f µs/agent; emergency %s per broadcast (bare %s, ratio %.2f); ingest %.1f µs/event (%.0f events per CPU-second); storm %.0f µs/agent\n",
		float64(r.ConnectCPU.Microseconds())/n, ms(r.EmergencyCPU), ms(r.BareCPU), float64(r.EmergencyCPU)/float64(max(r.BareCPU, 1)),
		float64(r.IngestCPU.Microseconds())/float64(max(r.IngestEvents, 1)), float64(r.IngestEvents)/max(r.IngestCPU.Seconds(), 1e-9),
		float64(r.StormCPU.Microseconds())/n)
}

func roundMs(ds []time.Duration) []int64 {
	out := make([]int64, len(ds))
	for i, d := range ds {
		out[i] = d.Milliseconds()
	}
	return out
}
