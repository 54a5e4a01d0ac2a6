package protocol

// Message types, the "type" field of every frame.
const (
	TypeHello       = "hello"        // agent → server, first frame
	TypeWelcome     = "welcome"      // server → agent, answer to hello
	TypePing        = "ping"         // agent → server, clock sample request
	TypePong        = "pong"         // server → agent
	TypePlaylist    = "playlist"     // server → agent
	TypePlaylistAck = "playlist_ack" // agent → server
	TypeAired       = "aired"        // agent → server, a batch of events
	TypeAiredAck    = "aired_ack"    // server → agent, after a durable write
	TypeStatus      = "status"       // agent → server, periodic
	TypeCommand     = "command"      // server → agent
	TypeCommandAck  = "command_ack"  // agent → server
)

// Message is one decoded frame. Body is a pointer to the struct named by Type
// (for example *Hello for TypeHello).
type Message struct {
	Type string
	Seq  uint64
	Body any
}

// Hello opens a session. Held lists the playlists the agent already has, so
// the server sends only what changed.
type Hello struct {
	Versions []int         `json:"versions"`
	Agent    string        `json:"agent"`
	Held     []PlaylistRef `json:"held"`
	SentMs   int64         `json:"sent_ms"`
}

// ClockSample carries the server's receive and send instants for a request
// the agent sent at EchoMs (agent clock); all in Unix milliseconds.
type ClockSample struct {
	EchoMs int64 `json:"echo_ms"`
	RecvMs int64 `json:"recv_ms"`
	SendMs int64 `json:"send_ms"`
}

// Welcome accepts a session at Version for Station.
type Welcome struct {
	Version          int    `json:"version"`
	Station          string `json:"station"`
	PingIntervalMs   int64  `json:"ping_interval_ms"`
	StatusIntervalMs int64  `json:"status_interval_ms"`
	MaxAiredBatch    int    `json:"max_aired_batch"`
	ClockSample
}

// Ping asks for a clock sample; SentMs is the agent's clock.
type Ping struct {
	SentMs int64 `json:"sent_ms"`
}

// Pong answers a Ping.
type Pong struct {
	ClockSample
}

// PlaylistRef names one version of a station's playlist for a local date.
type PlaylistRef struct {
	Date    string `json:"date"` // YYYY-MM-DD in the station's zone
	Version uint64 `json:"version"`
	Hash    string `json:"hash"` // hex sha256, see Playlist.ComputeHash
}

// Item kinds and bulletin levels (Circular 39/2020/TT-BTTTT).
const (
	KindAudio = "audio"
	KindRelay = "relay"
	KindLive  = "live" // an operator's live broadcast (AiredEvent.Kind only, v2)

	LevelOrdinary  = "ordinary"
	LevelPriority  = "priority"
	LevelEmergency = "emergency"
)

// Playlist is everything an agent needs to play one local day on time and
// offline.
type Playlist struct {
	Station string `json:"station"`
	Date    string `json:"date"`
	Zone    string `json:"zone"`
	Version uint64 `json:"version"`
	Hash    string `json:"hash"`
	Items   []Item `json:"items"`
}

// Item is one timed entry of a playlist (or the item of an emergency command).
type Item struct {
	ID          string  `json:"id"`
	SegmentID   string  `json:"segment_id"`
	Title       string  `json:"title"`
	Topic       string  `json:"topic"`
	Level       string  `json:"level"`
	StartMs     int64   `json:"start_ms"` // planned start, Unix ms UTC
	DurationMs  int64   `json:"duration_ms"`
	CueInMs     int64   `json:"cue_in_ms"`
	CueOutMs    int64   `json:"cue_out_ms"`
	GainDB      float64 `json:"gain_db"`
	AudioSHA256 string  `json:"audio_sha256,omitempty"`
	AudioSize   int64   `json:"audio_size,omitempty"`
	Kind        string  `json:"kind"`
	URL         string  `json:"url,omitempty"` // relay source, KindRelay only
}

// PlaylistAck says the agent stored a playlist version durably.
type PlaylistAck struct {
	PlaylistRef
}

// Aired outcomes.
const (
	OutcomeCompleted   = "completed"
	OutcomeInterrupted = "interrupted"
	OutcomeFailed      = "failed"
	OutcomeMissed      = "missed"
)

// Aired is a batch of proof-of-play events.
type Aired struct {
	Events []AiredEvent `json:"events"`
}

// AiredEvent reports one item that should have played. ID is chosen by the
// agent, never changes on resend, and with PlannedMs identifies the event.
type AiredEvent struct {
	ID         string `json:"id"`
	ItemID     string `json:"item_id"`
	SegmentID  string `json:"segment_id"`
	CommandID  string `json:"command_id,omitempty"`
	Title      string `json:"title"`
	Topic      string `json:"topic"`
	Level      string `json:"level"`
	DurationMs int64  `json:"duration_ms"` // planned
	PlannedMs  int64  `json:"planned_ms"`
	StartedMs  int64  `json:"started_ms,omitempty"` // 0 when it never started
	EndedMs    int64  `json:"ended_ms,omitempty"`
	PlayedMs   int64  `json:"played_ms"`
	Outcome    string `json:"outcome"`
	Reason     string `json:"reason,omitempty"`
	Kind       string `json:"kind,omitempty"` // v2: audio (also when empty), relay or live
}

// AiredAck acknowledges the aired frame numbered Ref once its events are
// durably stored. Duplicates counts events already stored before.
type AiredAck struct {
	Ref        uint64 `json:"ref"`
	Stored     int    `json:"stored"`
	Duplicates int    `json:"duplicates"`
}

// Status is the agent's health report, sent periodically and whenever what
// the player does changes. At most one of NowPlaying and Waiting is set;
// neither means the player has nothing ahead in the playlists it holds.
type Status struct {
	NowPlaying    *NowPlaying `json:"now_playing,omitempty"`
	Waiting       *Waiting    `json:"waiting,omitempty"` // v2, optional
	PlaylistDays  int         `json:"playlist_days"`
	AudioDays     int         `json:"audio_days"`
	OutputDB      float64     `json:"output_db"` // recent output level, dBFS
	Volume        int         `json:"volume"`
	Faults        []string    `json:"faults,omitempty"`
	FreeDiskBytes int64       `json:"free_disk_bytes"`
	ClockOffsetMs int64       `json:"clock_offset_ms"`
}

// NowPlaying names the item on air. A scheduled item also names the
// playlist it came from (day, version and hash, all three or none) and its
// planned instant; an emergency or a live broadcast names its command.
// The fields after started_ms are v2 and optional.
type NowPlaying struct {
	ItemID          string `json:"item_id"`
	Title           string `json:"title"`
	StartedMs       int64  `json:"started_ms"`
	PlannedMs       int64  `json:"planned_ms,omitempty"`
	Day             string `json:"day,omitempty"` // the playlist's local date, YYYY-MM-DD
	PlaylistVersion uint64 `json:"playlist_version,omitempty"`
	PlaylistHash    string `json:"playlist_hash,omitempty"`
	CommandID       string `json:"command_id,omitempty"`
}

// Waiting names the scheduled item the player waits for and the playlist
// it comes from, so the server can compare it with its plan.
type Waiting struct {
	ItemID          string `json:"item_id"`
	Title           string `json:"title"`
	PlannedMs       int64  `json:"planned_ms"`
	Day             string `json:"day"` // the playlist's local date, YYYY-MM-DD
	PlaylistVersion uint64 `json:"playlist_version"`
	PlaylistHash    string `json:"playlist_hash"`
}
