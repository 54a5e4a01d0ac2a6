package playback

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Output receives 16-bit little-endian stereo PCM at Rate frames per second.
// One item at a time: Begin, any number of Write, End. Write blocks while
// the device is full, so it paces the player in real time. An Output is used
// by one goroutine at a time, except Close, which may be called at any time
// to unblock a stalled Write.
type Output interface {
	Rate() int
	Begin(name string) error
	Write(pcm []byte) (int, error)
	End(t Timing) error
	Close() error
}

// Timing is how one item went out, as End receives it.
type Timing struct {
	Name    string
	Planned time.Time // zero for an unscheduled item
	Started time.Time // when its first sample was handed to the device
	Ended   time.Time
	Frames  int64 // frames written
	Outcome string
}

// StartError is Started − Planned (zero when there was no plan).
func (t Timing) StartError() time.Duration {
	if t.Planned.IsZero() || t.Started.IsZero() {
		return 0
	}
	return t.Started.Sub(t.Planned)
}

// DefaultRate is the output rate when none is configured: most of the
// ward's recordings are 44.1 kHz, so most items play without resampling.
const DefaultRate = 44100

// Open builds a cgo-free output from its spec: "null", "wav:DIR" or
// "aplay" / "aplay:DEVICE". The speaker output is in audio/speaker.
func Open(spec string, rate int, log *slog.Logger) (Output, error) {
	if rate <= 0 {
		rate = DefaultRate
	}
	kind, arg, _ := strings.Cut(spec, ":")
	switch kind {
	case "null":
		return NewNull(rate), nil
	case "wav":
		if arg == "" {
			return nil, fmt.Errorf("output %q: wav needs a directory (wav:DIR)", spec)
		}
		return NewWAV(arg, rate)
	case "aplay":
		return NewAplay(arg, rate, log)
	}
	return nil, fmt.Errorf("output %q: want speaker, aplay, wav:DIR or null", spec)
}

// pacer makes a non-blocking output take real time, as a device would: it
// lets the writer run at most ahead of the wall clock.
type pacer struct {
	rate   int
	ahead  time.Duration
	t0     time.Time
	frames int64
}

func (p *pacer) reset() { p.t0, p.frames = time.Time{}, 0 }

func (p *pacer) wrote(frames int) {
	if p.t0.IsZero() {
		p.t0 = time.Now()
	}
	p.frames += int64(frames)
	due := p.t0.Add(time.Duration(p.frames) * time.Second / time.Duration(p.rate))
	if wait := time.Until(due) - p.ahead; wait > 0 {
		time.Sleep(wait)
	}
}

// Null discards the audio at real-time pace.
type Null struct {
	rate int
	p    pacer
}

// NewNull returns a null output.
func NewNull(rate int) *Null {
	return &Null{rate: rate, p: pacer{rate: rate, ahead: 50 * time.Millisecond}}
}

func (n *Null) Rate() int          { return n.rate }
func (n *Null) Begin(string) error { n.p.reset(); return nil }
func (n *Null) End(Timing) error   { return nil }
func (n *Null) Close() error       { return nil }
func (n *Null) Write(b []byte) (int, error) {
	n.p.wrote(len(b) / 4)
	return len(b), nil
}
