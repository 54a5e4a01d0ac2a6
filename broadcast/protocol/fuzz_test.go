package protocol

import (
	"errors"
	"testing"
)

// FuzzDecode checks the decoder never panics, never accepts a frame without
// a known type and seq, and that whatever it accepts re-encodes to a frame it
// accepts again. Seeds live in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"type":"ping","seq":1,"data":{"sent_ms":1795831200000}}`))
	f.Fuzz(func(t *testing.T, frame []byte) {
		m, err := Decode(frame)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrMalformed) &&
				!errors.Is(err, ErrUnknownType) && !errors.Is(err, ErrInvalid) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		if m.Seq == 0 || newBody(m.Type) == nil {
			t.Fatalf("accepted %q seq %d", m.Type, m.Seq)
		}
		again, err := Encode(m.Type, m.Seq, m.Body)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if _, err := Decode(again); err != nil {
			t.Fatalf("re-decode of %s: %v", again, err)
		}
	})
}
