package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane), which a
// small ward server verifies in ~30 ms.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns the PHC string of an argon2id hash of password.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64(salt), b64(key)), nil
}

// checkPassword reports whether password matches the PHC string hash.
func checkPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("argon2id parameters: %w", err)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err := errors.Join(err1, err2); err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// randomToken returns n random bytes as URL-safe base64.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// A verifier bounds how many password checks run at once. Each holds
// argonMemory (19 MiB) and a core for tens of milliseconds, so a flood of
// sign-ins must queue, not pile up. One slot is kept for clean sign-ins
// (an address and a name with no recent failures): whatever a flood does,
// a person signing in from elsewhere finds it free or nearly so.
type verifier struct {
	shared, reserved chan struct{}
	waiting          atomic.Int32  // checks waiting for a slot
	maxWaiting       int32         // beyond it, a check is refused at once
	wait             time.Duration // how long a check waits for a slot
}

// defaultVerifyWait keeps a sign-in that waits for a slot within a second
// of the person's click.
const defaultVerifyWait = 500 * time.Millisecond

// errLoginBusy: every password check is taken; try again in a moment.
var errLoginBusy = &apiError{http.StatusServiceUnavailable, "login_busy",
	"Máy chủ đang bận kiểm tra đăng nhập; hãy thử lại sau một giây",
	"The server is busy checking sign-ins; try again in a second", ""}

// newVerifier runs at most shared+reserved checks at once.
func newVerifier(shared, reserved int) *verifier {
	return &verifier{
		shared: make(chan struct{}, shared), reserved: make(chan struct{}, reserved),
		maxWaiting: int32(4 * (shared + reserved)), wait: defaultVerifyWait,
	}
}

// check is checkPassword run in a free slot. A clean check may also take
// the reserved slot. It returns errLoginBusy when no slot frees up in time.
func (v *verifier) check(ctx context.Context, hash, password string, clean bool) (bool, error) {
	slot, err := v.acquire(ctx, clean)
	if err != nil {
		return false, err
	}
	defer func() { <-slot }()
	return checkPassword(hash, password)
}

// acquire takes a slot and returns its channel, to be read once done.
func (v *verifier) acquire(ctx context.Context, clean bool) (chan struct{}, error) {
	reserved := v.shared // a suspect check never takes the reserved slot
	if clean {
		reserved = v.reserved
	}
	select {
	case v.shared <- struct{}{}:
		return v.shared, nil
	case reserved <- struct{}{}:
		return reserved, nil
	default:
	}
	if v.waiting.Add(1) > v.maxWaiting {
		v.waiting.Add(-1)
		return nil, errLoginBusy
	}
	defer v.waiting.Add(-1)
	timer := time.NewTimer(v.wait)
	defer timer.Stop()
	select {
	case v.shared <- struct{}{}:
		return v.shared, nil
	case reserved <- struct{}{}:
		return reserved, nil
	case <-timer.C:
		return nil, errLoginBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
