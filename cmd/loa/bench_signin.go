package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// signinFlood is what `loa bench-signin` does: failed sign-ins at a fixed
// rate from loopback addresses against a running server, while a valid
// sign-in from another loopback address is timed every second and the
// server's memory (RSS, from /proc) is sampled. Every loop is bounded: the
// flood lasts Seconds, and stops early if the server passes MaxRSS.
type signinFlood struct {
	Server    string        // base URL, on loopback
	PID       int           // the server's process, for its RSS
	Rate      int           // failed sign-ins a second, in all
	Addrs     int           // source addresses 127.0.0.2 … (each its own client address)
	Seconds   int           // how long the flood lasts
	Name      string        // the valid sign-in's name
	Password  string        // and its password
	MaxRSS    int64         // stop the flood past this RSS (bytes)
	Timeout   time.Duration // per request
	ProbeAddr string        // the valid sign-in's source address
}

// floodResult is what one run measured.
type floodResult struct {
	IdleRSS, MaxRSS int64
	Statuses        map[string]int  // flood answers by status ("error" for none)
	Probes          []time.Duration // the valid sign-ins' answer times
	ProbeStatus     map[int]int     // and their statuses
	Stopped         string          // why the flood stopped early, if it did
}

func runBenchSignin(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loa bench-signin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := signinFlood{Timeout: 30 * time.Second, ProbeAddr: "127.0.0.200"}
	fs.StringVar(&f.Server, "server", "http://127.0.0.1:8080", "the running server (loopback only)")
	fs.IntVar(&f.PID, "pid", 0, "the server's process id (for its RSS)")
	fs.IntVar(&f.Rate, "rate", 50, "failed sign-ins a second")
	fs.IntVar(&f.Addrs, "addrs", 1, "source addresses the flood comes from (127.0.0.2 on)")
	fs.IntVar(&f.Seconds, "seconds", 10, "how long the flood lasts")
	fs.StringVar(&f.Name, "name", "admin", "the valid sign-in's user name")
	fs.StringVar(&f.Password, "password", os.Getenv("LOA_PASSWORD"), "the valid sign-in's password (default $LOA_PASSWORD)")
	maxMB := fs.Int64("max-rss-mb", 4096, "stop the flood if the server's RSS passes this")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	f.MaxRSS = *maxMB << 20
	if f.PID == 0 || f.Password == "" || f.Addrs < 1 || f.Addrs > 200 || f.Rate < 1 {
		fmt.Fprintln(stderr, "loa bench-signin: --pid and --password are needed; --addrs 1–200, --rate ≥ 1")
		return 2
	}
	res, err := f.run(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "loa bench-signin:", err)
		return 1
	}
	res.print(stdout, f)
	return 0
}

// client returns an HTTP client whose connections leave from addr.
func (f signinFlood) client(addr string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: f.Timeout, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 100}}
}

func (f signinFlood) run(ctx context.Context) (floodResult, error) {
	res := floodResult{Statuses: map[string]int{}, ProbeStatus: map[int]int{}}
	var err error
	if res.IdleRSS, err = rss(f.PID); err != nil {
		return res, err
	}
	res.MaxRSS = res.IdleRSS
	clients := make([]*http.Client, f.Addrs)
	for i := range clients {
		clients[i] = f.client(fmt.Sprintf("127.0.0.%d", 2+i))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var peak atomic.Int64
	peak.Store(res.IdleRSS)
	wg.Go(func() { f.sampleRSS(ctx, &peak, cancel, &res, &mu) })
	wg.Go(func() { f.probe(ctx, &res, &mu) })
	f.flood(ctx, clients, &res, &mu)
	cancel()
	wg.Wait()
	res.MaxRSS = peak.Load()
	return res, nil
}

// flood sends Rate failed sign-ins a second for Seconds, then waits for
// their answers.
func (f signinFlood) flood(ctx context.Context, clients []*http.Client, res *floodResult, mu *sync.Mutex) {
	tick := time.NewTicker(time.Second / time.Duration(f.Rate))
	defer tick.Stop()
	end := time.After(time.Duration(f.Seconds) * time.Second)
	var wg sync.WaitGroup
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-end:
			wg.Wait()
			return
		case <-tick.C:
		}
		c := clients[n%len(clients)]
		name := "khach-" + strconv.Itoa(n)
		wg.Go(func() {
			status, _, _ := f.signIn(c, name, "doan-bua-"+name)
			mu.Lock()
			res.Statuses[status]++
			mu.Unlock()
		})
	}
}

// probe times a valid sign-in from ProbeAddr once a second.
func (f signinFlood) probe(ctx context.Context, res *floodResult, mu *sync.Mutex) {
	c := f.client(f.ProbeAddr)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		_, code, took := f.signIn(c, f.Name, f.Password)
		mu.Lock()
		res.Probes = append(res.Probes, took)
		res.ProbeStatus[code]++
		mu.Unlock()
	}
}

// sampleRSS keeps the server's highest RSS, and stops the flood if it
// passes MaxRSS.
func (f signinFlood) sampleRSS(ctx context.Context, peak *atomic.Int64, stop func(), res *floodResult, mu *sync.Mutex) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		v, err := rss(f.PID)
		if err != nil {
			return
		}
		if v > peak.Load() {
			peak.Store(v)
		}
		if v > f.MaxRSS {
			mu.Lock()
			res.Stopped = fmt.Sprintf("RSS %d MB passed the %d MB bound", v>>20, f.MaxRSS>>20)
			mu.Unlock()
			stop()
			return
		}
	}
}

// signIn posts one sign-in and returns its status (as text and code) and
// how long the answer took.
func (f signinFlood) signIn(c *http.Client, name, password string) (string, int, time.Duration) {
	body, _ := json.Marshal(map[string]string{"name": name, "password": password})
	start := time.Now()
	resp, err := c.Post(f.Server+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "error", 0, time.Since(start)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return strconv.Itoa(resp.StatusCode), resp.StatusCode, time.Since(start)
}

// rss is a process's resident memory, from /proc.
func rss(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}

func (r floodResult) print(w io.Writer, f signinFlood) {
	fmt.Fprintf(w, "flood: %d failed sign-ins/s from %d address(es) for %d s\n", f.Rate, f.Addrs, f.Seconds)
	if r.Stopped != "" {
		fmt.Fprintf(w, "stopped early: %s\n", r.Stopped)
	}
	fmt.Fprintf(w, "server RSS: idle %d MB, peak %d MB (+%d MB)\n", r.IdleRSS>>20, r.MaxRSS>>20, (r.MaxRSS-r.IdleRSS)>>20)
	keys := make([]string, 0, len(r.Statuses))
	for k := range r.Statuses {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Fprint(w, "flood answers:")
	for _, k := range keys {
		fmt.Fprintf(w, " %s×%d", k, r.Statuses[k])
	}
	fmt.Fprintln(w)
	if len(r.Probes) == 0 {
		fmt.Fprintln(w, "valid sign-in: no probe finished")
		return
	}
	sorted := slices.Clone(r.Probes)
	slices.Sort(sorted)
	fmt.Fprintf(w, "valid sign-in from %s: %d probes, median %v, max %v, statuses %v\n", f.ProbeAddr, len(sorted),
		sorted[len(sorted)/2].Round(time.Millisecond), sorted[len(sorted)-1].Round(time.Millisecond), r.ProbeStatus)
}
