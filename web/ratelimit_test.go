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
	ts.web.perAddr = rateLimiter{rate: perAddrRate, burst: perAddrBurst}
	c := ts.client(t)
	var last *http.Response
	var e apiErr
	for range int(perAddrBurst) + 5 {
		last = c.json("GET", "/healthz", nil, &e)
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || e.Error.Code != "rate_limited" || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after %v requests at once: %s %+v", perAddrBurst+5, last.Status, e)
	}
}
