package web

import (
	"net/http"
	"testing"
	"time"
)

func TestRateLimiterBucket(t *testing.T) {
	l := rateLimiter{rate: 2, burst: 3}
	now := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := l.allow("a", now); !ok {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a", now)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("beyond the burst: ok=%v wait=%v, want refused for 500ms", ok, wait)
	}
	if ok, _ := l.allow("b", now); !ok {
		t.Fatal("another address was limited too")
	}
	if ok, _ := l.allow("a", now.Add(500*time.Millisecond)); !ok {
		t.Fatal("refused after the token came back")
	}
}

func TestRateLimitedAddressGetsAClearAnswer(t *testing.T) {
	ts := newTestServer(t)
	// A burst of 5 that refills once every 1000 s: the sixth request is
	// refused however slowly the machine sends them.
	ts.web.perAddr = rateLimiter{rate: 0.001, burst: 5}
	c := ts.client(t)
	var last *http.Response
	var e apiErr
	for range 10 {
		last = c.json("GET", "/healthz", nil, &e)
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || e.Error.Code != "rate_limited" || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after 10 requests: %s %+v", last.Status, e)
	}
}
