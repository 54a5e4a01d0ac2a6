package live

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

// recorder writes a session's PCM into a WAV file as it arrives; close
// fixes the header's sizes.
type recorder struct {
	f        *os.File
	w        *bufio.Writer
	n        int64
	rate     int
	channels int
}

func newRecorder(dir string, rate, channels int) (*recorder, error) {
	f, err := os.CreateTemp(dir, "live-*.wav")
	if err != nil {
		return nil, fmt.Errorf("create live recording: %w", err)
	}
	r := &recorder{f: f, w: bufio.NewWriterSize(f, 64<<10), rate: rate, channels: channels}
	if _, err := r.w.Write(wavHeader(rate, channels, 0)); err != nil {
		r.discard()
		return nil, fmt.Errorf("create live recording: %w", err)
	}
	return r, nil
}

func (r *recorder) write(pcm []byte) error {
	if r.n+int64(len(pcm)) > math.MaxUint32-44 {
		return ErrTooLong
	}
	n, err := r.w.Write(pcm)
	r.n += int64(n)
	return err
}

// close flushes the file and writes the real sizes into its header.
func (r *recorder) close() (string, error) {
	err := r.w.Flush()
	if err == nil {
		_, err = r.f.WriteAt(wavHeader(r.rate, r.channels, r.n), 0)
	}
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("close live recording: %w", err)
	}
	return r.f.Name(), nil
}

// discard removes the file (after close, or instead of it).
func (r *recorder) discard() {
	r.f.Close()
	os.Remove(r.f.Name())
}

// wavHeader is the 44-byte header of 16-bit PCM with data bytes of samples.
func wavHeader(rate, channels int, data int64) []byte {
	h := make([]byte, 0, 44)
	le32 := func(v uint32) { h = binary.LittleEndian.AppendUint32(h, v) }
	le16 := func(v uint16) { h = binary.LittleEndian.AppendUint16(h, v) }
	h = append(h, "RIFF"...)
	le32(uint32(36 + data))
	h = append(h, "WAVEfmt "...)
	le32(16)
	le16(1)
	le16(uint16(channels))
	le32(uint32(rate))
	le32(uint32(rate * channels * 2))
	le16(uint16(channels * 2))
	le16(16)
	h = append(h, "data"...)
	le32(uint32(data))
	return h
}
