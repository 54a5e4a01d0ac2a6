package audio

import (
	"bufio"
	"errors"
	"io"
)

// mp3Frame is one audio frame as found in the file. data is only valid
// until the next call to next.
type mp3Frame struct {
	off  int64
	h    frameHeader
	data []byte
}

// mp3Scanner walks the frames of an MP3 stream in file order, reading each
// byte once (so a hash can be taken on the way). It skips tags, tolerates
// junk after the last frame and rejects a stream that loses sync part-way
// or ends inside a frame.
type mp3Scanner struct {
	r       *bufio.Reader
	pos     int64 // file offset of r's next byte
	end     int64 // where the audio ends: the file size minus trailing tags
	pending int   // bytes of the last frame returned, discarded on next call

	first  frameHeader // the stream's first frame: later ones must match it
	xing   xingInfo
	tagged bool // the first frame was a Xing/Info/VBRI tag frame

	frames   int64 // audio frames returned so far
	bytes    int64 // their total length
	junk     int64 // bytes of junk between the last frame and end
	junkAt   int64
	maxFrame int // largest frame seen
}

// newMP3Scanner starts at pos, the offset of the first frame header (tags
// already skipped), and consumes the tag frame if there is one.
func newMP3Scanner(r *bufio.Reader, pos, end int64, first frameHeader) (*mp3Scanner, error) {
	s := &mp3Scanner{r: r, pos: pos, end: end, first: first}
	n := first.size()
	if int64(n) > end-pos {
		return nil, s.truncated(n)
	}
	b, err := r.Peek(n)
	if err != nil {
		return nil, s.peekError(err, n)
	}
	if x, ok := parseXing(first, b); ok {
		s.xing, s.tagged = x, true
		s.skip(n)
	}
	return s, nil
}

func (s *mp3Scanner) skip(n int) error {
	d, err := s.r.Discard(n)
	s.pos += int64(d)
	return err
}

// next returns the next audio frame, or io.EOF after the last one.
func (s *mp3Scanner) next() (mp3Frame, error) {
	if err := s.skip(s.pending); err != nil {
		return mp3Frame{}, err
	}
	s.pending = 0
	for s.pos < s.end {
		b, _ := s.r.Peek(int(min(10, s.end-s.pos)))
		if h, ok := parseHeader(b); ok && h.compatible(s.first) && h.bitrate != 0 {
			return s.frame(h)
		}
		if n := id3v2Size(b); n > 0 && n <= s.end-s.pos { // a tag between two joined files
			if err := s.skip(int(n)); err != nil {
				return mp3Frame{}, err
			}
			continue
		}
		if len(b) == 0 {
			break
		}
		return mp3Frame{}, s.lostSync()
	}
	return mp3Frame{}, io.EOF
}

func (s *mp3Scanner) frame(h frameHeader) (mp3Frame, error) {
	n := h.size()
	if int64(n) > s.end-s.pos {
		return mp3Frame{}, s.truncated(n)
	}
	data, err := s.r.Peek(n)
	if err != nil {
		return mp3Frame{}, s.peekError(err, n)
	}
	s.pending = n
	s.frames++
	s.bytes += int64(n)
	s.maxFrame = max(s.maxFrame, n)
	return mp3Frame{off: s.pos, h: h, data: data}, nil
}

func (s *mp3Scanner) truncated(n int) error {
	return reject(CodeTruncated, "mp3", s.pos, "the file ends inside the frame at byte %d, which needs %d bytes; %d are left",
		s.pos, n, s.end-s.pos)
}

func (s *mp3Scanner) peekError(err error, n int) error {
	if errors.Is(err, io.EOF) {
		return s.truncated(n)
	}
	return err
}

// lostSync looks past non-audio bytes at s.pos. If frames resume later the
// stream is corrupt; if nothing but junk follows, it is trailing junk and
// the scan ends with io.EOF.
func (s *mp3Scanner) lostSync() error {
	start := s.pos
	from := 1
	for s.pos < s.end {
		avail := s.end - s.pos
		b, err := s.r.Peek(int(min(avail, int64(s.r.Size()))))
		if len(b) == 0 {
			return err
		}
		i, more := s.resync(b, from, int64(len(b)) == avail)
		if i >= 0 {
			return reject(CodeCorrupt, "mp3", start,
				"frame sync lost at byte %d (%d bytes of damaged data); frames resume at byte %d",
				start, s.pos+int64(i)-start, s.pos+int64(i))
		}
		if err := s.skip(more); err != nil {
			return err
		}
		from = 0
	}
	s.junk, s.junkAt = s.pos-start, start
	return io.EOF
}

// resync returns the index in b of the first of two consecutive frames that
// match the stream (or of a last frame ending exactly at the audio end), and
// otherwise -1 and how many bytes of b are settled as junk.
func (s *mp3Scanner) resync(b []byte, from int, atEnd bool) (int, int) {
	for i := from; i+4 <= len(b); i++ {
		if b[i] != 0xFF {
			continue
		}
		h, ok := parseHeader(b[i:])
		if !ok || !h.compatible(s.first) || h.bitrate == 0 {
			continue
		}
		n := h.size()
		if s.pos+int64(i+n) == s.end {
			return i, 0
		}
		if i+n+4 > len(b) {
			if atEnd {
				continue
			}
			return -1, max(i, 1)
		}
		if h2, ok := parseHeader(b[i+n:]); ok && h2.compatible(s.first) && h2.bitrate != 0 {
			return i, 0
		}
	}
	if atEnd {
		return -1, len(b)
	}
	return -1, max(len(b)-3, 1)
}
