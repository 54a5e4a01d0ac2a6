package audio

import "encoding/binary"

// xingInfo is what an encoder wrote into the first frame of the stream: the
// Xing/Info tag (frame count, stream size), the LAME extension (encoder
// delay and padding) or a Fraunhofer VBRI tag. That frame carries no audio.
type xingInfo struct {
	tag     string // "Xing", "Info", "VBRI"
	frames  int64  // audio frames after the tag frame; 0 if unknown
	bytes   int64  // stream bytes including the tag frame; 0 if unknown
	lame    bool   // delay and padding below are valid
	delay   int    // encoder delay, samples
	padding int    // encoder padding, samples
}

// decoderDelay is what the MPEG synthesis filterbank adds in front of the
// signal; LAME's delay figure does not include it, and ffmpeg skips both.
const decoderDelay = 529

// parseXing looks for a tag in frame, a whole first frame. It follows
// ffmpeg's mp3dec.c, including where it looks: the Xing offset ignores CRC.
func parseXing(h frameHeader, frame []byte) (xingInfo, bool) {
	off := 4 + h.sideInfoSize()
	if h.layer == 3 && len(frame) >= off+8 {
		if t := string(frame[off : off+4]); t == "Xing" || t == "Info" {
			return parseXingBody(t, frame[off+4:]), true
		}
	}
	if len(frame) >= 36+18 && string(frame[36:40]) == "VBRI" {
		return xingInfo{
			tag:    "VBRI",
			bytes:  int64(binary.BigEndian.Uint32(frame[46:50])),
			frames: int64(binary.BigEndian.Uint32(frame[50:54])),
		}, true
	}
	return xingInfo{}, false
}

// parseXingBody reads the flags and the optional fields in order, then the
// LAME extension that follows them.
func parseXingBody(tag string, b []byte) xingInfo {
	x := xingInfo{tag: tag}
	r := byteCursor{b: b}
	flags := r.u32()
	if flags&1 != 0 {
		x.frames = int64(r.u32())
	}
	if flags&2 != 0 {
		x.bytes = int64(r.u32())
	}
	if flags&4 != 0 {
		r.skip(100)
	}
	if flags&8 != 0 {
		r.skip(4)
	}
	version := r.take(9)
	r.skip(1 + 1 + 4 + 2 + 2 + 1 + 1) // revision, lowpass, peak, gains, flags, bitrate
	dp := r.take(3)
	if r.ok && len(version) == 9 && knownEncoder(string(version[:4])) {
		v := int(dp[0])<<16 | int(dp[1])<<8 | int(dp[2])
		x.lame, x.delay, x.padding = true, v>>12, v&0xFFF
	}
	return x
}

// knownEncoder reports whether ffmpeg trusts the delay fields of this
// encoder; so do we, to measure the same duration.
func knownEncoder(s string) bool { return s == "LAME" || s == "Lavf" || s == "Lavc" }

// byteCursor reads big-endian fields; ok turns false once it runs out.
type byteCursor struct {
	b  []byte
	ok bool
}

func (c *byteCursor) take(n int) []byte {
	if len(c.b) < n {
		c.b, c.ok = nil, false
		return nil
	}
	v := c.b[:n]
	c.b = c.b[n:]
	c.ok = true
	return v
}

func (c *byteCursor) skip(n int) { c.take(n) }

func (c *byteCursor) u32() uint32 {
	if v := c.take(4); v != nil {
		return binary.BigEndian.Uint32(v)
	}
	return 0
}
