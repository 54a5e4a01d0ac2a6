package audio

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// WAV (RIFF WAVE) reading: our own chunk parser, strict about what the
// headers claim, since a header that lies is how damaged recordings look.

// wavFormat is the fmt chunk.
type wavFormat struct {
	tag        uint16 // 1 PCM, 3 IEEE float (EXTENSIBLE resolved to these)
	channels   int
	sampleRate int
	blockAlign int
	bits       int
}

// wavData locates the samples.
type wavData struct {
	format wavFormat
	off    int64 // offset of the first sample
	size   int64 // bytes of samples
}

const (
	wavPCM        = 1
	wavFloat      = 3
	wavExtensible = 0xFFFE
)

// wavCodecs names compressed WAV codecs that ffmpeg converts.
var wavCodecs = map[uint16]string{
	0x0002: "wav-adpcm", 0x0011: "wav-adpcm", 0x0006: "wav-alaw", 0x0007: "wav-mulaw",
	0x0031: "wav-gsm", 0x0055: "wav-mp3", 0x0050: "wav-mpeg", 0x00FF: "wav-aac", 0x1610: "wav-aac",
}

// readWAVHeader reads from r (at file offset 0) up to the first sample.
func readWAVHeader(r *bufio.Reader, size int64) (wavData, error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return wavData{}, wavShort(err, 0, "RIFF header")
	}
	pos := int64(12)
	var format *wavFormat
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			if errors.Is(err, io.EOF) && format != nil {
				return wavData{}, reject(CodeNoAudio, FormatWAV, pos, "no data chunk")
			}
			return wavData{}, wavShort(err, pos, "chunk header")
		}
		id, n := string(ch[:4]), int64(binary.LittleEndian.Uint32(ch[4:]))
		left := size - pos - 8
		switch {
		case id == "data" && format == nil:
			return wavData{}, reject(CodeHeaderMismatch, FormatWAV, pos, "the data chunk at byte %d comes before any fmt chunk", pos)
		case id == "data":
			return wavDataChunk(*format, pos, n, left)
		case n > left:
			return wavData{}, reject(CodeTruncated, FormatWAV, pos, "the %q chunk at byte %d claims %d bytes; the file has %d after it", id, pos, n, left)
		case id == "fmt ":
			f, err := readWAVFormat(r, pos, n)
			if err != nil {
				return wavData{}, err
			}
			format = &f
		default:
			if _, err := r.Discard(int(n + n&1)); err != nil && !(errors.Is(err, io.EOF) && n&1 == 1) {
				return wavData{}, wavShort(err, pos, "chunk")
			}
		}
		pos += 8 + n + n&1
	}
}

func wavDataChunk(f wavFormat, pos, n, left int64) (wavData, error) {
	switch {
	case n > left:
		return wavData{}, reject(CodeTruncated, FormatWAV, pos,
			"the data chunk at byte %d claims %d bytes of audio; the file has only %d after it", pos, n, left)
	case n == 0:
		return wavData{}, reject(CodeNoAudio, FormatWAV, pos, "the data chunk at byte %d is empty", pos)
	case n%int64(f.blockAlign) != 0:
		return wavData{}, reject(CodeHeaderMismatch, FormatWAV, pos,
			"the data chunk at byte %d holds %d bytes, not a whole number of %d-byte frames", pos, n, f.blockAlign)
	}
	return wavData{format: f, off: pos + 8, size: n}, nil
}

func wavShort(err error, pos int64, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return reject(CodeTruncated, FormatWAV, pos, "the file ends inside the %s at byte %d", what, pos)
	}
	return err
}

// readWAVFormat parses and checks the fmt chunk whose header is at pos.
func readWAVFormat(r *bufio.Reader, pos, n int64) (wavFormat, error) {
	if n < 16 || n > 1024 {
		return wavFormat{}, reject(CodeHeaderMismatch, FormatWAV, pos, "the fmt chunk at byte %d has an impossible size %d", pos, n)
	}
	b := make([]byte, n+n&1)
	if _, err := io.ReadFull(r, b); err != nil && !(n&1 == 1 && errors.Is(err, io.ErrUnexpectedEOF)) {
		return wavFormat{}, wavShort(err, pos, "fmt chunk")
	}
	le := binary.LittleEndian
	f := wavFormat{
		tag:        le.Uint16(b[0:]),
		channels:   int(le.Uint16(b[2:])),
		sampleRate: int(le.Uint32(b[4:])),
		blockAlign: int(le.Uint16(b[12:])),
		bits:       int(le.Uint16(b[14:])),
	}
	if f.tag == wavExtensible && n >= 40 {
		f.tag = le.Uint16(b[24:]) // the sub-format GUID starts with the format tag
	}
	return f, checkWAVFormat(f, pos+8)
}

// checkWAVFormat rejects what we cannot read and what contradicts itself;
// body is the offset of the fmt chunk's body.
func checkWAVFormat(f wavFormat, body int64) error {
	if f.tag != wavPCM && f.tag != wavFloat {
		name, ok := wavCodecs[f.tag]
		if !ok {
			name = fmt.Sprintf("wav-codec-0x%04x", f.tag)
		}
		return reject(CodeUnsupportedFormat, name, body, "WAV with codec 0x%04x (not PCM)", f.tag)
	}
	okBits := map[int]bool{8: true, 16: true, 24: true, 32: true}
	if f.tag == wavFloat {
		okBits = map[int]bool{32: true, 64: true}
	}
	switch {
	case f.channels < 1 || f.channels > 8:
		return reject(CodeHeaderMismatch, FormatWAV, body+2, "the fmt chunk claims %d channels", f.channels)
	case f.sampleRate < 1000 || f.sampleRate > 384000:
		return reject(CodeHeaderMismatch, FormatWAV, body+4, "the fmt chunk claims a sample rate of %d Hz", f.sampleRate)
	case !okBits[f.bits]:
		return reject(CodeHeaderMismatch, FormatWAV, body+14, "the fmt chunk claims %d bits per sample", f.bits)
	case f.blockAlign != f.channels*f.bits/8:
		return reject(CodeHeaderMismatch, FormatWAV, body+12,
			"the fmt chunk says %d bytes per frame, but %d channels of %d bits need %d", f.blockAlign, f.channels, f.bits, f.channels*f.bits/8)
	}
	return nil
}

// decodeWAV streams the samples to sink as float32, a block at a time.
func decodeWAV(ctx context.Context, r *bufio.Reader, d wavData, sink func([]float32)) error {
	f := d.format
	block := make([]byte, (64<<10)/f.blockAlign*f.blockAlign)
	out := make([]float32, len(block)/(f.bits/8))
	for left := d.size; left > 0; {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := block[:min(int64(len(block)), left)]
		if _, err := io.ReadFull(r, b); err != nil {
			return wavShort(err, d.off+d.size-left, "audio data")
		}
		n := pcmToFloat(out, b, f)
		sink(out[:n])
		left -= int64(len(b))
	}
	return nil
}

// pcmToFloat converts little-endian samples to [-1, 1] floats.
func pcmToFloat(out []float32, b []byte, f wavFormat) int {
	le := binary.LittleEndian
	switch {
	case f.tag == wavFloat && f.bits == 64:
		for i := range len(b) / 8 {
			out[i] = float32(math.Float64frombits(le.Uint64(b[8*i:])))
		}
		return len(b) / 8
	case f.tag == wavFloat:
		for i := range len(b) / 4 {
			out[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return len(b) / 4
	case f.bits == 8:
		for i, c := range b {
			out[i] = float32(int(c)-128) / 128
		}
		return len(b)
	case f.bits == 16:
		for i := range len(b) / 2 {
			out[i] = float32(int16(le.Uint16(b[2*i:]))) / 32768
		}
		return len(b) / 2
	case f.bits == 24:
		for i := range len(b) / 3 {
			v := int32(uint32(b[3*i])<<8|uint32(b[3*i+1])<<16|uint32(b[3*i+2])<<24) >> 8
			out[i] = float32(v) / (1 << 23)
		}
		return len(b) / 3
	default: // 32-bit integer
		for i := range len(b) / 4 {
			out[i] = float32(float64(int32(le.Uint32(b[4*i:]))) / (1 << 31))
		}
		return len(b) / 4
	}
}
