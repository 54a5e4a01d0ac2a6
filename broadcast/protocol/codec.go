package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Decoding errors; every error from Decode wraps exactly one of them.
var (
	ErrTooLarge    = errors.New("message too large")
	ErrMalformed   = errors.New("malformed message")
	ErrUnknownType = errors.New("unknown message type")
	ErrInvalid     = errors.New("invalid message")
)

// envelope is the outer shape of every frame.
type envelope struct {
	Type string          `json:"type"`
	Seq  uint64          `json:"seq"`
	Data json.RawMessage `json:"data"`
}

// newBody returns a fresh body for a message type, or nil when unknown.
func newBody(typ string) any {
	switch typ {
	case TypeHello:
		return new(Hello)
	case TypeWelcome:
		return new(Welcome)
	case TypePing:
		return new(Ping)
	case TypePong:
		return new(Pong)
	case TypePlaylist:
		return new(Playlist)
	case TypePlaylistAck:
		return new(PlaylistAck)
	case TypeAired:
		return new(Aired)
	case TypeAiredAck:
		return new(AiredAck)
	case TypeStatus:
		return new(Status)
	case TypeCommand:
		return new(Command)
	case TypeCommandAck:
		return new(CommandAck)
	}
	return nil
}

// FromAgent reports whether an agent may send messages of this type.
func FromAgent(typ string) bool {
	switch typ {
	case TypeHello, TypePing, TypePlaylistAck, TypeAired, TypeStatus, TypeCommandAck:
		return true
	}
	return false
}

// Decode parses one frame strictly: unknown fields, trailing data, a missing
// or zero seq, an unknown type, a field out of range or a frame above
// MaxMessageBytes are errors.
func Decode(frame []byte) (Message, error) {
	if len(frame) > MaxMessageBytes {
		return Message{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(frame))
	}
	if err := checkUTF8(frame); err != nil {
		return Message{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if m, ok := decodeCanonical(frame); ok {
		return m, nil
	}
	var env envelope
	if err := strictUnmarshal(frame, &env); err != nil {
		return Message{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	body := newBody(env.Type)
	if body == nil {
		return Message{}, fmt.Errorf("%w: %q", ErrUnknownType, truncate(env.Type))
	}
	if env.Seq == 0 {
		return Message{}, fmt.Errorf("%w: %s: seq must be ≥ 1", ErrInvalid, env.Type)
	}
	if len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null")) {
		return Message{}, fmt.Errorf("%w: %s: missing data", ErrInvalid, env.Type)
	}
	if err := strictUnmarshal(env.Data, body); err != nil {
		return Message{}, fmt.Errorf("%w: %s: %v", ErrMalformed, env.Type, err)
	}
	if err := body.(validator).validate(); err != nil {
		return Message{}, fmt.Errorf("%w: %s: %v", ErrInvalid, env.Type, err)
	}
	return Message{Type: env.Type, Seq: env.Seq, Body: body}, nil
}

// decodeCanonical decodes a frame laid out exactly as Frame writes it
// without a separate pass over the envelope (a third of the cost of a
// 500-event aired frame). Anything else, including every invalid frame,
// goes through the general path, so the result is the same either way.
func decodeCanonical(frame []byte) (Message, bool) {
	rest, ok := bytes.CutPrefix(frame, []byte(`{"type":"`))
	if !ok {
		return Message{}, false
	}
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return Message{}, false
	}
	typ := string(rest[:end])
	rest, ok = bytes.CutPrefix(rest[end:], []byte(`","seq":`))
	if !ok {
		return Message{}, false
	}
	digits := 0
	for digits < len(rest) && digits < 19 && rest[digits] >= '0' && rest[digits] <= '9' {
		digits++
	}
	if digits == 0 || rest[0] == '0' {
		return Message{}, false
	}
	seq, err := strconv.ParseUint(string(rest[:digits]), 10, 64)
	data, ok := bytes.CutPrefix(rest[digits:], []byte(`,"data":`))
	if err != nil || !ok || len(data) == 0 || data[len(data)-1] != '}' {
		return Message{}, false
	}
	data = data[:len(data)-1]
	body := newBody(typ)
	if body == nil || bytes.Equal(data, []byte("null")) || strictUnmarshal(data, body) != nil || body.(validator).validate() != nil {
		return Message{}, false
	}
	return Message{Type: typ, Seq: seq, Body: body}, true
}

// checkUTF8 refuses a frame that is not valid UTF-8, or that escapes half
// of a surrogate pair: encoding/json would read either as U+FFFD, and the
// text stored would not be the text sent.
func checkUTF8(frame []byte) error {
	if !utf8.Valid(frame) {
		return errors.New("not valid UTF-8")
	}
	for i := 0; i < len(frame); {
		j := bytes.IndexByte(frame[i:], '\\')
		if j < 0 || i+j+1 >= len(frame) {
			return nil
		}
		i += j
		if frame[i+1] != 'u' {
			i += 2 // an escaped character, perhaps a backslash
			continue
		}
		switch r := hexRune(frame[i+2:]); {
		case r >= 0xDC00 && r <= 0xDFFF:
			return errors.New("an escaped low surrogate without its high half")
		case r >= 0xD800 && r <= 0xDBFF:
			next := frame[min(i+6, len(frame)):]
			if low := hexRune(next[min(2, len(next)):]); !bytes.HasPrefix(next, []byte(`\u`)) || low < 0xDC00 || low > 0xDFFF {
				return errors.New("an escaped high surrogate without its low half")
			}
			i += 6
		}
		i += 6
	}
	return nil
}

// hexRune reads the 4 hex digits of a \u escape; -1 if they are not.
func hexRune(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(v)
}

// CloseCode is the close code a peer sends for a Decode error.
func CloseCode(err error) int {
	if errors.Is(err, ErrTooLarge) {
		return CloseTooLarge
	}
	return CloseBadMessage
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// Encode builds one frame. body must be the struct for typ (value or pointer).
func Encode(typ string, seq uint64, body any) ([]byte, error) {
	data, err := EncodeBody(body)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", typ, err)
	}
	return Frame(typ, seq, data), nil
}

// EncodeBody encodes a message body once, so that Frame can wrap it for many
// connections (each with its own seq) without encoding it again.
func EncodeBody(body any) ([]byte, error) {
	return json.Marshal(body)
}

// Frame wraps an encoded body into a frame. typ must be one of the Type
// constants (they need no JSON escaping).
func Frame(typ string, seq uint64, data []byte) []byte {
	return AppendFrame(make([]byte, 0, len(typ)+len(data)+40), typ, seq, data)
}

// AppendFrame appends the frame Frame would return to dst.
func AppendFrame(dst []byte, typ string, seq uint64, data []byte) []byte {
	b := append(dst, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"data":`...)
	b = append(b, data...)
	return append(b, '}')
}
