package tts

import (
	"encoding/binary"
	"errors"
	"fmt"

	"os"
)

// pcm is 16-bit audio in memory: one sentence, or the chime.
type pcm struct {
	rate, channels int
	samples        []int16 // interleaved
}

func (p pcm) frames() int { return len(p.samples) / p.channels }

// readWAV reads a 16-bit PCM WAV file, as engines write them. A data
// chunk whose size is unknown (0 or too large, as when an engine writes to
// a pipe) runs to the end of the file.
func readWAV(path string) (pcm, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return pcm{}, err
	}
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return pcm{}, errors.New("not a WAV file")
	}
	var p pcm
	for pos := 12; pos+8 <= len(data); {
		id, size := string(data[pos:pos+4]), int(binary.LittleEndian.Uint32(data[pos+4:pos+8]))
		body := data[pos+8:]
		switch id {
		case "fmt ":
			if size < 16 || len(body) < 16 {
				return pcm{}, errors.New("short fmt chunk")
			}
			tag, bits := binary.LittleEndian.Uint16(body[0:2]), binary.LittleEndian.Uint16(body[14:16])
			if (tag != 1 && tag != 0xFFFE) || bits != 16 {
				return pcm{}, fmt.Errorf("want 16-bit PCM, got format %#x with %d bits", tag, bits)
			}
			p.channels = int(binary.LittleEndian.Uint16(body[2:4]))
			p.rate = int(binary.LittleEndian.Uint32(body[4:8]))
		case "data":
			if p.rate == 0 {
				return pcm{}, errors.New("data before fmt chunk")
			}
			if size == 0 || size > len(body) {
				size = len(body)
			}
			size -= size % (2 * p.channels)
			p.samples = make([]int16, size/2)
			for i := range p.samples {
				p.samples[i] = int16(binary.LittleEndian.Uint16(body[2*i:]))
			}
			if p.channels < 1 || p.channels > 2 || p.rate < 8000 || p.rate > 192000 {
				return pcm{}, fmt.Errorf("unusual format: %d channels at %d Hz", p.channels, p.rate)
			}
			return p, nil
		}
		pos += 8 + size + size%2
	}
	return pcm{}, errors.New("no audio data")
}

// wavWriter writes a 16-bit PCM WAV file, fixing the header's sizes when
// it is closed.
type wavWriter struct {
	f        *os.File
	rate     int
	channels int
	bytes    int64
	buf      []byte
}

const wavHeaderSize = 44

func createWAV(path string, rate, channels int) (*wavWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := &wavWriter{f: f, rate: rate, channels: channels}
	if _, err := f.Write(w.header()); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

func (w *wavWriter) header() []byte {
	h := make([]byte, 0, wavHeaderSize)
	le := binary.LittleEndian
	h = append(h, "RIFF"...)
	h = le.AppendUint32(h, uint32(36+w.bytes))
	h = append(h, "WAVEfmt "...)
	h = le.AppendUint32(h, 16)
	h = le.AppendUint16(h, 1)
	h = le.AppendUint16(h, uint16(w.channels))
	h = le.AppendUint32(h, uint32(w.rate))
	h = le.AppendUint32(h, uint32(w.rate*w.channels*2))
	h = le.AppendUint16(h, uint16(w.channels*2))
	h = le.AppendUint16(h, 16)
	h = append(h, "data"...)
	return le.AppendUint32(h, uint32(w.bytes))
}

// write appends samples, scaled by gain and clamped to 16 bits.
func (w *wavWriter) write(samples []int16, gain float64) error {
	w.buf = w.buf[:0]
	for _, s := range samples {
		v := float64(s) * gain
		v = max(-32768, min(32767, v))
		w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(int16(v)))
	}
	n, err := w.f.Write(w.buf)
	w.bytes += int64(n)
	return err
}

// silence appends d frames of silence.
func (w *wavWriter) silence(frames int) error {
	zero := make([]byte, 4096)
	left := int64(frames * w.channels * 2)
	for left > 0 {
		n, err := w.f.Write(zero[:min(left, int64(len(zero)))])
		w.bytes += int64(n)
		left -= int64(n)
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *wavWriter) frames() int64 { return w.bytes / int64(2*w.channels) }

// close writes the final sizes, syncs and closes the file.
func (w *wavWriter) close() error {
	_, err := w.f.WriteAt(w.header(), 0)
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}
