package playlist

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math"
	"strconv"
	"unicode/utf8"
)

// ComputeHash returns the hex sha256 of what the agent plays: the playlist's
// station, date, zone and items, written exactly as the agent protocol's
// Playlist encodes them with encoding/json (segment ids as decimal strings,
// no reasons, no slots). So the hash is the same one the hub sends and the
// agent checks, and a rebuild that changes only reasons or rotation
// tallies does not make a new version.
func (p *Playlist) ComputeHash() string {
	h := sha256.New()
	b := make([]byte, 0, 1024) // one item at a time: the hash streams
	b = append(b, `{"station":`...)
	b = appendString(b, p.Station)
	b = append(b, `,"date":`...)
	b = appendString(b, string(p.Date))
	b = append(b, `,"zone":`...)
	b = appendString(b, p.Zone)
	b = append(b, `,"items":[`...)
	for i := range p.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = p.Items[i].appendWire(b)
		h.Write(b)
		b = b[:0]
	}
	h.Write(append(b, "]}"...))
	return hex.EncodeToString(h.Sum(nil))
}

// appendWire writes the item as the protocol's Item, field for field (or
// from its segment's encoding, while it has the fields of it).
func (it *Item) appendWire(b []byte) []byte {
	if e := it.enc; e != nil && e.matches(it) {
		b = append(b, `{"id":`...)
		b = appendString(b, it.ID)
		b = append(b, e.wire1...)
		b = appendInt(b, keyStart, it.StartMs)
		return append(b, e.wire2...)
	}
	b = append(b, `{"id":`...)
	b = appendString(b, it.ID)
	b = append(b, `,"segment_id":"`...)
	if it.SegmentID != 0 {
		b = strconv.AppendUint(b, it.SegmentID, 10)
	}
	b = append(b, `","title":`...)
	b = appendString(b, it.Title)
	b = append(b, `,"topic":`...)
	b = appendString(b, it.Topic)
	b = append(b, `,"level":`...)
	b = appendString(b, string(it.Level))
	b = appendInt(b, `,"start_ms":`, it.StartMs)
	b = appendInt(b, `,"duration_ms":`, it.DurationMs)
	b = appendInt(b, `,"cue_in_ms":`, it.CueInMs)
	b = appendInt(b, `,"cue_out_ms":`, it.CueOutMs)
	b = append(b, `,"gain_db":`...)
	b = appendFloat(b, it.GainDB)
	if it.AudioSHA256 != "" {
		b = append(b, `,"audio_sha256":`...)
		b = appendString(b, it.AudioSHA256)
	}
	if it.AudioSize != 0 {
		b = appendInt(b, `,"audio_size":`, it.AudioSize)
	}
	b = append(b, `,"kind":`...)
	b = appendString(b, it.Kind)
	if it.URL != "" {
		b = append(b, `,"url":`...)
		b = appendString(b, it.URL)
	}
	return append(b, '}')
}

func appendInt(b []byte, key string, v int64) []byte {
	return strconv.AppendInt(append(b, key...), v, 10)
}

// appendFloat writes f as encoding/json does for the gains we produce.
func appendFloat(b []byte, f float64) []byte {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(f) || math.IsInf(f, 0) {
		out, _ := json.Marshal(f)
		return append(b, out...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendString writes s quoted and escaped as encoding/json does (HTML
// characters and U+2028/U+2029 escaped, invalid UTF-8 replaced). Runs of
// plain bytes are copied at once: Vietnamese titles are mostly multi-byte.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonSafe marks the ASCII bytes encoding/json writes as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// AppendHashed sets p.Hash to what ComputeHash returns and appends p as
// AppendJSON then writes it, in one pass: each value is encoded once, for
// the stored JSON, and copied from there into the agent's view that the
// hash covers. It is what storing a new version does; the bytes and the
// hash are those of ComputeHash followed by AppendJSON.
func (p *Playlist) AppendHashed(b []byte) []byte {
	p.Hash = zeroHash // a placeholder of the right length, overwritten in place
	w := wireHash{h: sha256.New()}
	b = p.appendJSON(b, &w)
	p.Hash = w.hex
	return b
}

// zeroHash has the length of a hex sha256.
const zeroHash = "0000000000000000000000000000000000000000000000000000000000000000"

// wireHash feeds sha256 the protocol's encoding of a playlist (see
// ComputeHash), assembled from the values its stored JSON already holds,
// piece by piece in the room after that JSON (then taken off again): no
// buffer of its own.
type wireHash struct {
	h   hash.Hash
	hex string // the hex hash, once summed
}

// hashTail hashes b[n:] and returns b[:n].
func (w *wireHash) hashTail(b []byte, n int) []byte {
	w.h.Write(b[n:])
	return b[:n]
}

// head starts the wire form with the station, date and zone values that lie
// in b at the given spans.
func (w *wireHash) head(b []byte, station, date, zone span) []byte {
	n := len(b)
	b = append(b, `{"station":`...)
	b = appendOf(b, b, station)
	b = append(b, `,"date":`...)
	b = appendOf(b, b, date)
	b = append(b, `,"zone":`...)
	b = appendOf(b, b, zone)
	b = append(b, `,"items":[`...)
	return w.hashTail(b, n)
}

// item adds it, whose stored JSON lies in b at sp.
func (w *wireHash) item(b []byte, sp *itemSpans, it *Item, first bool) []byte {
	n := len(b)
	if !first {
		b = append(b, ',')
	}
	b = appendWireItem(b, b, sp, it)
	return w.hashTail(b, n)
}

// sum ends the wire form and writes the hex hash over the placeholder at
// hash, the value of the stored JSON's "hash" (quotes included).
func (w *wireHash) sum(b []byte, hash span) []byte {
	b = w.hashTail(append(b, "]}"...), len(b))
	var sum [sha256.Size]byte
	hexHash := b[hash.from+1 : hash.to-1]
	hex.Encode(hexHash, w.h.Sum(sum[:0]))
	w.hex = string(hexHash)
	return b
}

// appendWireItem writes it, whose stored JSON lies in b at sp, as
// appendWire does. o may be b itself: what it appends lies after what it
// reads.
func appendWireItem(o, b []byte, sp *itemSpans, it *Item) []byte {
	o = append(o, `{"id":`...)
	o = appendOf(o, b, sp.id)
	if sp.enc != nil {
		o = append(o, sp.enc.wire1...)
		o = append(o, keyStart...)
		o = appendOf(o, b, sp.start)
		return append(o, sp.enc.wire2...)
	}
	o = append(o, `,"segment_id":"`...)
	o = appendOf(o, b, sp.seg) // empty for no segment
	o = append(o, `","title":`...)
	o = appendOf(o, b, sp.title)
	o = append(o, `,"topic":`...)
	o = appendOr(o, b, sp.topic, `""`)
	o = append(o, `,"level":`...)
	o = appendOf(o, b, sp.level)
	o = append(o, keyStart...)
	o = appendOf(o, b, sp.start)
	o = append(o, `,"duration_ms":`...)
	o = appendOf(o, b, sp.dur)
	o = append(o, `,"cue_in_ms":`...)
	o = appendOr(o, b, sp.cueIn, "0")
	o = append(o, `,"cue_out_ms":`...)
	o = appendOr(o, b, sp.cueOut, "0")
	o = append(o, `,"gain_db":`...)
	o = appendOf(o, b, sp.gain)
	if it.AudioSHA256 != "" {
		o = append(o, `,"audio_sha256":`...)
		o = appendOf(o, b, sp.sha)
	}
	if it.AudioSize != 0 {
		o = append(o, `,"audio_size":`...)
		o = appendOf(o, b, sp.size)
	}
	o = append(o, `,"kind":`...)
	o = appendOf(o, b, sp.kind)
	if it.URL != "" {
		o = append(o, `,"url":`...)
		o = appendOf(o, b, sp.url)
	}
	return append(o, '}')
}

func appendOf(o, b []byte, s span) []byte { return append(o, b[s.from:s.to]...) }

// appendOr copies the value at s, or writes zero when s is empty (the
// stored JSON omits the field).
func appendOr(o, b []byte, s span, zero string) []byte {
	if s.from == s.to {
		return append(o, zero...)
	}
	return append(o, b[s.from:s.to]...)
}
