package playback

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TimingLog is the name of the wav output's log: one line per item,
//
//	<seq> <name> planned=<RFC3339Nano|-> started=<RFC3339Nano> ended=<RFC3339Nano> frames=<n> start_error_ms=<ms> outcome=<o>
const TimingLog = "timing.log"

// WAV writes each item as DIR/<seq>-<name>.wav at real-time pace and appends
// its timing to DIR/timing.log.
type WAV struct {
	dir  string
	rate int
	seq  int
	p    pacer
	f    *os.File
	w    *bufio.Writer
	n    int64 // data bytes
	log  *os.File
}

// NewWAV creates DIR if needed.
func NewWAV(dir string, rate int) (*WAV, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("wav output: %w", err)
	}
	log, err := os.OpenFile(filepath.Join(dir, TimingLog), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("wav output: %w", err)
	}
	return &WAV{dir: dir, rate: rate, log: log, p: pacer{rate: rate, ahead: 50 * time.Millisecond}}, nil
}

func (o *WAV) Rate() int { return o.rate }

func (o *WAV) Begin(name string) error {
	o.seq++
	f, err := os.Create(filepath.Join(o.dir, fmt.Sprintf("%04d-%s.wav", o.seq, safeName(name))))
	if err != nil {
		return fmt.Errorf("wav output: %w", err)
	}
	o.f, o.w, o.n = f, bufio.NewWriterSize(f, 64<<10), 0
	o.p.reset()
	_, err = o.w.Write(wavHeader(o.rate, 0))
	return err
}

func (o *WAV) Write(b []byte) (int, error) {
	n, err := o.w.Write(b)
	o.n += int64(n)
	o.p.wrote(n / 4)
	return n, err
}

// End completes the file's header and logs the item's timing.
func (o *WAV) End(t Timing) error {
	if o.f == nil {
		return nil
	}
	err := o.w.Flush()
	if err == nil {
		_, err = o.f.WriteAt(wavHeader(o.rate, o.n), 0)
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	o.f = nil
	planned := "-"
	if !t.Planned.IsZero() {
		planned = t.Planned.UTC().Format(time.RFC3339Nano)
	}
	line := fmt.Sprintf("%d %s planned=%s started=%s ended=%s frames=%d start_error_ms=%.1f outcome=%s\n",
		o.seq, safeName(t.Name), planned, t.Started.UTC().Format(time.RFC3339Nano), t.Ended.UTC().Format(time.RFC3339Nano),
		t.Frames, float64(t.StartError().Microseconds())/1000, t.Outcome)
	if _, lerr := o.log.WriteString(line); err == nil {
		err = lerr
	}
	return err
}

func (o *WAV) Close() error {
	if o.f != nil {
		o.f.Close()
	}
	return o.log.Close()
}

// wavHeader is a canonical 44-byte PCM header for 16-bit stereo.
func wavHeader(rate int, dataBytes int64) []byte {
	h := make([]byte, 0, 44)
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(36+dataBytes))
	h = append(h, "WAVEfmt "...)
	h = binary.LittleEndian.AppendUint32(h, 16)
	h = binary.LittleEndian.AppendUint16(h, 1) // PCM
	h = binary.LittleEndian.AppendUint16(h, 2)
	h = binary.LittleEndian.AppendUint32(h, uint32(rate))
	h = binary.LittleEndian.AppendUint32(h, uint32(rate*4))
	h = binary.LittleEndian.AppendUint16(h, 4)
	h = binary.LittleEndian.AppendUint16(h, 16)
	h = append(h, "data"...)
	return binary.LittleEndian.AppendUint32(h, uint32(dataBytes))
}

// safeName keeps a file name to [A-Za-z0-9._-].
func safeName(s string) string {
	if s == "" {
		return "item"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
