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

// rateLimiter is a token bucket per key, forgetting keys idle for a minute.
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
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

var errTooManyRequests = &apiError{http.StatusTooManyRequests, "rate_limited", "Quá nhiều yêu cầu trong thời gian ngắn; hãy chờ một lát rồi thử lại", "Too many requests; wait a moment and try again", ""}

// limitByAddr refuses requests beyond the per-address rate.
func (s *Server) limitByAddr(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.perAddr.allow(s.clientAddr(r), s.now()); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			s.writeError(w, r, errTooManyRequests)
			return
		}
		h.ServeHTTP(w, r)
	})
}
