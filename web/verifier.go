package web

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"loa/web/account"
)

// A verifier bounds how many password checks run at once. Each holds
// argonMemory (12 MiB) and a core for tens of milliseconds, so a flood of
// sign-ins must queue, not pile up. A freed slot goes to the waiting
// check of the best standing: a sign-in from an address someone signed in
// from lately first, then one from an address (and for a name) that spent
// none of its allowance, then the rest. Each standing has its own bounded
// queue, so a flood's queue never turns a person away.
type verifier struct {
	mu         sync.Mutex
	free       int
	queues     [standings][]chan struct{} // waiting checks, oldest first
	maxWaiting int                        // per standing; beyond it a check is refused at once
	wait       time.Duration              // how long a check waits for a slot
}

// standing is how much a sign-in attempt is trusted before its password
// is checked.
type standing int

const (
	suspect   standing = iota // its address or name spent allowance lately
	fresh                     // nothing known against it
	known                     // someone signed in from its address lately
	standings                 // how many there are
)

// defaultVerifyWait keeps a sign-in that waits for a slot within a second
// of the person's click.
const defaultVerifyWait = 500 * time.Millisecond

// errLoginBusy: every password check is taken; try again in a moment.
var errLoginBusy = &apiError{http.StatusServiceUnavailable, "login_busy",
	"Máy chủ đang bận kiểm tra đăng nhập; hãy thử lại sau một giây",
	"The server is busy checking sign-ins; try again in a second", ""}

// newVerifier runs at most slots checks at once.
func newVerifier(slots int) *verifier {
	return &verifier{free: slots, maxWaiting: 4 * slots, wait: defaultVerifyWait}
}

// check is account.CheckPassword run in a slot. It returns errLoginBusy when no
// slot frees up in time.
func (v *verifier) check(ctx context.Context, hash, password string, st standing) (bool, error) {
	if err := v.acquire(ctx, st); err != nil {
		return false, err
	}
	defer v.release()
	return account.CheckPassword(hash, password)
}

// acquire takes a slot, waiting in st's queue if none is free.
func (v *verifier) acquire(ctx context.Context, st standing) error {
	v.mu.Lock()
	if v.free > 0 {
		v.free--
		v.mu.Unlock()
		return nil
	}
	if len(v.queues[st]) >= v.maxWaiting {
		v.mu.Unlock()
		return errLoginBusy
	}
	granted := make(chan struct{}, 1)
	v.queues[st] = append(v.queues[st], granted)
	v.mu.Unlock()
	timer := time.NewTimer(v.wait)
	defer timer.Stop()
	var err error
	select {
	case <-granted:
		return nil
	case <-timer.C:
		err = errLoginBusy
	case <-ctx.Done():
		err = ctx.Err()
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if i := slices.Index(v.queues[st], granted); i >= 0 {
		v.queues[st] = slices.Delete(v.queues[st], i, i+1)
		return err
	}
	return nil // the slot came as the wait ended: take it
}

// release hands the slot to the best waiting check, or frees it.
func (v *verifier) release() {
	v.mu.Lock()
	defer v.mu.Unlock()
	for st := standings - 1; st >= 0; st-- {
		if q := v.queues[st]; len(q) > 0 {
			q[0] <- struct{}{}
			v.queues[st] = q[1:]
			return
		}
	}
	v.free++
}
