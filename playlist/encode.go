package playlist

import (
	"slices"
	"strconv"
	"time"
)

// jsonItemBytes is a generous estimate of one item's length in AppendJSON.
const jsonItemBytes = 512

// AppendJSON appends the playlist as encoding/json would write it (the same
// bytes, so json.Unmarshal reads it back), several times faster: building
// and storing 70,000 playlists a night spends most of its time here.
func (p *Playlist) AppendJSON(b []byte) []byte { return p.appendJSON(b, nil) }

// appendJSON writes p; given w, it also feeds w the agent's view of p, item
// by item, from the values just written.
func (p *Playlist) appendJSON(b []byte, w *wireHash) []byte {
	// Room for the whole playlist at once (an item takes about 450 bytes,
	// a slot about 100; with w, an item's wire form is put together after
	// it): growing from nil by doubling allocated and copied the bytes
	// several times over.
	b = slices.Grow(b, 512+jsonItemBytes*len(p.Items)+128*len(p.Slots)+32*len(p.Left)+wireRoom(w))
	b = append(b, `{"station":`...)
	b, station := appendSpan(b, p.Station)
	b = append(b, `,"date":`...)
	b, date := appendSpan(b, string(p.Date))
	b = append(b, `,"zone":`...)
	b, zone := appendSpan(b, p.Zone)
	if w != nil {
		b = w.head(b, station, date, zone)
	}
	b = append(b, `,"version":`...)
	b = strconv.AppendUint(b, p.Version, 10)
	b = append(b, `,"hash":`...)
	b, hash := appendSpan(b, p.Hash)
	b = append(b, `,"built_at":"`...)
	b = p.BuiltAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","slots":`...)
	b = appendList(b, p.Slots, (*SlotRun).appendJSON)
	b = append(b, `,"items":`...)
	b = p.appendItems(b, w)
	if len(p.Left) > 0 {
		b = append(b, `,"left":`...)
		b = appendList(b, p.Left, (*LeftOut).appendJSON)
	}
	if w != nil {
		b = w.sum(b, hash)
	}
	return append(b, '}')
}

// wireRoom is the room wireHash needs after the JSON: enough for an item's
// wire form as the builder makes them.
func wireRoom(w *wireHash) int {
	if w == nil {
		return 0
	}
	return 1024
}

// appendItems writes the items list, like appendList, passing each item's
// spans to w.
func (p *Playlist) appendItems(b []byte, w *wireHash) []byte {
	if p.Items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	var sp itemSpans
	for i := range p.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = p.Items[i].appendStored(b, &sp)
		if w != nil {
			b = w.item(b, &sp, &p.Items[i], i == 0)
		}
	}
	return append(b, ']')
}

func appendList[T any](b []byte, list []T, each func(*T, []byte) []byte) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(&list[i], b)
	}
	return append(b, ']')
}

func (r *SlotRun) appendJSON(b []byte) []byte {
	b = append(b, `{"programme":`...)
	b = appendString(b, r.Programme)
	b = append(b, `,"slot":`...)
	b = appendString(b, r.Slot)
	b = append(b, `,"kind":`...)
	b = appendString(b, string(r.Kind))
	b = appendInt(b, `,"start_ms":`, r.StartMs)
	b = appendInt(b, `,"end_ms":`, r.EndMs)
	if r.Note != "" {
		b = append(b, `,"note":`...)
		b = appendString(b, r.Note)
	}
	return append(b, '}')
}

func (it *Item) appendJSON(b []byte) []byte {
	var sp itemSpans
	return it.appendStored(b, &sp)
}

// A span is where one value lies in a buffer: b[from:to].
type span struct{ from, to int }

// itemSpans are where an item's values lie in its stored JSON, so that
// AppendHashed can copy them into the wire form instead of encoding them a
// second time. A field the stored JSON omits has an empty span.
type itemSpans struct {
	id, seg, title, topic, level, kind, start, dur, cueIn, cueOut, gain, sha, size, url span
	// When set, the item was written from its segment's encoding: only id
	// and start are noted, the rest is in enc.
	enc *segEncoding
}

// appendStored writes the item as encoding/json does and notes in sp where
// each value went.
func (it *Item) appendStored(b []byte, sp *itemSpans) []byte {
	*sp = itemSpans{}
	b = append(b, `{"id":`...)
	b, sp.id = appendSpan(b, it.ID)
	if it.enc != nil && it.enc.matches(it) {
		sp.enc = it.enc
		b = append(b, sp.enc.stored1...)
		b, sp.start = appendIntSpan(b, keyStart, it.StartMs)
		b = append(b, sp.enc.stored2...)
	} else {
		b = it.appendFields(b, sp)
	}
	return it.appendPlace(b)
}

// appendFields writes the item's fields between its id and its programme,
// one by one.
func (it *Item) appendFields(b []byte, sp *itemSpans) []byte {
	if it.SegmentID != 0 {
		b = append(b, `,"segment_id":`...)
		at := len(b)
		b = strconv.AppendUint(b, it.SegmentID, 10)
		sp.seg = span{at, len(b)}
	}
	b = append(b, `,"title":`...)
	b, sp.title = appendSpan(b, it.Title)
	if it.Topic != "" {
		b = append(b, `,"topic":`...)
		b, sp.topic = appendSpan(b, it.Topic)
	}
	b = append(b, `,"level":`...)
	b, sp.level = appendSpan(b, string(it.Level))
	b = append(b, `,"kind":`...)
	b, sp.kind = appendSpan(b, it.Kind)
	b, sp.start = appendIntSpan(b, keyStart, it.StartMs)
	b, sp.dur = appendIntSpan(b, `,"duration_ms":`, it.DurationMs)
	if it.CueInMs != 0 {
		b, sp.cueIn = appendIntSpan(b, `,"cue_in_ms":`, it.CueInMs)
	}
	if it.CueOutMs != 0 {
		b, sp.cueOut = appendIntSpan(b, `,"cue_out_ms":`, it.CueOutMs)
	}
	b = append(b, `,"gain_db":`...)
	at := len(b)
	b = appendFloat(b, it.GainDB)
	sp.gain = span{at, len(b)}
	if it.AudioSHA256 != "" {
		b = append(b, `,"audio_sha256":`...)
		b, sp.sha = appendSpan(b, it.AudioSHA256)
	}
	if it.AudioSize != 0 {
		b, sp.size = appendIntSpan(b, `,"audio_size":`, it.AudioSize)
	}
	if it.URL != "" {
		b = append(b, `,"url":`...)
		b, sp.url = appendSpan(b, it.URL)
	}
	return b
}

// appendPlace ends the stored item with where it plays and why.
func (it *Item) appendPlace(b []byte) []byte {
	b = append(b, keyProgramme...)
	b = appendString(b, it.Programme)
	b = append(b, `,"slot":`...)
	b = appendString(b, it.Slot)
	b = append(b, `,"reason":`...)
	b = it.Reason.appendJSON(b)
	return append(b, '}')
}

// appendSpan writes s as a JSON string and returns where it went.
func appendSpan(b []byte, s string) ([]byte, span) {
	at := len(b)
	b = appendString(b, s)
	return b, span{at, len(b)}
}

// appendIntSpan writes key and v and returns where v went.
func appendIntSpan(b []byte, key string, v int64) ([]byte, span) {
	b = append(b, key...)
	at := len(b)
	b = strconv.AppendInt(b, v, 10)
	return b, span{at, len(b)}
}

func (r *Reason) appendJSON(b []byte) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, r.Code)
	b = appendNonZero(b, `,"n":`, int64(r.N))
	b = appendNonZero(b, `,"of":`, int64(r.Of))
	b = appendNonZero(b, `,"aired":`, int64(r.Aired))
	b = appendNonZero(b, `,"last_ms":`, r.LastMs)
	return append(b, '}')
}

func (l *LeftOut) appendJSON(b []byte) []byte {
	b = append(b, `{"reason":`...)
	b = l.Reason.appendJSON(b)
	b = append(b, `,"segments":`...)
	if l.Segments == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, id := range l.Segments {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendUint(b, id, 10)
		}
		b = append(b, ']')
	}
	if l.Programme != "" {
		b = append(b, `,"programme":`...)
		b = appendString(b, l.Programme)
	}
	if l.Slot != "" {
		b = append(b, `,"slot":`...)
		b = appendString(b, l.Slot)
	}
	return append(b, '}')
}

func appendNonZero(b []byte, key string, v int64) []byte {
	if v == 0 {
		return b
	}
	return appendInt(b, key, v)
}
