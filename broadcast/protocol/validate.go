package protocol

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"time"
	"unicode/utf8"
)

type validator interface{ validate() error }

// earliestMs and latestMs bound every instant on the wire (2020–2100).
const (
	earliestMs = 1577836800000
	latestMs   = 4102444800000
)

func checkID(field, s string, required bool) error {
	if s == "" {
		if required {
			return fmt.Errorf("%s is required", field)
		}
		return nil
	}
	if len(s) > maxIDLen {
		return fmt.Errorf("%s longer than %d bytes", field, maxIDLen)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':' || c == '/'
		if !ok {
			return fmt.Errorf("%s has a character outside [A-Za-z0-9-_.:/]", field)
		}
	}
	return nil
}

func checkText(field, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("%s longer than %d bytes", field, max)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	return nil
}

func checkInstant(field string, ms int64, required bool) error {
	if ms == 0 && !required {
		return nil
	}
	if ms < earliestMs || ms > latestMs {
		return fmt.Errorf("%s out of range", field)
	}
	return nil
}

func checkRange(field string, v, lo, hi int64) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s out of range [%d, %d]", field, lo, hi)
	}
	return nil
}

func checkDate(field, s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != 10 {
		return fmt.Errorf("%s is not a YYYY-MM-DD date", field)
	}
	return nil
}

func checkHash(field, s string, required bool) error {
	if s == "" && !required {
		return nil
	}
	if len(s) != 64 {
		return fmt.Errorf("%s is not a hex sha256", field)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return fmt.Errorf("%s is not a lowercase hex sha256", field)
		}
	}
	return nil
}

func checkLevel(s string) error {
	switch s {
	case LevelOrdinary, LevelPriority, LevelEmergency:
		return nil
	}
	return errors.New("level must be ordinary, priority or emergency")
}

const dayMs = 24 * 3600 * 1000

func (h *Hello) validate() error {
	if len(h.Versions) == 0 || len(h.Versions) > 16 {
		return errors.New("versions must list 1 to 16 versions")
	}
	for _, v := range h.Versions {
		if v < 1 {
			return errors.New("versions must be ≥ 1")
		}
	}
	if err := checkText("agent", h.Agent, maxIDLen); err != nil {
		return err
	}
	if len(h.Held) > MaxHeld {
		return fmt.Errorf("held lists more than %d playlists", MaxHeld)
	}
	for _, r := range h.Held {
		if err := r.validate(); err != nil {
			return fmt.Errorf("held: %w", err)
		}
	}
	return checkInstant("sent_ms", h.SentMs, true)
}

func (c *ClockSample) validate() error {
	if err := checkInstant("echo_ms", c.EchoMs, true); err != nil {
		return err
	}
	if err := checkInstant("recv_ms", c.RecvMs, true); err != nil {
		return err
	}
	return checkInstant("send_ms", c.SendMs, true)
}

func (w *Welcome) validate() error {
	if w.Version < 1 {
		return errors.New("version must be ≥ 1")
	}
	if err := checkID("station", w.Station, true); err != nil {
		return err
	}
	if w.PingIntervalMs <= 0 || w.StatusIntervalMs <= 0 || w.MaxAiredBatch <= 0 {
		return errors.New("intervals and max_aired_batch must be > 0")
	}
	return w.ClockSample.validate()
}

func (p *Ping) validate() error { return checkInstant("sent_ms", p.SentMs, true) }

func (p *Pong) validate() error { return p.ClockSample.validate() }

func (r *PlaylistRef) validate() error {
	if err := checkDate("date", r.Date); err != nil {
		return err
	}
	if r.Version == 0 {
		return errors.New("version must be ≥ 1")
	}
	return checkHash("hash", r.Hash, true)
}

func (a *PlaylistAck) validate() error { return a.PlaylistRef.validate() }

func (p *Playlist) validate() error {
	if err := checkID("station", p.Station, true); err != nil {
		return err
	}
	ref := PlaylistRef{Date: p.Date, Version: p.Version, Hash: p.Hash}
	if err := ref.validate(); err != nil {
		return err
	}
	if p.Zone == "" {
		return errors.New("zone is required")
	}
	if _, err := time.LoadLocation(p.Zone); err != nil {
		return errors.New("zone is not an IANA time zone")
	}
	if len(p.Items) > MaxPlaylistItems {
		return fmt.Errorf("more than %d items", MaxPlaylistItems)
	}
	for i := range p.Items {
		if err := p.Items[i].validate(); err != nil {
			return fmt.Errorf("items[%d]: %w", i, err)
		}
	}
	if p.ComputeHash() != p.Hash {
		return errors.New("hash does not match the content")
	}
	return nil
}

func (it *Item) validate() error {
	for _, f := range []struct {
		name, v  string
		required bool
	}{{"id", it.ID, true}, {"segment_id", it.SegmentID, false}} {
		if err := checkID(f.name, f.v, f.required); err != nil {
			return err
		}
	}
	if err := checkText("title", it.Title, maxTextLen); err != nil {
		return err
	}
	if err := checkText("topic", it.Topic, maxIDLen); err != nil {
		return err
	}
	if err := checkLevel(it.Level); err != nil {
		return err
	}
	if err := checkInstant("start_ms", it.StartMs, true); err != nil {
		return err
	}
	if err := checkRange("duration_ms", it.DurationMs, 1, dayMs); err != nil {
		return err
	}
	if err := checkRange("cue_in_ms", it.CueInMs, 0, dayMs); err != nil {
		return err
	}
	if it.CueOutMs != 0 && it.CueOutMs <= it.CueInMs {
		return errors.New("cue_out_ms must be 0 or after cue_in_ms")
	}
	if math.IsNaN(it.GainDB) || it.GainDB < -60 || it.GainDB > 30 {
		return errors.New("gain_db out of range [-60, 30]")
	}
	return it.validateSource()
}

func (it *Item) validateSource() error {
	switch it.Kind {
	case KindAudio:
		if it.URL != "" {
			return errors.New("url is only for relay items")
		}
		if err := checkHash("audio_sha256", it.AudioSHA256, true); err != nil {
			return err
		}
		return checkRange("audio_size", it.AudioSize, 1, 1<<40)
	case KindRelay:
		if it.AudioSHA256 != "" || it.AudioSize != 0 {
			return errors.New("relay items carry no audio file")
		}
		u, err := url.Parse(it.URL)
		if err != nil || len(it.URL) > maxURLLen || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("url must be an http(s) URL")
		}
		return nil
	}
	return errors.New("kind must be audio or relay")
}

func (a *Aired) validate() error {
	if len(a.Events) == 0 || len(a.Events) > MaxAiredBatch {
		return fmt.Errorf("events must hold 1 to %d events", MaxAiredBatch)
	}
	for i := range a.Events {
		if err := a.Events[i].validate(); err != nil {
			return fmt.Errorf("events[%d]: %w", i, err)
		}
	}
	return nil
}

func (e *AiredEvent) validate() error {
	if err := e.validateIDs(); err != nil {
		return err
	}
	if err := checkText("title", e.Title, maxTextLen); err != nil {
		return err
	}
	if err := checkText("topic", e.Topic, maxIDLen); err != nil {
		return err
	}
	if err := checkText("reason", e.Reason, maxTextLen); err != nil {
		return err
	}
	if err := checkLevel(e.Level); err != nil {
		return err
	}
	switch e.Kind {
	case "", KindAudio, KindRelay, KindLive:
	default:
		return errors.New("kind must be audio, relay or live")
	}
	return e.validateTimes()
}

func (e *AiredEvent) validateIDs() error {
	if err := checkID("id", e.ID, true); err != nil {
		return err
	}
	if err := checkID("item_id", e.ItemID, true); err != nil {
		return err
	}
	if err := checkID("segment_id", e.SegmentID, false); err != nil {
		return err
	}
	return checkID("command_id", e.CommandID, false)
}

func (e *AiredEvent) validateTimes() error {
	switch e.Outcome {
	case OutcomeCompleted, OutcomeInterrupted, OutcomeFailed, OutcomeMissed:
	default:
		return errors.New("outcome must be completed, interrupted, failed or missed")
	}
	if err := checkRange("duration_ms", e.DurationMs, 0, dayMs); err != nil {
		return err
	}
	if err := checkRange("played_ms", e.PlayedMs, 0, dayMs); err != nil {
		return err
	}
	if err := checkInstant("planned_ms", e.PlannedMs, true); err != nil {
		return err
	}
	if err := checkInstant("started_ms", e.StartedMs, false); err != nil {
		return err
	}
	if err := checkInstant("ended_ms", e.EndedMs, false); err != nil {
		return err
	}
	if e.EndedMs != 0 && e.EndedMs < e.StartedMs {
		return errors.New("ended_ms before started_ms")
	}
	return nil
}

func (a *AiredAck) validate() error {
	if a.Ref == 0 || a.Stored < 0 || a.Duplicates < 0 {
		return errors.New("ref must be ≥ 1 and counts ≥ 0")
	}
	return nil
}

func (s *Status) validate() error {
	if s.NowPlaying != nil && s.Waiting != nil {
		return errors.New("now_playing and waiting are exclusive")
	}
	if s.NowPlaying != nil {
		if err := s.NowPlaying.validate(); err != nil {
			return err
		}
	}
	if s.Waiting != nil {
		if err := s.Waiting.validate(); err != nil {
			return err
		}
	}
	if err := s.validateNumbers(); err != nil {
		return err
	}
	if len(s.Faults) > MaxFaults {
		return fmt.Errorf("more than %d faults", MaxFaults)
	}
	for _, f := range s.Faults {
		if err := checkID("faults", f, true); err != nil {
			return err
		}
	}
	return nil
}

func (n *NowPlaying) validate() error {
	if err := checkID("now_playing.item_id", n.ItemID, true); err != nil {
		return err
	}
	if err := checkText("now_playing.title", n.Title, maxTextLen); err != nil {
		return err
	}
	if err := checkInstant("now_playing.started_ms", n.StartedMs, false); err != nil {
		return err
	}
	if err := checkInstant("now_playing.planned_ms", n.PlannedMs, false); err != nil {
		return err
	}
	if err := checkID("now_playing.command_id", n.CommandID, false); err != nil {
		return err
	}
	if n.Day == "" && n.PlaylistVersion == 0 && n.PlaylistHash == "" {
		return nil
	}
	if n.CommandID != "" {
		return errors.New("now_playing names a command or a playlist, not both")
	}
	return checkPlaylistSource("now_playing", n.Day, n.PlaylistVersion, n.PlaylistHash)
}

func (w *Waiting) validate() error {
	if err := checkID("waiting.item_id", w.ItemID, true); err != nil {
		return err
	}
	if err := checkText("waiting.title", w.Title, maxTextLen); err != nil {
		return err
	}
	if err := checkInstant("waiting.planned_ms", w.PlannedMs, true); err != nil {
		return err
	}
	return checkPlaylistSource("waiting", w.Day, w.PlaylistVersion, w.PlaylistHash)
}

// checkPlaylistSource checks the playlist a status names: its day, version
// and hash, all three required.
func checkPlaylistSource(field, day string, version uint64, hash string) error {
	if err := checkDate(field+".day", day); err != nil {
		return err
	}
	if version == 0 {
		return fmt.Errorf("%s.playlist_version must be ≥ 1", field)
	}
	return checkHash(field+".playlist_hash", hash, true)
}

func (s *Status) validateNumbers() error {
	if err := checkRange("playlist_days", int64(s.PlaylistDays), 0, 366); err != nil {
		return err
	}
	if err := checkRange("audio_days", int64(s.AudioDays), 0, 366); err != nil {
		return err
	}
	if err := checkRange("volume", int64(s.Volume), 0, 100); err != nil {
		return err
	}
	if math.IsNaN(s.OutputDB) || s.OutputDB < -200 || s.OutputDB > 20 {
		return errors.New("output_db out of range [-200, 20]")
	}
	if err := checkRange("free_disk_bytes", s.FreeDiskBytes, 0, 1<<50); err != nil {
		return err
	}
	return checkRange("clock_offset_ms", s.ClockOffsetMs, -dayMs*366, dayMs*366)
}
