package alert

import (
	"fmt"
	"slices"
	"time"

	"loa/broadcast/hub"
	"loa/broadcast/ledger"
	"loa/playlist"
	"loa/stations"
)

// Config sets the thresholds and the webhook. Zero values mean the
// Default* constants; an empty Webhook sends nothing.
type Config struct {
	OfflineAfter time.Duration // a station silent this long is an alert
	DiskLowBytes int64         // free space below this on the data directory's disk
	Webhook      string        // URL that gets a JSON POST when an alert starts and clears
	// OverdueGrace is how long after a planned item's end (its instant plus
	// its duration) the station may take to report it before it is overdue.
	OverdueGrace time.Duration
	// OverdueWindow is how far back planned items are checked.
	OverdueWindow time.Duration
	// PlayWithin bounds how long an emergency or live command may stay
	// delivered without playing.
	PlayWithin time.Duration
	// Grace is how long a station counts as online after it was last
	// heard from (the hub's presence grace).
	Grace time.Duration
}

// Defaults.
const (
	DefaultOfflineAfter  = 15 * time.Minute
	DefaultDiskLowBytes  = 1 << 30
	DefaultOverdueGrace  = time.Minute
	DefaultOverdueWindow = 24 * time.Hour
	DefaultPlayWithin    = 30 * time.Second
	// deliverWithin is how long a new playlist version may wait for its
	// station before it counts as not delivered.
	deliverWithin = 5 * time.Minute
)

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.OfflineAfter, DefaultOfflineAfter)
	def(&c.OverdueGrace, DefaultOverdueGrace)
	def(&c.OverdueWindow, DefaultOverdueWindow)
	def(&c.PlayWithin, DefaultPlayWithin)
	def(&c.Grace, stations.DefaultGrace)
	if c.DiskLowBytes <= 0 {
		c.DiskLowBytes = DefaultDiskLowBytes
	}
	return c
}

// Alert kinds.
const (
	KindStationOffline  = "station_offline"
	KindOutputSilent    = "output_silent"
	KindPlaylistPending = "playlist_not_delivered"
	KindDiskLow         = "disk_low"
	KindMissedItems     = "missed_items"
	// KindOverdue: an online station has not reported items whose time
	// has passed: an agent that is connected and silent is a fault.
	KindOverdue = "item_overdue"
	// KindOverdueOffline: an offline station has not reported items whose
	// time has passed; it may have played them and report on reconnect.
	KindOverdueOffline = "item_overdue_offline"
	// KindOffPlan: the agent waits for an item the server's plan does not
	// have, or skips one the plan has before it, or plays one the plan
	// does not have (Alert.Playing).
	KindOffPlan = "agent_off_plan"
	// KindNotPlaying: an emergency or live command reached the station
	// but did not start playing within Config.PlayWithin.
	KindNotPlaying = "command_not_playing"
	// KindAiredBound: a station sent more aired events today than any
	// healthy agent does; the rest are not stored (hub.AiredBoundReached).
	KindAiredBound = "aired_bound_reached"
)

// Severities.
const (
	Critical = "critical"
	Warning  = "warning"
)

// An Alert is one condition that holds now. ID is stable while it lasts
// (kind and station), so that a change of its count is no new alert.
type Alert struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Severity    string    `json:"severity"` // critical or warning
	Station     string    `json:"station,omitempty"`
	StationName string    `json:"station_name,omitempty"`
	Since       time.Time `json:"since,omitzero"`            // when the condition began, if known
	Never       bool      `json:"never_connected,omitempty"` // station_offline: set up but never heard from
	Count       int       `json:"count,omitempty"`
	FreeBytes   int64     `json:"free_bytes,omitempty"`
	// Items are the items concerned (item_overdue*: the overdue ones,
	// oldest first, at most MaxItems; agent_off_plan: what the agent
	// waits for, then what the plan has).
	Items []Item `json:"items,omitempty"`
	// Playing: agent_off_plan for the item on air (Items[0]), not one
	// awaited.
	Playing bool `json:"playing,omitempty"`
	// Commands are the commands concerned (command_not_playing).
	Commands []Command `json:"commands,omitempty"`
	Vi       string    `json:"message_vi"`
	En       string    `json:"message_en"`
}

// An Item is a planned item an alert names.
type Item struct {
	ItemID     string    `json:"item_id"`
	Title      string    `json:"title"`
	Planned    time.Time `json:"planned"`
	DurationMs int64     `json:"duration_ms,omitempty"`
}

// A Command is an operator's command an alert names.
type Command struct {
	ID    string    `json:"id"`
	Kind  string    `json:"kind"`
	State string    `json:"state"`
	Since time.Time `json:"since"` // when it reached State
}

// MaxItems bounds the items one alert lists; Count has them all.
const MaxItems = 10

// Wording writes an alert for people, in Vietnamese and in English.
type Wording func(a Alert, now time.Time) (vi, en string)

// Sources are the parts alerts read. Without Stations and Hub there are
// no station alerts; without Ledger, no missed or overdue items; without
// Plans, no overdue items nor plan checks; with no DataDir, no disk alert.
type Sources struct {
	Stations *stations.Store
	Hub      *hub.Hub
	Ledger   *ledger.Store
	Plans    *playlist.Store
	DataDir  string
}

// Checker computes the alerts.
type Checker struct {
	cfg   Config
	src   Sources
	words Wording
}

// New returns a Checker; words may be nil (messages are then the kinds).
func New(cfg Config, src Sources, words Wording) *Checker {
	return &Checker{cfg: cfg.WithDefaults(), src: src, words: words}
}

// Config returns the thresholds in force (defaults filled in).
func (c *Checker) Config() Config { return c.cfg }

// Alerts returns every alert that holds at now: critical ones first, then
// by station.
func (c *Checker) Alerts(now time.Time) ([]Alert, error) {
	out, err := c.stationAlerts(now)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	if c.src.DataDir != "" {
		if free, err := FreeBytes(c.src.DataDir); err == nil && free < uint64(c.cfg.DiskLowBytes) {
			out = append(out, Alert{Kind: KindDiskLow, FreeBytes: int64(free)})
		}
	}
	for i := range out {
		a := &out[i]
		a.ID = a.Kind
		if a.Station != "" {
			a.ID += ":" + a.Station
		}
		a.Severity = severity(a.Kind)
		a.Vi, a.En = a.Kind, a.Kind
		if c.words != nil {
			a.Vi, a.En = c.words(*a, now)
		}
	}
	slices.SortStableFunc(out, func(a, b Alert) int { return rank(a) - rank(b) })
	return out, nil
}

func rank(a Alert) int {
	if a.Severity == Critical {
		return 0
	}
	return 1
}

func severity(kind string) string {
	switch kind {
	case KindStationOffline, KindOutputSilent, KindDiskLow, KindOverdue, KindOffPlan, KindNotPlaying:
		return Critical
	}
	return Warning
}
