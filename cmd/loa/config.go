package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"loa/audio/tts"
	"loa/broadcast/alert"
	"loa/playlist/ingest"
	"loa/web"
)

// Defaults of the server's configuration.
const (
	DefaultData        = "./loa-data"
	DefaultAddr        = "127.0.0.1:8080"
	DefaultMaxUploadMB = 200
	// DefaultMaxAudioMinutes: the longest live broadcast (4 hours).
	DefaultMaxAudioMinutes = int(ingest.DefaultMaxDuration / time.Minute)
	DefaultTargetLUFS      = -16.0
	DefaultLogLevel        = "info"

	DefaultRetainLedgerDays    = 0   // keep forever
	DefaultRetainPlaylistsDays = 400 // superseded versions; each day's plan stays
	// MinRetainLedgerDays: the yearly report compares with the year before.
	MinRetainLedgerDays = 731
)

// Alert defaults: see alert.Default*.
const (
	DefaultAlertOfflineMinutes      = int(alert.DefaultOfflineAfter / time.Minute)
	DefaultAlertDiskLowMB           = int(alert.DefaultDiskLowBytes >> 20)
	DefaultAlertOverdueGraceSeconds = int(alert.DefaultOverdueGrace / time.Second)
	DefaultAlertPlayWithinSeconds   = int(alert.DefaultPlayWithin / time.Second)
)

// serveConfig is the server's whole configuration, filled from flags whose
// defaults come from LOA_* environment variables: a flag given on the
// command line wins over the environment, which wins over the default.
type serveConfig struct {
	Data          string
	Addr          string
	MaxUploadMB   int
	MaxAudioMin   int // longest audio taken in, decoded
	TargetLUFS    float64
	FFmpeg        string
	TTS           string
	TTSChime      string
	TTSAbbrev     string
	AdminPassword string
	LogLevel      string
	Ward          string // the ward's name, as report headings show it
	TLSCert       string
	TLSKey        string
	Proxies       []netip.Prefix
	// Alerts: the webhook told when an alert starts and clears, and the
	// thresholds.
	AlertWebhook        string
	AlertOfflineMinutes int
	AlertDiskLowMB      int
	// AlertOverdueGraceSeconds: how long after a planned item's end a
	// station may take to report it before it is overdue.
	AlertOverdueGraceSeconds int
	// AlertPlayWithinSeconds: how long an emergency may stay delivered
	// without playing before it is an alert.
	AlertPlayWithinSeconds int

	// The public listening site, "Nghe lại": its path ("off": none), the
	// address the public reaches the server at, and the portals that may
	// embed its player.
	PublicPath           string
	PublicURL            string
	PublicFrameAncestors []string

	RetainLedgerDays    int // aired events older than this are deleted; 0 keeps them forever
	RetainPlaylistsDays int // superseded playlist versions older than this are deleted; 0 keeps them

	// onListen, when set, is told the server's URL once it listens (the
	// demo uses it; it is not a setting).
	onListen func(url string)
	// freeze, when set, replaces how far ahead of now a rebuild may place
	// new items (the demo wants its first bulletin to air at once).
	freeze time.Duration
}

func parseServeFlags(args []string) (serveConfig, error) {
	var c serveConfig
	var env envDefaults
	fs := flag.NewFlagSet("loa serve", flag.ContinueOnError)
	fs.StringVar(&c.Data, "data", env.str("LOA_DATA", DefaultData), "data directory: the database and the audio files (LOA_DATA)")
	fs.StringVar(&c.Addr, "addr", env.str("LOA_ADDR", DefaultAddr), "HTTP listen address host:port (LOA_ADDR)")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", env.int("LOA_MAX_UPLOAD_MB", DefaultMaxUploadMB), "largest audio upload in MB (LOA_MAX_UPLOAD_MB)")
	fs.IntVar(&c.MaxAudioMin, "max-audio-minutes", env.int("LOA_MAX_AUDIO_MINUTES", DefaultMaxAudioMinutes), "longest audio taken in, decoded, in minutes (LOA_MAX_AUDIO_MINUTES)")
	fs.Float64Var(&c.TargetLUFS, "target-lufs", env.float("LOA_TARGET_LUFS", DefaultTargetLUFS), "loudness target in LUFS (LOA_TARGET_LUFS)")
	fs.StringVar(&c.FFmpeg, "ffmpeg", env.str("LOA_FFMPEG", ""), `ffmpeg for converting M4A/Ogg/8 kHz uploads; "" finds it in PATH, "off" disables (LOA_FFMPEG)`)
	fs.StringVar(&c.TTS, "tts", env.str("LOA_TTS", ""), `text-to-speech command, {out} the WAV it writes, text on stdin or in {text}; "" is espeak-ng -v vi, "off" disables (LOA_TTS)`)
	fs.StringVar(&c.TTSChime, "tts-chime", env.str("LOA_TTS_CHIME", ""), `16-bit WAV played before synthesised text when asked; "" is a generated two-tone chime (LOA_TTS_CHIME)`)
	fs.StringVar(&c.TTSAbbrev, "tts-abbrev", env.str("LOA_TTS_ABBREV", ""), `file of extra abbreviations read out by text-to-speech, one "ABBR = words" a line, over the built-in CCHC table (LOA_TTS_ABBREV)`)
	fs.StringVar(&c.Ward, "ward", env.str("LOA_WARD", ""), "the ward's name for report headings, e.g. \"Phường An Phú\" (LOA_WARD)")
	fs.StringVar(&c.LogLevel, "log-level", env.str("LOA_LOG_LEVEL", DefaultLogLevel), "debug, info, warn or error (LOA_LOG_LEVEL)")
	fs.StringVar(&c.TLSCert, "tls-cert", env.str("LOA_TLS_CERT", ""), "serve HTTPS with this certificate (PEM) (LOA_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env.str("LOA_TLS_KEY", ""), "the certificate's private key (PEM) (LOA_TLS_KEY)")
	fs.IntVar(&c.RetainLedgerDays, "retain-ledger-days", env.int("LOA_RETAIN_LEDGER_DAYS", DefaultRetainLedgerDays), "delete aired events older than this many days; 0 keeps them forever, else at least 731 (LOA_RETAIN_LEDGER_DAYS)")
	fs.IntVar(&c.RetainPlaylistsDays, "retain-playlists-days", env.int("LOA_RETAIN_PLAYLISTS_DAYS", DefaultRetainPlaylistsDays), "delete superseded playlist versions of days older than this; 0 keeps them (LOA_RETAIN_PLAYLISTS_DAYS)")
	fs.StringVar(&c.AlertWebhook, "alert-webhook", env.str("LOA_ALERT_WEBHOOK", ""), "URL that gets a JSON POST when an alert starts and when it clears (LOA_ALERT_WEBHOOK)")
	fs.IntVar(&c.AlertOfflineMinutes, "alert-offline-minutes", env.int("LOA_ALERT_OFFLINE_MINUTES", DefaultAlertOfflineMinutes), "alert when a station is silent this many minutes (LOA_ALERT_OFFLINE_MINUTES)")
	fs.IntVar(&c.AlertDiskLowMB, "alert-disk-low-mb", env.int("LOA_ALERT_DISK_LOW_MB", DefaultAlertDiskLowMB), "alert when the data directory's disk has less free space, in MB (LOA_ALERT_DISK_LOW_MB)")
	fs.IntVar(&c.AlertOverdueGraceSeconds, "alert-overdue-grace-seconds", env.int("LOA_ALERT_OVERDUE_GRACE_SECONDS", DefaultAlertOverdueGraceSeconds), "alert when a planned item's start, duration and this many seconds have passed with nothing reported (LOA_ALERT_OVERDUE_GRACE_SECONDS)")
	fs.IntVar(&c.AlertPlayWithinSeconds, "alert-play-within-seconds", env.int("LOA_ALERT_PLAY_WITHIN_SECONDS", DefaultAlertPlayWithinSeconds), "alert when an emergency or live broadcast reached a station but is not playing after this many seconds (LOA_ALERT_PLAY_WITHIN_SECONDS)")
	fs.StringVar(&c.PublicPath, "public-path", env.str("LOA_PUBLIC_PATH", web.DefaultPublicPath), `where the public listening site "Nghe lại" lives, e.g. /nghe-lai; "off" for none (LOA_PUBLIC_PATH)`)
	fs.StringVar(&c.PublicURL, "public-url", env.str("LOA_PUBLIC_URL", ""), "the server's address as the public reaches it, e.g. https://loa.phuong-an-phu.gov.vn, for the feed, share links and QR codes; \"\" uses each request's (LOA_PUBLIC_URL)")
	frames := fs.String("public-frame-ancestors", env.str("LOA_PUBLIC_FRAME_ANCESTORS", ""), "sites that may embed the public player, e.g. https://phuong-an-phu.gov.vn, comma-separated (LOA_PUBLIC_FRAME_ANCESTORS)")
	proxies := fs.String("trusted-proxies", env.str("LOA_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For/-Proto are believed: addresses or CIDRs, comma-separated (LOA_TRUSTED_PROXIES)")
	c.AdminPassword = os.Getenv("LOA_ADMIN_PASSWORD") // never a flag: it would show in ps
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	var err error
	if c.PublicFrameAncestors, err = parseOrigins(*frames); err != nil {
		return c, fmt.Errorf("--public-frame-ancestors %q: %v", *frames, err)
	}
	if c.Proxies, err = web.ParseProxies(*proxies); err != nil {
		return c, fmt.Errorf("--trusted-proxies %q: %v", *proxies, err)
	}
	if err := errors.Join(env.errs...); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.validate()
}

func (c serveConfig) validate() error {
	if strings.TrimSpace(c.Data) == "" {
		return fmt.Errorf("--data: the data directory must not be empty")
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port, e.g. 127.0.0.1:8080 or :8080", c.Addr)
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 4096 {
		return fmt.Errorf("--max-upload-mb %d: want 1 to 4096", c.MaxUploadMB)
	}
	if c.MaxAudioMin < 1 || c.MaxAudioMin > 24*60 {
		return fmt.Errorf("--max-audio-minutes %d: want 1 to 1440", c.MaxAudioMin)
	}
	if c.TargetLUFS < -40 || c.TargetLUFS > -5 {
		return fmt.Errorf("--target-lufs %g: want -40 to -5 (EBU R128 broadcast is -23, speech on loudspeakers -16)", c.TargetLUFS)
	}
	if _, err := logLevel(c.LogLevel); err != nil {
		return err
	}
	if _, err := tts.ParseCommand(c.TTS); c.TTS != "off" && err != nil {
		return fmt.Errorf("--tts: %w", err)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if c.TLSCert != "" {
		if _, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey); err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %v", err)
		}
	}
	if c.RetainLedgerDays < 0 || (c.RetainLedgerDays > 0 && c.RetainLedgerDays < MinRetainLedgerDays) {
		return fmt.Errorf("--retain-ledger-days %d: want 0 (keep forever) or at least %d (the yearly report compares with the year before)", c.RetainLedgerDays, MinRetainLedgerDays)
	}
	if c.RetainPlaylistsDays < 0 {
		return fmt.Errorf("--retain-playlists-days %d: want 0 (keep) or more", c.RetainPlaylistsDays)
	}
	if c.AlertWebhook != "" {
		if u, err := url.Parse(c.AlertWebhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--alert-webhook %q: want an http:// or https:// URL", c.AlertWebhook)
		}
	}
	if c.AlertOfflineMinutes < 1 || c.AlertDiskLowMB < 1 {
		return fmt.Errorf("--alert-offline-minutes and --alert-disk-low-mb: want 1 or more")
	}
	if c.AlertOverdueGraceSeconds < 1 || c.AlertOverdueGraceSeconds > 3600 {
		return fmt.Errorf("--alert-overdue-grace-seconds %d: want 1 to 3600", c.AlertOverdueGraceSeconds)
	}
	if c.AlertPlayWithinSeconds < 1 || c.AlertPlayWithinSeconds > 600 {
		return fmt.Errorf("--alert-play-within-seconds %d: want 1 to 600", c.AlertPlayWithinSeconds)
	}
	if c.PublicPath != "off" && !validSitePath(c.PublicPath) {
		return fmt.Errorf("--public-path %q: want a path such as /nghe-lai (letters, digits and dashes), or off", c.PublicPath)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--public-url %q: want the server's address, e.g. https://loa.phuong-an-phu.gov.vn", c.PublicURL)
		}
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 8 {
		return fmt.Errorf("LOA_ADMIN_PASSWORD: use at least 8 characters")
	}
	return nil
}

func logLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("--log-level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// envDefaults reads LOA_* variables as flag defaults and remembers the
// malformed ones, so that a typo in a unit file is an error, not a silent
// fallback.
type envDefaults struct{ errs []error }

func (e *envDefaults) str(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func (e *envDefaults) int(name string, def int) int {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: want a whole number", name, v))
		return def
	}
	return i
}

func (e *envDefaults) float(name string, def float64) float64 {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: want a number", name, v))
		return def
	}
	return f
}

// validSitePath reports whether p is a path of one or more segments of
// lower-case letters, digits and dashes, not one the operators' routes use.
func validSitePath(p string) bool {
	if !strings.HasPrefix(p, "/") || len(p) < 2 || len(p) > 64 {
		return false
	}
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if seg == "" || strings.Trim(seg, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return false
		}
	}
	switch strings.Split(strings.Trim(p, "/"), "/")[0] {
	case "api", "agent", "static", "login", "lang", "overview", "library", "schedule", "stations", "emergency", "onair", "reports", "users", "audit", "airlog":
		return false
	}
	return true
}

// parseOrigins reads a comma-separated list of web origins
// (https://host[:port]).
func parseOrigins(list string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return nil, fmt.Errorf("%q is not an origin such as https://phuong-an-phu.gov.vn", o)
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out, nil
}
