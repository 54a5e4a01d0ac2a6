package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"loa/web/account"
)

// The pages are server-rendered templates with a little plain JavaScript;
// templates and assets are embedded and parsed once in New, so a broken
// template stops the start, not a person's click.
var (
	//go:embed templates/*.html
	templateFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// pageSet holds one parsed template set per page, each the layout plus
// that page's "content".
type pageSet map[string]*template.Template

func parsePages(f formatter) (pageSet, error) {
	funcs := template.FuncMap{
		"date":     f.date,
		"clock":    f.clock,
		"datetime": f.dateTime,
		"day":      day,
		"dur":      duration,
		"durms":    durationMS,
		"lufs":     lufs,
		"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"join":     strings.Join,
		"hours":    hourTicks,
		"minus":    func(a, b int) int { return a - b },
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	set := pageSet{}
	for _, file := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, file)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
		set[strings.TrimSuffix(strings.TrimPrefix(path.Base(file), "page_"), ".html")] = t
	}
	return set, nil
}

// hourTick is one mark of a 24-hour timeline, in per-mille of the day.
type hourTick struct {
	X     int
	Label string
}

// hourTicks marks every third hour of a day.
func hourTicks() []hourTick {
	var out []hourTick
	for h := 0; h <= 24; h += 3 {
		out = append(out, hourTick{X: h * 1000 / 24, Label: fmt.Sprintf("%02d", h)})
	}
	return out
}

// lufs writes a loudness figure; digital silence has none.
func lufs(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

// pageData is what every template receives: the frame's needs and the
// page's own Data.
type pageData struct {
	Lang     string
	User     User
	Path     string // the request's path and query, to come back to
	Nav      string // the menu entry to mark as current
	Title    string // a catalogue key
	Data     any
	Messages map[string]string // the js.* texts for app.js
	CSRF     string            // the session's CSRF token, for app.js (csrf.go)
	// Senders are the roles that may send an emergency (emergency_settings.go).
	Senders []Role
}

// T is the catalogue text of key in the page's language.
func (p pageData) T(key string, args ...any) string { return T(p.Lang, key, args...) }

// Can reports whether the signed-in person has role (or more).
func (p pageData) Can(role string) bool { return p.User.Role.Can(Role(role)) }

// SignedIn reports whether a person is signed in.
func (p pageData) SignedIn() bool { return p.User.Name != "" }

// NavItems is the menu, filtered by role: a page a role cannot use is not
// offered (the server refuses it anyway).
func (p pageData) NavItems() []navItem {
	var out []navItem
	for _, n := range menu {
		if n.Role == Role(sender) && slices.Contains(p.Senders, p.User.Role) || n.Role != Role(sender) && p.User.Role.Can(n.Role) {
			out = append(out, n)
		}
	}
	return out
}

type navItem struct {
	Key, Href string
	Role      Role
}

var menu = []navItem{
	{"dashboard", "/overview", RoleViewer},
	{"library", "/library", RoleViewer},
	{"schedule", "/schedule", RoleViewer},
	{"stations", "/stations", RoleViewer},
	{"emergency", "/emergency", Role(sender)}, // as the ward's setting says
	{"onair", "/onair", RoleAdmin},
	{"reports", "/reports", RoleViewer},
	{"users", "/users", RoleAdmin},
	{"audit", "/audit", RoleAdmin},
}

// pageFunc builds one page for a signed-in user: it fills p.Data (and may
// change p.Title) and returns the template's name.
type pageFunc func(r *http.Request, p *pageData) (string, error)

// isPage tells the role-guarded routes that are HTML pages: every one
// outside /api/. They answer a sign-in form (401) or a refusal page (403)
// where the API answers JSON.
func isPage(pattern string) bool {
	_, p, _ := strings.Cut(pattern, " ")
	return !strings.HasPrefix(p, "/api/")
}

// pageGuard lets a signed-in person whose role includes need through to
// the page h; others see the sign-in form in place (and come back to this
// page after signing in) or a refusal.
func (s *Server) pageGuard(need Role, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, err := s.pageUser(r)
		if err != nil {
			s.log.Error("page session", "path", r.URL.Path, "err", err)
		}
		p := s.newPage(r, "")
		switch {
		case user.Name == "":
			p.Title, p.Data = "login.title", r.URL.RequestURI()
			s.render(w, r, http.StatusUnauthorized, "login", p)
			return
		case !user.Role.Can(need):
			p.User, p.Title = user, "forbidden"
			s.render(w, r, http.StatusForbidden, "message", p)
			return
		}
		if err := h(w, r.WithContext(context.WithValue(r.Context(), userKey{}, user))); err != nil {
			p.User = user
			s.pageError(w, r, p, err)
		}
	})
}

// page turns a pageFunc into the handler of one page; nav names its menu
// entry.
func (s *Server) page(nav string, fn pageFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := s.newPage(r, nav)
		p.User = currentUser(r)
		name, err := fn(r, &p)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, name, p)
		return nil
	}
}

func (s *Server) newPage(r *http.Request, nav string) pageData {
	l := pageLang(r)
	senders, err := s.users.EmergencyRoles()
	if err != nil {
		s.log.Error("emergency setting", "err", err)
	}
	return pageData{Lang: l, Path: r.URL.RequestURI(), Nav: nav, Title: "nav." + nav, Messages: jsMessages(l), CSRF: pageCSRF(r), Senders: senders}
}

// pageLang is the language of the pages: Vietnamese unless the person
// chose English with the switch (the lang cookie) or ?lang=en. Unlike the
// API it ignores the browser's Accept-Language, so an office PC with an
// English browser still shows Vietnamese; app.js sends the page's language
// with every API call so that error messages match the page.
func pageLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "vi" {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && c.Value == "en" {
		return "en"
	}
	return "vi"
}

// pageUser is the person signed in on r, or the zero User.
func (s *Server) pageUser(r *http.Request) (User, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return User{}, nil
	}
	user, err := s.users.SessionUser(c.Value, s.now())
	if errors.Is(err, account.ErrNoSession) || errors.Is(err, account.ErrNoUser) {
		return User{}, nil
	}
	return user, err
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, p pageData, err error) {
	status, key := http.StatusInternalServerError, "internal"
	if e, ok := asAPIError(err); ok && e.Status == http.StatusNotFound {
		status, key = http.StatusNotFound, "not_found"
	} else if ok && e.Status == http.StatusForbidden { // a check after the role's (emergency_settings.go)
		status, key = http.StatusForbidden, "forbidden"
	} else {
		s.log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	p.Title, p.Data = key, nil
	s.render(w, r, status, "message", p)
}

// render writes the page into a buffer first, so a template failure is a
// clean 500 and never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p pageData) {
	var buf bytes.Buffer
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such page template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render page", "name", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// loginPage shows the sign-in form; a signed-in person goes on to next.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if u, _ := s.pageUser(r); u.Name != "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	p := s.newPage(r, "")
	p.Title, p.Data = "login.title", next
	s.render(w, r, http.StatusOK, "login", p)
	return nil
}

// home sends people to the overview.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/overview", http.StatusSeeOther)
	return nil
}

// staticFiles serves the embedded CSS, JavaScript and icons (static_assets.go).
func staticFiles() http.Handler { return staticAssets() }
