// Package web is the operators' face of Loa: the JSON API, sign-in,
// sessions and (later) the HTML pages. It is the only package that knows
// about HTTP, cookies and JSON endpoints; the domain packages it serves
// (audio, playlist, stations, broadcast) know nothing of it.
package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio"
	"loa/internal/app"
	"loa/playlist/ingest"
	"loa/playlist/library"
)

// Config is what the web layer needs to know about the deployment. cmd
// fills it; zero values mean the Default* constants.
type Config struct {
	MaxUploadBytes int64   // largest audio upload
	TargetLUFS     float64 // loudness target for the analysis warnings
	FFmpeg         string  // ffmpeg binary for converting uploads; "off" disables
	// TTS is the text-to-speech command template ("" = espeak-ng's
	// Vietnamese voice, "off" = none); TTSChime a WAV file played before
	// the text when asked ("" = a generated two-tone chime).
	TTS, TTSChime string
	// TTSAbbrev is a file of the ward's own abbreviations, one
	// "ABBR = words" a line, merged over the built-in table ("" = none).
	TTSAbbrev string
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

// Deps are the stores and services the handlers use. App, when set, is
// every part, opened from the data directory by the composition root
// (internal/app), and the other fields come from it.
type Deps struct {
	App     *app.App
	DB      *bbolt.DB
	Library *library.Store
	Blobs   *audio.Blobs
	// Ingest takes audio into the library (nil: one built from Config).
	Ingest *ingest.Pipeline
	Log    *slog.Logger
}

// Server serves the API. Create it with New.
type Server struct {
	cfg    Config
	lib    *library.Store
	blobs  *audio.Blobs
	ingest *ingest.Pipeline // the one way audio enters the library
	users  *users
	logins signinGuard
	bodies bodyLimits // how slowly a request body may come (bodies.go)
	// perAddr limits requests per client address on the people's routes.
	perAddr rateLimiter
	log     *slog.Logger
	now     func() time.Time
	pages   pageSet    // parsed templates, one set per page
	fmt     formatter  // times as the ward office reads them
	sched   *Schedules // nil until SetSchedules (api_schedule.go)
	// link is nil until SetStationLink (api_stations.go).
	link *StationLink
	// report is nil until SetReports (api_report.go).
	report *Reports
	live   *liveState  // nil until SetLive (live.go)
	met    *metrics    // what /metrics counts (metrics.go)
	watch  *alertWatch // the alert webhook job's memory (alerts.go)
	public *publicSite // the public listening site (public.go)
	app    *app.App    // every part (parts.go)
}

// New prepares a Server on deps.
func New(cfg Config, deps Deps) (*Server, error) {
	if a := deps.App; a != nil {
		deps.DB, deps.Library, deps.Blobs, deps.Ingest, deps.Log = a.DB, a.Library, a.Blobs, a.Ingest, a.Log
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	u, err := openUsers(deps.DB)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	log := deps.Log
	if log == nil {
		log = slog.Default()
	}
	in := deps.Ingest
	if in == nil {
		in, err = ingest.New(ingest.Config{TargetLUFS: cfg.TargetLUFS, FFmpeg: cfg.FFmpeg, TTS: cfg.TTS, TTSChime: cfg.TTSChime, TTSAbbrev: cfg.TTSAbbrev},
			deps.Library, deps.Blobs, log)
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	f := formatter{loc: loadWardZone()}
	pages, err := parsePages(f)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	site, err := openPublicSite(cfg.Public, deps, f)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{public: site, cfg: cfg, lib: deps.Library, blobs: deps.Blobs, users: u, log: log, now: time.Now, ingest: in, pages: pages, fmt: f,
		perAddr: rateLimiter{rate: perAddrRate, burst: perAddrBurst}, met: newMetrics(time.Now()), watch: newAlertWatch()}
	if deps.App != nil {
		s.wire(deps.App)
	}
	return s, nil
}

// Handler returns the HTTP handler of the whole API.
func (s *Server) Handler() http.Handler { return s.secure(s.routes()) }

// Housekeeping drops expired sessions; a scheduled job calls it.
func (s *Server) Housekeeping(now time.Time) error { return s.users.expireSessions(now) }
