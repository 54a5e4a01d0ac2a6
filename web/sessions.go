package web

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"loa/web/account"
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

// currentSession is the session token of a request made with a cookie.
func currentSession(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// sessionViews are the live sessions of name, the request's own one
// marked.
func (s *Server) sessionViews(name string, r *http.Request) ([]sessionView, error) {
	list, err := s.users.SessionsOf(name, s.now())
	current := ""
	if tok := currentSession(r); tok != "" {
		current = account.SessionID(tok)
	}
	out := make([]sessionView, 0, len(list))
	for _, x := range list {
		out = append(out, sessionView{ID: x.ID, User: x.User, Created: x.Created, Expires: x.Expires,
			Addr: x.Addr, Agent: x.Agent, Current: x.ID == current})
	}
	return out, err
}

// shortAgent keeps a User-Agent short enough to show in a list.
func shortAgent(ua string) string {
	return strings.ToValidUTF8(ua[:min(len(ua), 200)], "")
}

// listOwnSessions is GET /api/sessions.
func (s *Server) listOwnSessions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.sessionViews(currentUser(r).Name, r)
	if err != nil {
		return err
	}
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
	err := s.users.EndSessionByID(r.PathValue("id"), owner)
	if errors.Is(err, account.ErrNoSession) {
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
	list, err := s.sessionViews(r.PathValue("name"), r)
	if err != nil {
		return err
	}
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
	if err := s.users.EndSessionsOf(u.Name, currentSession(r)); err != nil {
		return err
	}
	s.log.Info("sessions ended", "name", u.Name, "by", currentUser(r).Name)
	s.audit(r, "user.sessions_end", "user/"+u.Name, nil, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// userNamed is the user name, or errNotFound.
func (s *Server) userNamed(name string) (User, error) {
	u, err := s.users.User(name)
	if errors.Is(err, account.ErrNoUser) {
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
	u, err := s.users.User(me.Name)
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
	if err := s.users.Put(u); err != nil {
		return err
	}
	if err := s.users.EndSessionsOf(u.Name, currentSession(r)); err != nil {
		return err
	}
	s.audit(r, "user.password", "user/"+u.Name, nil, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
