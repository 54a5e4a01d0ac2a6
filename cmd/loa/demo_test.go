package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"loa/internal/ward"
)

// syncBuffer is a strings.Builder safe to read while the demo writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemoAirsWithinMinutes runs the whole demo — server, planner, hub,
// six in-process agents, ledger and report — and waits until the first
// bulletin has aired and shows in the report, as a newcomer would see it.
func TestDemoAirsWithinMinutes(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the demo's first bulletin (up to about a minute and a half)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	opts := demoOptions{dir: t.TempDir(), addr: "127.0.0.1:0", output: "null", lead: time.Minute}
	go func() { done <- demo(ctx, opts, slog.New(slog.DiscardHandler), &out) }()

	var url string
	re := regexp.MustCompile(`open:\s+(http://\S+)`)
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("the demo did not start: %v\n%s", <-done, out.String())
	}
	if !strings.Contains(out.String(), "admin / "+demoPassword) {
		t.Errorf("the demo does not print its login:\n%s", out.String())
	}
	c := loginClient(t, url, "admin", demoPassword)
	api := &apiClient{server: url, http: c}

	// The CCHC column is on the public listening page too; the emergency is not.
	if resp, err := http.Get(url + "/nghe-lai/"); err != nil {
		t.Errorf("public page: %v", err)
	} else {
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), "VNeID mức 2") || strings.Contains(string(page), "bão số 5") {
			t.Errorf("the demo's public page:\n%s", page)
		}
	}

	var stations []struct {
		ID     string `json:"id"`
		Online bool   `json:"online"`
	}
	waitFor(t, 30*time.Second, "every station online", func() bool {
		stations = nil
		if api.call(ctx, "GET", "/api/stations", nil, &stations) != nil {
			return false
		}
		online := 0
		for _, s := range stations {
			if s.Online {
				online++
			}
		}
		return len(stations) == len(demoSites) && online == len(stations)
	})

	// The first bulletin starts within a minute; its intro lasts 4 s. It
	// may air tomorrow when the test runs just before the ward's midnight.
	today := ward.DayOf(time.Now(), ward.Zone())
	days := string(today) + ".." + string(today.AddDays(1))
	waitFor(t, 100*time.Second, "aired events in the report", func() bool {
		var rep struct {
			Totals struct {
				Plays int `json:"plays"`
			} `json:"totals"`
		}
		err := api.call(ctx, "GET", "/api/reports/"+days+"?format=json", nil, &rep)
		return err == nil && rep.Totals.Plays > 0
	})
	cancel()
	if err := <-done; err != nil && err != context.Canceled {
		t.Errorf("demo stopped with %v", err)
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(time.Second) {
		if ok() {
			return
		}
	}
	t.Fatalf("no %s within %v", what, limit)
}

func mustZone(t *testing.T) *time.Location {
	return ward.Zone()
}
