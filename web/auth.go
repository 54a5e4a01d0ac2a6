package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/unicode/norm"

	"loa/web/account"
)

const (
	sessionCookie = "loa_session"
	sessionLength = 12 * time.Hour // one working day
)

type userKey struct{}

// currentUser is the signed-in user of a request that passed require.
func currentUser(r *http.Request) User {
	u, _ := r.Context().Value(userKey{}).(User)
	return u
}

// require lets the request through only for a signed-in user whose role
// includes need.
func (s *Server) require(need Role, h handlerFunc) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		user, err := s.authenticate(r)
		if err != nil {
			return err
		}
		if !user.Role.Can(need) {
			return errForbidden
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), userKey{}, user)))
	})
}

// authenticate finds who makes the request: an API token in the
// Authorization header, or else a session cookie.
func (s *Server) authenticate(r *http.Request) (User, error) {
	var user User
	var err error
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && strings.HasPrefix(bearer, account.TokenPrefix) {
		user, err = s.users.TokenUser(bearer, s.now())
	} else if c, cerr := r.Cookie(sessionCookie); cerr == nil {
		user, err = s.users.SessionUser(c.Value, s.now())
		if err == nil {
			err = checkCSRF(r, c.Value)
		}
	} else {
		return User{}, errUnauthorized
	}
	if errors.Is(err, account.ErrNoSession) || errors.Is(err, account.ErrNoUser) || errors.Is(err, account.ErrNoToken) {
		return User{}, errUnauthorized
	}
	return user, err
}

type loginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// userView is a User as clients see it: never the password hash.
type userView struct {
	Name        string   `json:"name"`
	DisplayName string   `json:"display_name"`
	Role        Role     `json:"role"`
	Groups      []string `json:"groups,omitempty"`
}

func viewOf(u User) userView {
	return userView{Name: u.Name, DisplayName: u.DisplayName, Role: u.Role, Groups: u.Groups}
}

// login signs a person in. Every check that costs nothing comes before
// the password check, which is bounded (signin.go).
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	now, g := s.now(), s.logins.guard()
	a := attempt{name: norm.NFC.String(strings.TrimSpace(req.Name)), addr: s.clientAddr(r)}
	if !userNamePattern.MatchString(a.name) || len(req.Password) > maxPasswordBytes {
		// No such name can exist: nothing about it is kept but the
		// address's spent allowance.
		s.log.Warn("sign-in failed", "user", truncate(a.name, 40), "addr", a.addr, "reason", "malformed")
		if ok, wait := g.byAddr.allow(a.addr, now); !ok {
			w.Header().Set("Retry-After", retryAfter(wait))
			return errLoginRateLimited(wait)
		}
		return errLoginFailed
	}
	if wait, err := g.admit(&a, now); err != nil {
		w.Header().Set("Retry-After", retryAfter(wait))
		s.log.Warn("sign-in refused", "user", a.name, "addr", a.addr, "err", err)
		return err
	}
	user, ok, err := s.checkSignIn(r, a, req.Password)
	if errors.Is(err, errLoginBusy) {
		// A suspect attempt stays spent: a flood turned away here must
		// not earn a better place in the queue by it.
		if a.standing > suspect {
			g.undo(a, s.now())
		}
		w.Header().Set("Retry-After", "1")
		return err
	}
	if err != nil {
		g.undo(a, s.now())
		return err
	}
	if !ok {
		g.failed(a, s.now())
		s.log.Warn("sign-in failed", "user", a.name, "addr", a.addr)
		return errLoginFailed
	}
	g.succeeded(a, s.now())
	s.auditAs(r, user.Name, "session.start", "user/"+user.Name, nil, nil)
	return s.startSession(w, r, user)
}

// checkSignIn checks the password of a's name in a bounded slot; an
// unknown name takes as long as a wrong password.
func (s *Server) checkSignIn(r *http.Request, a attempt, password string) (User, bool, error) {
	user, err := s.users.User(a.name)
	hash := user.PasswordHash
	if errors.Is(err, account.ErrNoUser) {
		hash = dummyHash()
	} else if err != nil {
		return User{}, false, err
	}
	ok, err := s.logins.guard().verify.check(r.Context(), hash, password, a.standing)
	if err != nil {
		return User{}, false, err
	}
	ok = ok && user.Name != "" && !user.Disabled
	if ok && account.NeedsRehash(hash) {
		s.rehash(user, password)
	}
	return user, ok, nil
}

// rehash stores user's password hashed with the current parameters, once
// the sign-in proved it. A failure leaves the old hash, which still works.
func (s *Server) rehash(user User, password string) {
	hash, err := hashPassword(password)
	if err == nil {
		err = s.users.ReplaceHash(user.Name, user.PasswordHash, hash)
	}
	if err != nil {
		s.log.Error("rehash password", "user", user.Name, "err", err)
		return
	}
	s.log.Info("password rehashed with the current parameters", "user", user.Name)
}

// startSession gives the browser a new session of user.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, user User) error {
	now := s.now()
	token, err := s.users.AddSession(account.Session{User: user.Name, Created: now, Expires: now.Add(sessionLength),
		Addr: s.clientAddr(r), Agent: shortAgent(r.UserAgent())})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.isHTTPS(r),
		MaxAge: int(sessionLength / time.Second),
	})
	s.log.Info("signed in", "user", user.Name)
	writeJSON(w, http.StatusOK, viewOf(user))
	return nil
}

// truncate shortens s to at most n bytes for a log line.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.users.EndSession(c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, viewOf(currentUser(r)))
	return nil
}

// dummyHash is checked against when the user does not exist, so that a
// wrong name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("loa-dummy-password")
	return h
})

// EnsureAdmin creates the admin account on an empty store. It returns the
// password it set (the given one, or a new random one to print once), or
// "" when users already exist.
func (s *Server) EnsureAdmin(password string) (string, error) {
	return s.users.EnsureAdmin(password, s.now())
}
