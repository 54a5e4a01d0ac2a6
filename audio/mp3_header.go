package audio

// MPEG audio frame headers (ISO 11172-3, ISO 13818-3 and the MPEG-2.5
// extension). Parsing is table driven and allocation free: it runs once per
// frame of every uploaded file.

// mpegVersion values as coded in the header.
const (
	mpeg25 = 0
	mpeg2  = 2
	mpeg1  = 3
)

// frameHeader is a decoded 4-byte MPEG audio frame header.
type frameHeader struct {
	raw        uint32
	version    int // mpeg1, mpeg2, mpeg25
	layer      int // 1, 2, 3
	crc        bool
	bitrate    int // kbit/s; 0 for free format
	sampleRate int
	padding    bool
	mono       bool
}

// headerMask selects the bits that must not change from frame to frame in
// one stream: sync, version, layer, sample rate and mono-ness.
const headerMask = 0xFFFE0CC0

func (h frameHeader) compatible(first frameHeader) bool {
	m := func(r uint32) uint32 {
		r &= headerMask
		if r&0xC0 != 0xC0 { // only "mono or not" matters, not the stereo kind
			r &^= 0xC0
		}
		return r
	}
	return m(h.raw) == m(first.raw)
}

var bitratesKbps = [2][3][15]int{
	{ // MPEG-1: layer I, II, III
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	},
	{ // MPEG-2 and 2.5: layer I, II, III
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	},
}

var sampleRates = [4][3]int{
	mpeg25: {11025, 12000, 8000},
	mpeg2:  {22050, 24000, 16000},
	mpeg1:  {44100, 48000, 32000},
}

// parseHeader decodes b[0:4]; ok is false when it is not a valid header.
func parseHeader(b []byte) (frameHeader, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return frameHeader{}, false
	}
	raw := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	h := frameHeader{raw: raw, version: int(raw>>19) & 3, layer: 4 - int(raw>>17)&3}
	brIndex, srIndex := int(raw>>12)&15, int(raw>>10)&3
	if h.version == 1 || h.layer == 4 || brIndex == 15 || srIndex == 3 || raw&3 == 2 {
		return frameHeader{}, false
	}
	lsf := 0
	if h.version != mpeg1 {
		lsf = 1
	}
	h.bitrate = bitratesKbps[lsf][h.layer-1][brIndex]
	h.sampleRate = sampleRates[h.version][srIndex]
	h.crc = raw>>16&1 == 0
	h.padding = raw>>9&1 == 1
	h.mono = raw>>6&3 == 3
	return h, true
}

// samples is the number of PCM frames one frame decodes to.
func (h frameHeader) samples() int {
	switch {
	case h.layer == 1:
		return 384
	case h.layer == 3 && h.version != mpeg1:
		return 576
	}
	return 1152
}

// size is the frame length in bytes including the header; 0 for free format.
func (h frameHeader) size() int {
	if h.bitrate == 0 {
		return 0
	}
	pad := 0
	if h.padding {
		pad = 1
	}
	if h.layer == 1 {
		return (12*h.bitrate*1000/h.sampleRate + pad) * 4
	}
	return h.samples()/8*h.bitrate*1000/h.sampleRate + pad
}

func (h frameHeader) channels() int {
	if h.mono {
		return 1
	}
	return 2
}

// sideInfoSize is the Layer III side information length after the header
// (and CRC).
func (h frameHeader) sideInfoSize() int {
	switch {
	case h.version == mpeg1 && h.mono:
		return 17
	case h.version == mpeg1:
		return 32
	case h.mono:
		return 9
	}
	return 17
}

// sideInfoOffset is where the side information starts in the frame.
func (h frameHeader) sideInfoOffset() int {
	if h.crc {
		return 6
	}
	return 4
}

// mainDataBegin reads the Layer III back-pointer into the bit reservoir
// from a whole frame.
func (h frameHeader) mainDataBegin(frame []byte) int {
	o := h.sideInfoOffset()
	if len(frame) < o+2 {
		return 0
	}
	v := int(frame[o])<<8 | int(frame[o+1])
	if h.version == mpeg1 {
		return v >> 7 // 9 bits
	}
	return v >> 8 // 8 bits
}

// mainDataSize is how many bytes of the frame go into the reservoir.
func (h frameHeader) mainDataSize() int {
	n := h.size() - 4 - h.sideInfoSize()
	if h.crc {
		n -= 2
	}
	return n
}

// kind names the stream for messages and for ConvertedFrom.
func (h frameHeader) kind() string {
	switch {
	case h.layer == 1:
		return "mp1"
	case h.layer == 2:
		return "mp2"
	case h.bitrate == 0:
		return "mp3-free-format"
	}
	return "mp3"
}
