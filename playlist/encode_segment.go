package playlist

import "bytes"

// segEncoding is the JSON of what an audio item takes from its segment
// alone (title, topic, level, audio hash and figures), written once per
// Builder in both forms: the stored one and the agent's, which the hash
// covers. Writing 2 million items a night, encoding these again for every
// item cost about a third of the writers' time.
//
// An item uses it only while its fields are still those it was made from:
// the writers check (matches), and write anything else (a decoded
// playlist, an edited item) field by field.
type segEncoding struct {
	of Item // the item as the segment makes it: no id, start, slot or reason
	// stored: from after the id's value to the "start_ms" key, and from
	// after the start's value to the "programme" key.
	stored1, stored2 []byte
	// wire: from after the id's value to the "start_ms" key, and from
	// after the start's value to the end of the item.
	wire1, wire2 []byte
}

// Keys that cannot occur inside an encoded string (its quotes would be
// escaped), so the first occurrence in an encoded item is the key.
const (
	keyStart     = `,"start_ms":`
	keyProgramme = `,"programme":`
)

// newSegEncoding encodes of field by field, both ways, and keeps the parts
// that do not change between the segment's items.
func newSegEncoding(of Item) *segEncoding {
	of.ID, of.StartMs, of.Programme, of.Slot, of.Reason, of.enc = "", 0, "", "", Reason{}, nil
	e := &segEncoding{of: of}
	var sp itemSpans
	stored := of.appendStored(nil, &sp)
	e.stored1 = stored[sp.id.to:bytes.Index(stored, []byte(keyStart))]
	e.stored2 = stored[sp.start.to:bytes.Index(stored, []byte(keyProgramme))]
	wire := appendWireItem(nil, stored, &sp, &of)
	k := bytes.Index(wire, []byte(keyStart))
	e.wire1 = wire[len(`{"id":""`):k]
	e.wire2 = wire[k+len(keyStart+"0"):]
	return e
}

// matches reports whether it has every field e was encoded from.
func (e *segEncoding) matches(it *Item) bool {
	t := *it
	t.ID, t.StartMs, t.Programme, t.Slot, t.Reason, t.enc = "", 0, "", "", Reason{}, nil
	return t == e.of
}
