package playback

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"
)

// Fades and the watchdog margin.
const (
	FadeEdge      = 10 * time.Millisecond  // at the natural start and end
	FadeInterrupt = 200 * time.Millisecond // when the context ends mid-item
	chunk         = 10 * time.Millisecond
	// WatchdogMargin is added to an item's expected length before it is a fault.
	WatchdogMargin = 3 * time.Second
)

// ErrStalled means the output stopped taking audio: the item ran past its
// expected length plus WatchdogMargin. The output must be closed and opened
// again.
var ErrStalled = errors.New("output stalled")

// ErrSource means the audio failed while it played — a file that turned
// out corrupt, a stream whose connection broke — as opposed to the output:
// the device is fine and stays open.
var ErrSource = errors.New("audio source failed")

// Outcomes a Result reports (the proof-of-play words).
const (
	Completed   = "completed"
	Interrupted = "interrupted"
	Failed      = "failed"
)

// Result is how an item played.
type Result struct {
	Timing
	Played    time.Duration
	LoudestDB float64 // the loudest 10 ms of what was written, dBFS (-200: silence)
}

// Level is the recent output level in dBFS, safe for concurrent use; the
// zero value reads -200 (silence) before anything played.
type Level struct{ bits atomic.Uint64 }

func (l *Level) set(db float64) { l.bits.Store(math.Float64bits(db)) }

// DB returns the level of the last chunk played.
func (l *Level) DB() float64 {
	b := l.bits.Load()
	if b == 0 {
		return -200
	}
	return math.Float64frombits(b)
}

// Prepared is an item decoded up to its first samples, ready to start on
// the instant.
type Prepared struct {
	it  Item
	out Output
	c   *chain
}

// Prepare opens and decodes the item for out, so that Play starts at once.
func Prepare(it Item, out Output) (*Prepared, error) {
	c, err := openChain(it, out.Rate())
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", it.Name, err)
	}
	return &Prepared{it: it, out: out, c: c}, nil
}

// Close releases an item that will not be played.
func (p *Prepared) Close() { p.c.src.Close() }

// Length is the item's expected playing time.
func (p *Prepared) Length() time.Duration {
	return time.Duration(p.c.frames) * time.Second / time.Duration(p.out.Rate())
}

// Play plays a prepared item to its end. When ctx ends it fades out within
// FadeInterrupt and returns an Interrupted result with a nil error. An
// output that takes nothing for WatchdogMargin, or a file item still
// playing WatchdogMargin past its Length, returns ErrStalled; level, if not
// nil, follows the output level.
func (p *Prepared) Play(ctx context.Context, level *Level) (Result, error) {
	type done struct {
		r   Result
		err error
	}
	ch := make(chan done, 1)
	var abandon atomic.Bool
	var progress atomic.Int64 // unix nanoseconds of the last write
	progress.Store(time.Now().UnixNano())
	go func() {
		r, err := p.run(ctx, level, &abandon, &progress)
		ch <- done{r, err}
	}()
	wd := time.NewTimer(p.Length() + WatchdogMargin)
	defer wd.Stop()
	check := time.NewTicker(WatchdogMargin / 4)
	defer check.Stop()
	for {
		select {
		case d := <-ch:
			return d.r, d.err
		case <-check.C:
			if time.Since(time.Unix(0, progress.Load())) < WatchdogMargin {
				continue
			}
		case <-wd.C:
		}
		abandon.Store(true)
		return Result{Timing: Timing{Name: p.it.Name, Planned: p.it.Planned, Outcome: Failed}}, ErrStalled
	}
}

func (p *Prepared) run(ctx context.Context, level *Level, abandon *atomic.Bool, progress *atomic.Int64) (res Result, err error) {
	defer p.c.src.Close()
	rate := p.out.Rate()
	res.Timing = Timing{Name: p.it.Name, Planned: p.it.Planned, Outcome: Completed}
	res.LoudestDB = -200
	if err := p.out.Begin(p.it.Name); err != nil {
		res.Outcome = Failed
		return res, fmt.Errorf("begin %s: %w", p.it.Name, err)
	}
	env := envelope{gain: p.c.gain, edge: int64(rate) * int64(FadeEdge) / int64(time.Second), total: p.c.frames, stopAt: -1}
	lim := newLimiter(rate)
	buf := make([][2]float64, max(rate*int(chunk)/int(time.Second), lim.n))
	pcm := make([]byte, len(buf)*4)
	fadeFrames := int64(rate) * int64(FadeInterrupt) / int64(time.Second)
	write := func(frames [][2]float64) error {
		toPCM(pcm, frames)
		if res.Started.IsZero() {
			res.Started = time.Now()
		}
		if _, err := p.out.Write(pcm[:len(frames)*4]); err != nil {
			res.Outcome = Failed
			return fmt.Errorf("write %s: %w", p.it.Name, err)
		}
		progress.Store(time.Now().UnixNano())
		res.Frames += int64(len(frames))
		db := rmsDB(frames)
		res.LoudestDB = max(res.LoudestDB, db)
		if level != nil {
			level.set(db)
		}
		return nil
	}
	for !abandon.Load() {
		if env.stopAt < 0 && ctx.Err() != nil {
			env.stopAt, env.fade = env.pos+fadeFrames, fadeFrames
			res.Outcome = Interrupted
		}
		n, ok := p.c.s.Stream(buf)
		if n > 0 {
			n = env.apply(buf[:n])
			if k := lim.process(buf[:n]); k > 0 {
				if err = write(buf[:k]); err != nil {
					break
				}
			}
		}
		if !ok || n == 0 || env.done() {
			break
		}
	}
	if err == nil && !abandon.Load() {
		if k := lim.flush(buf); k > 0 {
			err = write(buf[:k])
		}
	}
	if err == nil && p.c.src.Err() != nil && res.Outcome == Completed {
		res.Outcome, err = Failed, fmt.Errorf("%w: %s: %w", ErrSource, p.it.Name, p.c.src.Err())
	}
	res.Ended = time.Now()
	res.Played = time.Duration(res.Frames) * time.Second / time.Duration(rate)
	if eerr := p.out.End(res.Timing); err == nil && eerr != nil {
		res.Outcome, err = Failed, fmt.Errorf("end %s: %w", p.it.Name, eerr)
	}
	return res, err
}

// envelope applies the gain, the edge fades and an interrupt fade-out; the
// limiter after it keeps the result under CeilingDBFS.
type envelope struct {
	gain        float64
	edge, total int64
	pos         int64
	stopAt      int64 // -1 until an interrupt asks for a fade-out ending here
	fade        int64
}

func (e *envelope) done() bool { return e.stopAt >= 0 && e.pos >= e.stopAt }

// apply scales buf in place and returns how many frames to keep.
func (e *envelope) apply(buf [][2]float64) int {
	for i := range buf {
		g := e.gain
		if e.pos < e.edge {
			g *= float64(e.pos) / float64(e.edge)
		}
		if left := e.total - e.pos; e.total > 0 && left < e.edge {
			g *= float64(max(left, 0)) / float64(e.edge)
		}
		if e.stopAt >= 0 {
			left := e.stopAt - e.pos
			if left <= 0 {
				return i
			}
			g *= float64(left) / float64(e.fade)
		}
		buf[i][0] *= g
		buf[i][1] *= g
		e.pos++
	}
	return len(buf)
}

func toPCM(dst []byte, buf [][2]float64) {
	for i, s := range buf {
		for c := 0; c < 2; c++ {
			v := int16(math.Round(max(-1, min(1, s[c])) * 32767))
			dst[i*4+c*2] = byte(v)
			dst[i*4+c*2+1] = byte(uint16(v) >> 8)
		}
	}
}

func rmsDB(buf [][2]float64) float64 {
	var sum float64
	for _, s := range buf {
		sum += s[0]*s[0] + s[1]*s[1]
	}
	if sum == 0 {
		return -200
	}
	return max(-200, 10*math.Log10(sum/float64(2*len(buf))))
}
