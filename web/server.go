// Package web is the operators' face of Loa: the JSON API, sign-in,
// sessions and (later) the HTML pages. It is the only package that knows
// about HTTP, cookies and JSON endpoints; the domain packages it serves
// (audio, playlist, stations, broadcast) know nothing of it.
package web

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"loa/audio"
	"loa/internal/app"
	"loa/playlist/ingest"
	"loa/playlist/library"
	"loa/web/account"
)

// Config is what the web layer needs to know about the deployment. cmd
// fills it; zero values mean the Default* constants.
type Config struct {
	MaxUploadBytes int64   // largest audio upload
	TargetLUFS     float64 // loudness target of an emergency item's gain (0: playlist.DefaultTargetLUFS)
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto headers are believed; nobody else's are.
	TrustedProxies []netip.Prefix
	// Alerts are the alert thresholds and webhook (alerts.go).
	Alerts AlertConfig
	// Public is the public listening site, "Nghe lại" (public.go).
	Public PublicConfig
}

// DefaultMaxUploadBytes is 200 MB: an hour of 320 kbps MP3 with room to spare.
const DefaultMaxUploadBytes = 200 << 20

// Deps is what the server works on: every part, opened from the data
// directory by the composition root (internal/app), all at once.
type Deps struct {
	App *app.App
	Log *slog.Logger // nil: the App's
}

// Server serves the API. Create it with New.
type Server struct {
	cfg    Config
	lib    *library.Store
	blobs  *audio.Blobs
	ingest *ingest.Pipeline // the one way audio enters the library
	users  *account.Store   // people, sessions, tokens, the audit log, settings
	logins signinGuard
	bodies bodyLimits // how slowly a request body may come (bodies.go)
	// perAddr limits requests per client address on the people's routes.
	perAddr rateLimiter
	log     *slog.Logger
	now     func() time.Time
	pages   pageSet      // parsed templates, one set per page
	fmt     formatter    // times as the ward office reads them
	sched   *Schedules   // the schedule API's parts (api_schedule.go)
	link    *StationLink // the station API's and the agent link's (api_stations.go)
	report  *Reports     // the reports' (api_report.go)
	live    *liveState   // live broadcasts (live.go)
	met     *metrics     // what /metrics counts (metrics.go)
	watch   *alertWatch  // the alert webhook job's memory (alerts.go)
	public  *publicSite  // the public listening site (public.go)
	app     *app.App     // every part (parts.go)
}

// New prepares a Server on deps.
func New(cfg Config, deps Deps) (*Server, error) {
	a := deps.App
	if a == nil {
		return nil, errors.New("web: no parts (web.Deps.App)")
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	log := cmp.Or(deps.Log, a.Log, slog.Default())
	f := formatter{loc: loadWardZone()}
	pages, err := parsePages(f)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	site, err := openPublicSite(cfg.Public, a, f)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{public: site, cfg: cfg, lib: a.Library, blobs: a.Blobs, users: a.Accounts, log: log, now: time.Now, ingest: a.Ingest, pages: pages, fmt: f,
		perAddr: rateLimiter{rate: perAddrRate, burst: perAddrBurst}, met: newMetrics(time.Now()), watch: newAlertWatch()}
	s.wire(a)
	return s, nil
}

// Handler returns the HTTP handler of the whole API.
func (s *Server) Handler() http.Handler { return s.secure(s.routes()) }

// Housekeeping drops expired sessions; a scheduled job calls it.
func (s *Server) Housekeeping(now time.Time) error { return s.users.ExpireSessions(now) }
