package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// signInFrom posts a sign-in as if from addr, through a trusted proxy (the
// test server trusts loopback as one), and returns the status and error.
func signInFrom(t *testing.T, ts *testServer, addr, name, password string) (*http.Response, apiErr) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"name": name, "password": password})
	req, _ := http.NewRequest("POST", ts.URL+"/api/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	var e apiErr
	resp := ts.client(t).do(req, &e)
	return resp, e
}

// behindProxy makes the test server believe X-Forwarded-For from loopback,
// so one test can sign in from many addresses.
func behindProxy(ts *testServer) {
	ts.web.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
}

func TestSignInFloodFromOneAddressRefusedBeforePasswordCheck(t *testing.T) {
	ts := newTestServer(t)
	behindProxy(ts)
	// Wrong passwords for ever new names (so the per-name lockout never
	// applies): after the address's allowance, refused outright.
	var last *http.Response
	var e apiErr
	for i := range loginAddrBurst + 5 {
		last, e = signInFrom(t, ts, "203.0.113.7", fmt.Sprintf("khach-%d", i), "doan-bua")
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || e.Error.Code != "login_rate_limited" || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after a flood from one address: %s %+v (Retry-After %q)", last.Status, e, last.Header.Get("Retry-After"))
	}
	if !strings.Contains(e.Error.Message, "thử lại sau") {
		t.Errorf("message %q does not say when to try again", e.Error.Message)
	}
	// Someone elsewhere signs in as usual.
	if resp, e := signInFrom(t, ts, "198.51.100.20", "admin", testPassword); resp.StatusCode != 200 {
		t.Fatalf("sign-in from another address: %s %+v", resp.Status, e)
	}
}

func TestSignInFailuresForOneNameLimitedAcrossAddresses(t *testing.T) {
	ts := newTestServer(t)
	behindProxy(ts)
	var last *http.Response
	var e apiErr
	for i := range loginNameBurst + 5 {
		last, e = signInFrom(t, ts, fmt.Sprintf("203.0.113.%d", i+1), "admin", "doan-bua")
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || e.Error.Code != "login_rate_limited" || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after guesses at one name from many addresses: %s %+v", last.Status, e)
	}
	// Another person is not held up by it.
	ts.addUser(t, "bientap", RoleEditor)
	if resp, e := signInFrom(t, ts, "198.51.100.20", "bientap", testPassword); resp.StatusCode != 200 {
		t.Fatalf("another name: %s %+v", resp.Status, e)
	}
}

func TestSignInWaitsForAFreePasswordCheckThenAnswersBusy(t *testing.T) {
	ts := newTestServer(t)
	v := ts.web.logins.guard().verify
	v.wait = 50 * time.Millisecond
	// Every password check is taken (a flood in progress).
	for range v.free {
		if err := v.acquire(t.Context(), suspect); err != nil {
			t.Fatal(err)
		}
	}
	resp, e := signInFrom(t, ts, "", "admin", testPassword)
	if resp.StatusCode != http.StatusServiceUnavailable || e.Error.Code != "login_busy" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("all checks busy: %s %+v", resp.Status, e)
	}
	// Once a check is free, the same sign-in goes through.
	v.release()
	if resp, e := signInFrom(t, ts, "", "admin", testPassword); resp.StatusCode != 200 {
		t.Fatalf("a check free again: %s %+v", resp.Status, e)
	}
}

// waitQueued waits until st's queue holds n checks.
func waitQueued(v *verifier, st standing, n int) {
	for {
		v.mu.Lock()
		l := len(v.queues[st])
		v.mu.Unlock()
		if l == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func TestFreedPasswordCheckGoesToTheBestStanding(t *testing.T) {
	v := newVerifier(1)
	v.wait = time.Minute
	if err := v.acquire(t.Context(), suspect); err != nil {
		t.Fatal(err)
	}
	got := make(chan standing, 3)
	// A flood's check waits first, then a fresh one, then one from an
	// address someone signed in from: they get the slot the other way round.
	for _, st := range []standing{suspect, fresh, known} {
		go func() {
			if err := v.acquire(t.Context(), st); err != nil {
				t.Error(err)
			}
			got <- st
		}()
		waitQueued(v, st, 1)
	}
	for _, want := range []standing{known, fresh, suspect} {
		v.release()
		if st := <-got; st != want {
			t.Fatalf("the slot went to standing %d, want %d", st, want)
		}
	}
	v.release()
	if v.free != 1 {
		t.Fatalf("%d free slots at the end, want 1", v.free)
	}
}

func TestPasswordCheckQueueBounded(t *testing.T) {
	v := newVerifier(1)
	v.wait = time.Minute
	v.acquire(t.Context(), suspect)
	for range v.maxWaiting {
		go v.acquire(t.Context(), suspect)
	}
	waitQueued(v, suspect, v.maxWaiting)
	if err := v.acquire(t.Context(), suspect); err != errLoginBusy {
		t.Fatalf("a check beyond the queue: %v, want login_busy at once", err)
	}
	// Another standing has its own queue.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if err := v.acquire(ctx, known); err != context.DeadlineExceeded {
		t.Fatalf("a known check: %v, want it to wait", err)
	}
	for range v.maxWaiting + 1 {
		v.release()
	}
}

func TestSignInNameBoundedBeforeAnythingIsKept(t *testing.T) {
	ts := newTestServer(t)
	huge := strings.Repeat("a", 100<<10)
	for range 3 {
		resp, e := signInFrom(t, ts, "", huge, "doan-bua")
		if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 100 KiB name: %s %+v", resp.Status, e)
		}
	}
	g := ts.web.logins.guard()
	g.lockout.mu.Lock()
	defer g.lockout.mu.Unlock()
	for key := range g.lockout.failures {
		if len(key) > 200 {
			t.Fatalf("the lockout table keeps a %d-byte key", len(key))
		}
	}
}

func TestLockoutTableBoundedAndForgetsOldFailures(t *testing.T) {
	var l throttle
	t0 := time.Date(2026, 12, 7, 6, 30, 0, 0, time.UTC)
	l.fail("old\x00203.0.113.1", t0)
	// An hour later, other failures come in; the old pair is gone without
	// ever being asked about again.
	later := t0.Add(time.Hour)
	for i := range loginTableMax + 500 {
		l.fail(fmt.Sprintf("khach-%d\x00198.51.100.1", i), later)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.failures["old\x00203.0.113.1"]; ok {
		t.Error("a failure an hour old is still kept")
	}
	if len(l.failures) > loginTableMax {
		t.Errorf("%d pairs kept, bound %d", len(l.failures), loginTableMax)
	}
}

func TestUnknownNameFailureIsLogged(t *testing.T) {
	var logs bytes.Buffer
	ts := newTestServer(t)
	ts.web.log = slog.New(slog.NewTextHandler(&logs, nil))
	signInFrom(t, ts, "", "khong-ai", "doan-bua")
	if !strings.Contains(logs.String(), "sign-in failed") || !strings.Contains(logs.String(), "khong-ai") {
		t.Fatalf("log: %q", logs.String())
	}
}
