package live

import (
	"context"
	"io"
	"sync"
)

// Listener is one station's view of a session: the frames from when it
// joined, in order. Frames queue up to the session's bound; beyond it the
// listener is dropped (Next returns ErrTooSlow after what it had).
type Listener struct {
	station string
	ch      chan []byte
	gone    chan struct{} // closed when the listener ends for want of speed or a replacement

	mu   sync.Mutex
	err  error // why it ended: io.EOF (the session ended), ErrTooSlow, ErrEnded
	once sync.Once
}

// Station is the listening station's id.
func (l *Listener) Station() string { return l.station }

// offer queues a frame without blocking; false means the listener is full
// and is now dropped. The session's lock is held.
func (l *Listener) offer(frame []byte) bool {
	select {
	case l.ch <- frame:
		return true
	default:
		l.drop(ErrTooSlow)
		return false
	}
}

// finish ends the listener after its queued frames (the session ended).
func (l *Listener) finish() { l.end(io.EOF, false) }

// drop ends the listener at once, with err.
func (l *Listener) drop(err error) { l.end(err, true) }

func (l *Listener) end(err error, now bool) {
	l.once.Do(func() {
		l.mu.Lock()
		l.err = err
		l.mu.Unlock()
		if now {
			close(l.gone)
		}
		close(l.ch) // only the session sends, under its lock, and never after this
	})
}

// Next returns the next frame, waiting for it. At the session's end it
// returns io.EOF; a dropped listener gets ErrTooSlow (or ErrEnded when a
// newer listener for the same station replaced it).
func (l *Listener) Next(ctx context.Context) ([]byte, error) {
	select {
	case <-l.gone:
		return nil, l.reason()
	default:
	}
	select {
	case f, ok := <-l.ch:
		if !ok {
			return nil, l.reason()
		}
		return f, nil
	case <-l.gone:
		return nil, l.reason()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *Listener) reason() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}
