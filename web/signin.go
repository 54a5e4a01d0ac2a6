package web

import (
	"net/http"
	"runtime"
	"sync"
	"time"
)

// Sign-in attempts that fail are limited per client address and per name
// (from anywhere): loginAddrBurst at once, then one every loginRefill. A
// sign-in that succeeds gives its attempt back, so an office behind one
// address is not held up by its own people. Together with the per-pair
// lockout (security.go) and the bounded password checks (password.go), a
// flood of wrong passwords is refused before it costs a password check.
const (
	loginAddrBurst = 10
	loginNameBurst = 10
	loginRefill    = 6 * time.Second // 10 a minute
	// maxLoginBody bounds the sign-in request: a name and a password.
	maxLoginBody = 4 << 10
	// maxPasswordBytes is the longest password checked at all.
	maxPasswordBytes = 1024
)

// signinGuard is what stands between POST /api/login and the password
// check. Its zero value is ready: guard sets it up on first use.
type signinGuard struct {
	once sync.Once
	g    *guardParts
}

type guardParts struct {
	byAddr, byName rateLimiter
	lockout        throttle
	verify         *verifier
	known          knownAddrs
}

// knownAddrs are the addresses someone signed in from within a session's
// length: a flood cannot get in there without a password, so their
// sign-ins come first in the queue for a password check. At most
// loginTableMax are kept.
type knownAddrs struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (k *knownAddrs) has(addr string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	at, ok := k.seen[addr]
	return ok && now.Sub(at) < sessionLength
}

func (k *knownAddrs) add(addr string, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.seen == nil {
		k.seen = map[string]time.Time{}
	}
	if len(k.seen) >= loginTableMax {
		for a, at := range k.seen {
			if now.Sub(at) >= sessionLength || len(k.seen) >= loginTableMax {
				delete(k.seen, a)
			}
		}
	}
	k.seen[addr] = now
}

// guard returns the guard's parts, made on first use.
func (s *signinGuard) guard() *guardParts {
	s.once.Do(func() {
		s.g = &guardParts{
			byAddr: rateLimiter{rate: 1 / loginRefill.Seconds(), burst: loginAddrBurst},
			byName: rateLimiter{rate: 1 / loginRefill.Seconds(), burst: loginNameBurst},
			verify: newVerifier(max(2, runtime.GOMAXPROCS(0))),
		}
	})
	return s.g
}

// errLoginRateLimited says that too many sign-ins failed from this address
// or for this name; the handler sets Retry-After.
func errLoginRateLimited(wait time.Duration) *apiError {
	sec := retryAfter(wait)
	return &apiError{http.StatusTooManyRequests, "login_rate_limited",
		"Có quá nhiều lần đăng nhập sai; hãy thử lại sau " + sec + " giây",
		"Too many failed sign-ins; try again in " + sec + " seconds", ""}
}

// attempt is one sign-in as the guard sees it.
type attempt struct {
	name, addr string
	standing   standing
}

// admit takes an attempt from the address's and the name's allowance, or
// says why not (with the wait to put in Retry-After).
func (p *guardParts) admit(a *attempt, now time.Time) (time.Duration, error) {
	if wait := p.lockout.locked(a.name+"\x00"+a.addr, now); wait > 0 {
		return wait, errLoginLocked(wait)
	}
	switch {
	case p.known.has(a.addr, now):
		a.standing = known
	case p.full(&p.byAddr, a.addr, now) && p.full(&p.byName, a.name, now):
		a.standing = fresh
	}
	if ok, wait := p.byAddr.allow(a.addr, now); !ok {
		return wait, errLoginRateLimited(wait)
	}
	if ok, wait := p.byName.allow(a.name, now); !ok {
		p.byAddr.refund(a.addr, now)
		return wait, errLoginRateLimited(wait)
	}
	return 0, nil
}

// full reports whether key has its whole allowance (no recent failure).
func (p *guardParts) full(l *rateLimiter, key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	return !ok || b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst
}

// undo gives an admitted attempt back: it succeeded, or never got checked.
func (p *guardParts) undo(a attempt, now time.Time) {
	p.byAddr.refund(a.addr, now)
	p.byName.refund(a.name, now)
}

// failed records a wrong name or password (the allowance stays spent).
func (p *guardParts) failed(a attempt, now time.Time) {
	p.lockout.fail(a.name+"\x00"+a.addr, now)
}

// succeeded clears the pair's failures and gives the attempt back.
func (p *guardParts) succeeded(a attempt, now time.Time) {
	p.lockout.succeed(a.name + "\x00" + a.addr)
	p.known.add(a.addr, now)
	p.undo(a, now)
}
