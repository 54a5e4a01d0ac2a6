package audio

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// Format names. "mp3" and "wav" are read natively; the others are
// recognised and converted through ffmpeg when it is available.
const (
	FormatMP3 = "mp3"
	FormatWAV = "wav"
)

// sniffed is what the first bytes of a file say it is.
type sniffed struct {
	format string      // FormatMP3, FormatWAV or a convertible format name
	pos    int64       // offset of the audio after leading tags
	first  frameHeader // first MP3 frame, for "mp3"
}

// maxLeadingJunk bounds how far after an ID3v2 tag the first frame may
// start (some taggers leave padding the size field does not count).
const maxLeadingJunk = 64 << 10

// sniff skips leading ID3v2 tags (consuming them from r) and recognises the
// format of what follows. A file it cannot place is an *Error.
func sniff(r *bufio.Reader, size int64) (sniffed, error) {
	var s sniffed
	tagged := false
	for {
		b, _ := r.Peek(10)
		n := id3v2Size(b)
		if n == 0 {
			break
		}
		if n > size-s.pos {
			return s, reject(CodeTruncated, "", s.pos, "the ID3 tag at byte %d claims %d bytes; the file has %d after it", s.pos, n, size-s.pos)
		}
		if _, err := r.Discard(int(n)); err != nil {
			return s, err
		}
		s.pos += n
		tagged = true
	}
	head, err := r.Peek(int(min(64, size-s.pos)))
	if err != nil && !errors.Is(err, io.EOF) {
		return s, err
	}
	if len(head) == 0 {
		return s, reject(CodeNoAudio, "", s.pos, "the file holds only an ID3 tag (%d bytes) and no audio", s.pos)
	}
	if f := containerFormat(head); f != "" {
		s.format = f
		return s, nil
	}
	return sniffMPEG(r, s, size, tagged)
}

// sniffMPEG finds the first MPEG audio frame: right here, or after some
// padding when a tag came first.
func sniffMPEG(r *bufio.Reader, s sniffed, size int64, tagged bool) (sniffed, error) {
	limit := 4
	if tagged {
		limit = maxLeadingJunk
	}
	b, err := r.Peek(int(min(int64(limit+2*2881+4), size-s.pos)))
	if err != nil && !errors.Is(err, io.EOF) {
		return s, err
	}
	for i := 0; i < limit && i+4 <= len(b); i++ {
		h, ok := parseHeader(b[i:])
		if !ok || !confirmed(b[i:], h, size-s.pos-int64(i)) {
			continue
		}
		if _, err := r.Discard(i); err != nil {
			return s, err
		}
		s.pos += int64(i)
		s.first, s.format = h, h.kind()
		return s, nil
	}
	if tagged && allZero(b) && int64(len(b)) == size-s.pos {
		return s, reject(CodeNoAudio, "", s.pos, "the file holds only an ID3 tag and padding, no audio")
	}
	return s, reject(CodeUnknownFormat, "", -1, "%s, not audio Loa can read", describe(b))
}

// confirmed checks that a plausible header is followed by another frame of
// the same stream (or by the end of the file), so noise is not taken for
// MP3.
func confirmed(b []byte, h frameHeader, left int64) bool {
	n := h.size()
	if n == 0 { // free format: cannot check; trust only at the very start
		return h.layer == 3
	}
	if int64(n) >= left {
		return int64(n) <= left+16 // one short frame then the end: let the scan judge
	}
	if n+4 > len(b) {
		return false
	}
	h2, ok := parseHeader(b[n:])
	if ok && h2.compatible(h) {
		return true
	}
	// The next thing may be a trailing tag after a one-frame file.
	return bytes.HasPrefix(b[n:], []byte("TAG")) || bytes.HasPrefix(b[n:], []byte("APETAGEX"))
}

// containerFormat recognises audio formats by their magic numbers.
func containerFormat(b []byte) string {
	has := func(off int, magic string) bool {
		return len(b) >= off+len(magic) && string(b[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "RIFF") && has(8, "WAVE"):
		return FormatWAV
	case has(0, "RF64") || has(0, "BW64"):
		return "wav-rf64"
	case has(0, "OggS"):
		return "ogg"
	case has(0, "fLaC"):
		return "flac"
	case has(4, "ftyp3g"):
		return "3gp"
	case has(4, "ftyp"):
		return "m4a"
	case has(0, "#!AMR"):
		return "amr"
	case has(0, "FORM") && (has(8, "AIFF") || has(8, "AIFC")):
		return "aiff"
	case has(0, "\x30\x26\xB2\x75\x8E\x66\xCF\x11"):
		return "wma"
	case has(0, "\x1A\x45\xDF\xA3"):
		return "webm"
	case has(0, "caff"):
		return "caf"
	case len(b) >= 2 && b[0] == 0xFF && b[1]&0xF6 == 0xF0: // ADTS: MPEG sync, layer 0
		return "aac"
	}
	return ""
}

// describe names common non-audio files for the rejection message.
func describe(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG")):
		return "a PNG image"
	case bytes.HasPrefix(b, []byte("\xFF\xD8\xFF")):
		return "a JPEG image"
	case bytes.HasPrefix(b, []byte("GIF8")):
		return "a GIF image"
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "a PDF document"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "a ZIP archive (or an Office document)"
	case bytes.HasPrefix(b, []byte("RIFF")):
		return "a RIFF file that is not WAVE"
	case isText(b):
		return "a text file"
	}
	return "unrecognised data"
}

func isText(b []byte) bool {
	if len(b) > 256 {
		b = b[:256]
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 && len(b) >= utf8.UTFMax {
			return false
		}
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
		b = b[n:]
	}
	return true
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
