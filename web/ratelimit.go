package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Requests per second and burst allowed from one address on the people's
// routes. A busy office page makes a few requests a second; a script
// hammering the server is slowed down, not the office. Stations are limited
// per station by the agent link instead: many of them share one carrier
// (CGNAT) address on 4G.
const (
	perAddrRate  = 50.0
	perAddrBurst = 200.0
)

// limiterKeysMax bounds the keys a rateLimiter keeps. Beyond it (a flood
// from more addresses than a ward has people), new keys share one bucket,
// so the table cannot grow without bound.
const limiterKeysMax = 100_000

// overflowKey is the bucket shared by new keys once the table is full.
const overflowKey = "\x00overflow"

// rateLimiter is a token bucket per key. A bucket that has refilled is
// forgotten: it is the same as no bucket.
type rateLimiter struct {
	rate, burst float64
	mu          sync.Mutex
	buckets     map[string]*bucket
	swept       time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes one token for key, or says how long until one is there.
func (l *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, now)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// refund gives back a token allow took for key (the attempt turned out
// not to count).
func (l *rateLimiter) refund(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, now)
	b.tokens = min(l.burst, b.tokens+1)
}

// bucket returns key's bucket refilled to now; l.mu is held.
func (l *rateLimiter) bucket(key string, now time.Time) *bucket {
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	if since := now.Sub(l.swept); since > time.Minute || len(l.buckets) >= limiterKeysMax && since > time.Second {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= limiterKeysMax {
			key = overflowKey
			b = l.buckets[key]
		}
		if b == nil {
			b = &bucket{tokens: l.burst, last: now}
			l.buckets[key] = b
		}
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	return b
}

// sweep forgets the buckets that have refilled; l.mu is held.
func (l *rateLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	l.swept = now
}

// retryAfter is the Retry-After header's value for a wait.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(int(wait/time.Second) + 1)
}

var errTooManyRequests = &apiError{http.StatusTooManyRequests, "rate_limited", "Quá nhiều yêu cầu trong thời gian ngắn; hãy chờ một lát rồi thử lại", "Too many requests; wait a moment and try again", ""}

// limitByAddr refuses requests beyond the per-address rate.
func (s *Server) limitByAddr(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.perAddr.allow(s.clientAddr(r), s.now()); !ok {
			w.Header().Set("Retry-After", retryAfter(wait))
			s.writeError(w, r, errTooManyRequests)
			return
		}
		h.ServeHTTP(w, r)
	})
}
