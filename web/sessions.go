package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// A person's sessions can be listed and ended: by the person (their own)
// and by an admin (anyone's). A password change or reset ends every other
// session of that person; disabling a person ends all of them, so enabling
// them again brings none back.

// sessionView is a session as its owner or an admin sees it. The id is the
// key the session is stored under (a hash of its token): it names the
// session without being able to act as it.
type sessionView struct {
	ID      string    `json:"id"`
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	Addr    string    `json:"addr"`
	Agent   string    `json:"agent"`
	Current bool      `json:"current"` // the session of this request
}

// sessionsOf lists name's live sessions, oldest first.
func (u *users) sessionsOf(name string, now time.Time) ([]sessionView, error) {
	out := []sessionView{}
	err := u.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var s session
			if err := json.NewDecoder(bytes.NewReader(v)).Decode(&s); err != nil || s.User != name || now.After(s.Expires) {
				return nil
			}
			out = append(out, sessionView{ID: base64.RawURLEncoding.EncodeToString(k), User: s.User,
				Created: s.Created, Expires: s.Expires, Addr: s.Addr, Agent: s.Agent})
			return nil
		})
	})
	slices.SortFunc(out, func(a, b sessionView) int { return a.Created.Compare(b.Created) })
	return out, err
}

// endSessionsOf ends name's sessions but the one whose token is keep ("":
// all of them).
func (u *users) endSessionsOf(name, keep string) error {
	var keepKey []byte
	if keep != "" {
		keepKey = tokenKey(keep)
	}
	return u.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var ended [][]byte // deleting under a cursor can skip the next key
		err := b.ForEach(func(k, v []byte) error {
			var s session
			if json.Unmarshal(v, &s) == nil && s.User == name && !bytes.Equal(k, keepKey) {
				ended = append(ended, k)
			}
			return nil
		})
		for _, k := range ended {
			err = errors.Join(err, b.Delete(k))
		}
		return err
	})
}

// endSessionByID ends the session id if it belongs to owner ("" = anyone's).
func (u *users) endSessionByID(id, owner string) error {
	key, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return errNoSession
	}
	return u.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var s session
		if data := b.Get(key); data == nil || json.Unmarshal(data, &s) != nil || owner != "" && s.User != owner {
			return errNoSession
		}
		return b.Delete(key)
	})
}

// currentSession is the session token of a request made with a cookie.
func currentSession(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// markCurrent flags the request's own session in list.
func markCurrent(list []sessionView, r *http.Request) {
	if tok := currentSession(r); tok != "" {
		id := base64.RawURLEncoding.EncodeToString(tokenKey(tok))
		for i := range list {
			list[i].Current = list[i].ID == id
		}
	}
}

// shortAgent keeps a User-Agent short enough to show in a list.
func shortAgent(ua string) string {
	return strings.ToValidUTF8(ua[:min(len(ua), 200)], "")
}

// listOwnSessions is GET /api/sessions.
func (s *Server) listOwnSessions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.users.sessionsOf(currentUser(r).Name, s.now())
	if err != nil {
		return err
	}
	markCurrent(list, r)
	writeJSON(w, http.StatusOK, list)
	return nil
}

// endOwnSession is DELETE /api/sessions/{id}: one's own session, or
// anyone's for an admin.
func (s *Server) endOwnSession(w http.ResponseWriter, r *http.Request) error {
	owner := currentUser(r).Name
	if currentUser(r).Role == RoleAdmin {
		owner = ""
	}
	err := s.users.endSessionByID(r.PathValue("id"), owner)
	if errors.Is(err, errNoSession) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	s.audit(r, "session.end", "session/"+r.PathValue("id"), nil, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listUserSessions is GET /api/users/{name}/sessions (admin).
func (s *Server) listUserSessions(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.userNamed(r.PathValue("name")); err != nil {
		return err
	}
	list, err := s.users.sessionsOf(r.PathValue("name"), s.now())
	if err != nil {
		return err
	}
	markCurrent(list, r)
	writeJSON(w, http.StatusOK, list)
	return nil
}

// endUserSessions is DELETE /api/users/{name}/sessions (admin): all of the
// person's sessions but the admin's own request.
func (s *Server) endUserSessions(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userNamed(r.PathValue("name"))
	if err != nil {
		return err
	}
	if err := s.users.endSessionsOf(u.Name, currentSession(r)); err != nil {
		return err
	}
	s.log.Info("sessions ended", "name", u.Name, "by", currentUser(r).Name)
	s.audit(r, "user.sessions_end", "user/"+u.Name, nil, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// userNamed is the user name, or errNotFound.
func (s *Server) userNamed(name string) (User, error) {
	u, err := s.users.get(name)
	if errors.Is(err, errNoUser) {
		return User{}, errNotFound
	}
	return u, err
}

// passwordChange is the body of PUT /api/me/password.
type passwordChange struct {
	Current  string `json:"current"`
	Password string `json:"password"`
}

var errPasswordWrong = &apiError{http.StatusUnprocessableEntity, "password_wrong", "Mật khẩu hiện tại không đúng", "The current password is wrong", "current"}

// changeOwnPassword is PUT /api/me/password: the person's current password,
// then the new one; every other session of theirs ends.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request) error {
	var req passwordChange
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	me := currentUser(r)
	u, err := s.users.get(me.Name)
	if err != nil || u.PasswordHash == "" {
		return errForbidden // an API token has no password
	}
	ok, err := s.logins.guard().verify.check(r.Context(), u.PasswordHash, req.Current, known)
	if err != nil {
		return err
	}
	if !ok {
		s.log.Warn("password change refused", "user", u.Name, "addr", s.clientAddr(r))
		return errPasswordWrong
	}
	if utf8.RuneCountInString(req.Password) < minPasswordLen {
		return errPasswordShort
	}
	if err := s.setPassword(&u, req.Password); err != nil {
		return err
	}
	if err := s.users.put(u); err != nil {
		return err
	}
	if err := s.users.endSessionsOf(u.Name, currentSession(r)); err != nil {
		return err
	}
	s.audit(r, "user.password", "user/"+u.Name, nil, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
