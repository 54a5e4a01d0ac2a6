package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"time"
)

// Event is one aired (or missed) item with its snapshot at airing time.
// Station, ID and Planned identify it: a resend carries the same three.
type Event struct {
	StationID string
	ID        string
	ItemID    string
	SegmentID string
	CommandID string // set for emergency broadcasts
	Title     string
	Topic     string
	Level     string // protocol.Level*
	Kind      string // protocol.Kind*: what aired (relay, live); empty for audio
	Groups    []string
	Duration  time.Duration // planned
	Planned   time.Time
	Started   time.Time // zero when it never started
	Ended     time.Time // zero when it never started
	Played    time.Duration
	Outcome   string // protocol.Outcome*
	Reason    string
	Received  time.Time // when the server stored it
	// Unplanned says why the server does not count the event (issue 15):
	// UnplannedNotSent (it names no item or command the station was
	// sent) or UnplannedTime (its instants are implausible); "" for an
	// event that counts. An unplanned event is kept, listed with the
	// problems, and left out of every rollup.
	Unplanned string
}

// Why an event is unplanned.
const (
	UnplannedNotSent = "not_sent"
	UnplannedTime    = "implausible_time"
)

var unplannedReasons = []string{UnplannedNotSent, UnplannedTime}

// key orders events by planned start, then station, then id: reports scan a
// period with one cursor, live reports land at the end of the tree, and the
// key itself is the event's identity (no separate dedupe index).
func key(e *Event) []byte {
	k := make([]byte, 8, 10+len(e.StationID)+len(e.ID))
	binary.BigEndian.PutUint64(k, uint64(e.Planned.UnixMilli()))
	k = append(k, e.StationID...)
	k = append(k, 0)
	return append(k, e.ID...)
}

// minKeyLen is a key with a one-byte station and id.
const minKeyLen = 8 + 1 + 1 + 1

var levels = []string{"ordinary", "priority", "emergency"}
var outcomes = []string{"completed", "interrupted", "failed", "missed"}

// kinds other than audio, the default: audio events are stored without a
// kind byte, so they keep the size (and the encoding) they always had.
var kinds = []string{"relay", "live"}

func enum(list []string, s string) byte {
	for i, v := range list {
		if v == s {
			return byte(i + 1)
		}
	}
	return 0
}

func unenum(list []string, b byte) string {
	if b == 0 || int(b) > len(list) {
		return ""
	}
	return list[b-1]
}

const encodingV1 = 1

// encode writes the compact binary form: a version byte, length-prefixed
// strings, enum bytes and varint milliseconds relative to Planned, then,
// only for a kind other than audio or an unplanned event, the kind's enum
// byte (0: audio; records written before kinds existed end without it and
// read as audio), then, only for an unplanned event, its reason's enum
// byte.
func encode(e *Event) []byte {
	b := make([]byte, 0, 128+len(e.Title))
	b = append(b, encodingV1, enum(levels, e.Level), enum(outcomes, e.Outcome))
	for _, s := range []string{e.ItemID, e.SegmentID, e.CommandID, e.Title, e.Topic, e.Reason} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(e.Groups)))
	for _, g := range e.Groups {
		b = appendString(b, g)
	}
	planned := e.Planned.UnixMilli()
	b = binary.AppendUvarint(b, uint64(e.Duration.Milliseconds()))
	b = binary.AppendUvarint(b, uint64(e.Played.Milliseconds()))
	b = binary.AppendVarint(b, relMs(e.Started, planned))
	b = binary.AppendVarint(b, relMs(e.Ended, planned))
	b = binary.AppendVarint(b, relMs(e.Received, planned))
	if k := enum(kinds, e.Kind); k != 0 || e.Unplanned != "" {
		b = append(b, k)
	}
	if e.Unplanned != "" {
		b = append(b, enum(unplannedReasons, e.Unplanned))
	}
	return b
}

// relMs is t − planned in ms, shifted by one so that 0 means "zero time".
func relMs(t time.Time, planned int64) int64 {
	if t.IsZero() {
		return 0
	}
	d := t.UnixMilli() - planned
	if d >= 0 {
		return d + 1
	}
	return d
}

func absMs(rel, planned int64) time.Time {
	switch {
	case rel == 0:
		return time.Time{}
	case rel > 0:
		return time.UnixMilli(planned + rel - 1).UTC()
	}
	return time.UnixMilli(planned + rel).UTC()
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errCorrupt = errors.New("corrupt ledger record")

// ErrBadDay is returned for a day that is not a calendar day (YYYY-MM-DD).
var ErrBadDay = errors.New("not a calendar day")

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errCorrupt
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errCorrupt
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errCorrupt
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func decode(k, v []byte) (Event, error) {
	sep := bytes.IndexByte(k[min(8, len(k)):], 0)
	if len(k) < minKeyLen || sep < 0 || len(v) < 3 || v[0] != encodingV1 {
		return Event{}, errCorrupt
	}
	planned := int64(binary.BigEndian.Uint64(k))
	e := Event{Planned: time.UnixMilli(planned).UTC(), Level: unenum(levels, v[1]), Outcome: unenum(outcomes, v[2])}
	e.StationID, e.ID = string(k[8:8+sep]), string(k[9+sep:])
	r := &reader{b: v[3:]}
	for _, p := range []*string{&e.ItemID, &e.SegmentID, &e.CommandID, &e.Title, &e.Topic, &e.Reason} {
		*p = r.string()
	}
	if n := r.uvarint(); n > 0 && n <= 64 {
		e.Groups = make([]string, n)
		for i := range e.Groups {
			e.Groups[i] = r.string()
		}
	}
	e.Duration = time.Duration(r.uvarint()) * time.Millisecond
	e.Played = time.Duration(r.uvarint()) * time.Millisecond
	e.Started = absMs(r.varint(), planned)
	e.Ended = absMs(r.varint(), planned)
	e.Received = absMs(r.varint(), planned)
	if r.err == nil && len(r.b) > 0 {
		e.Kind = unenum(kinds, r.b[0])
	}
	if r.err == nil && len(r.b) > 1 {
		e.Unplanned = unenum(unplannedReasons, r.b[1])
	}
	return e, r.err
}
