package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Command kinds.
const (
	CommandEmergencyPlay = "emergency_play"
	CommandEmergencyStop = "emergency_stop"
	CommandSetVolume     = "set_volume"
	CommandRefresh       = "refresh"    // re-fetch missing audio, resend status
	CommandResync        = "resync"     // drop playlists and request all again
	CommandLiveStart     = "live_start" // v2: play a live broadcast from the server now
	CommandLiveStop      = "live_stop"  // v2: end the live broadcast Live.ID
)

// commandKind is what the protocol knows of one command kind: the version
// that brought it and how its fields are checked.
type commandKind struct {
	since    int
	validate func(*Command) error
}

// commandKinds is every command kind. A new kind is a constant above, a
// line here, and its fields in Command; the hub's version gate and the
// codec's validation follow from this table.
var commandKinds = map[string]commandKind{
	CommandEmergencyPlay: {1, func(c *Command) error {
		if c.Item == nil {
			return errors.New("emergency_play needs an item")
		}
		if err := c.Item.validate(); err != nil {
			return fmt.Errorf("item: %w", err)
		}
		return checkRange("repeat", int64(c.Repeat), 1, 20)
	}},
	CommandEmergencyStop: {1, nil},
	CommandSetVolume:     {1, func(c *Command) error { return checkRange("volume", int64(c.Volume), 0, 100) }},
	CommandRefresh:       {1, nil},
	CommandResync:        {1, nil},
	CommandLiveStart: {2, func(c *Command) error {
		if c.Live == nil {
			return errors.New("live_start needs live")
		}
		return c.Live.validate()
	}},
	CommandLiveStop: {2, func(c *Command) error {
		if c.Live == nil {
			return errors.New("live_stop needs live")
		}
		return checkID("live.id", c.Live.ID, true)
	}},
}

// CommandSince is the protocol version that brought a command kind (0 for
// a kind the protocol does not know): an agent speaking an older version
// cannot carry it.
func CommandSince(kind string) int { return commandKinds[kind].since }

// Command is an operator's order. The agent acks it by ID; a command seen
// twice (after a reconnect) is acked again but run once.
type Command struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Item      *Item  `json:"item,omitempty"`   // emergency_play
	Repeat    int    `json:"repeat,omitempty"` // emergency_play, ≥ 1
	Volume    int    `json:"volume,omitempty"` // set_volume, 0–100
	Live      *Live  `json:"live,omitempty"`   // live_start, live_stop (only ID)
	ExpiresMs int64  `json:"expires_ms"`       // do not start after this instant
}

// Live formats.
const (
	LivePCM16 = "pcm_s16le" // raw signed 16-bit little-endian PCM, interleaved
)

// Live describes a live broadcast an agent plays as it arrives: the agent
// GETs Path from the server with its station token and plays the body until
// it ends, a live_stop for ID arrives, or MaxMs has played. It preempts the
// schedule the way an emergency does.
type Live struct {
	ID        string `json:"id"`                   // the live session; also the aired event's item_id
	SegmentID string `json:"segment_id,omitempty"` // the library segment its recording will become
	Title     string `json:"title,omitempty"`
	Topic     string `json:"topic,omitempty"`
	Path      string `json:"path,omitempty"`   // absolute path on the server, e.g. /agent/live/{id}
	Format    string `json:"format,omitempty"` // LivePCM16
	Rate      int    `json:"rate,omitempty"`   // frames per second, 8000–48000
	Channels  int    `json:"channels,omitempty"`
	MaxMs     int64  `json:"max_ms,omitempty"` // the longest it may last, ≤ 4 h
}

// Command delivery states reported in CommandAck.
const (
	StateDelivered = "delivered"
	StatePlaying   = "playing"
	StateDone      = "done"
	StateFailed    = "failed"
)

// CommandAck reports a command's progress on the agent.
type CommandAck struct {
	ID    string `json:"id"`
	State string `json:"state"`
	Error string `json:"error,omitempty"`
}

// MarshalJSON writes a command; set_volume always carries its volume, so
// that 0 (mute) is sent, and other kinds never do.
func (c Command) MarshalJSON() ([]byte, error) {
	type plain Command // without this method
	if c.Kind != CommandSetVolume {
		c.Volume = 0 // omitted
		return json.Marshal(plain(c))
	}
	return json.Marshal(struct {
		plain
		Volume int `json:"volume"`
	}{plain(c), c.Volume})
}

func (c *Command) validate() error {
	if err := checkID("id", c.ID, true); err != nil {
		return err
	}
	if err := checkInstant("expires_ms", c.ExpiresMs, true); err != nil {
		return err
	}
	k, ok := commandKinds[c.Kind]
	if !ok {
		return errors.New("unknown command kind")
	}
	if k.validate == nil {
		return nil
	}
	return k.validate(c)
}

const maxLiveMs = 4 * 3600 * 1000

func (l *Live) validate() error {
	if err := checkID("live.id", l.ID, true); err != nil {
		return err
	}
	if err := checkID("live.segment_id", l.SegmentID, false); err != nil {
		return err
	}
	if err := checkText("live.title", l.Title, maxTextLen); err != nil {
		return err
	}
	if err := checkText("live.topic", l.Topic, maxIDLen); err != nil {
		return err
	}
	if !strings.HasPrefix(l.Path, "/") || strings.HasPrefix(l.Path, "//") || len(l.Path) > maxURLLen {
		return errors.New("live.path must be an absolute path on the server")
	}
	if l.Format != LivePCM16 {
		return errors.New("live.format must be " + LivePCM16)
	}
	if err := checkRange("live.rate", int64(l.Rate), 8000, 48000); err != nil {
		return err
	}
	if err := checkRange("live.channels", int64(l.Channels), 1, 2); err != nil {
		return err
	}
	return checkRange("live.max_ms", l.MaxMs, 1000, maxLiveMs)
}

func (a *CommandAck) validate() error {
	if err := checkID("id", a.ID, true); err != nil {
		return err
	}
	switch a.State {
	case StateDelivered, StatePlaying, StateDone, StateFailed:
	default:
		return errors.New("state must be delivered, playing, done or failed")
	}
	return checkText("error", a.Error, maxTextLen)
}
