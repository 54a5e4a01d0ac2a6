package live

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Errors a session returns; the web layer words them.
var (
	ErrNotFound     = errors.New("live session not found")
	ErrNotListed    = errors.New("station is not a target of this live session")
	ErrEnded        = errors.New("live session ended")
	ErrTooSlow      = errors.New("listener fell behind and was dropped")
	ErrBadFrame     = errors.New("bad audio frame")
	ErrTooLong      = errors.New("live session reached its maximum length")
	ErrSpeakerTaken = errors.New("live session already has a speaker")
)

// Limits and defaults.
const (
	// MaxFrame is the longest audio one frame may carry.
	MaxFrame = 200 * time.Millisecond
	// DefaultQueue is how many frames a listener may be behind (≈ 1 s of
	// 20 ms frames) before it is dropped.
	DefaultQueue = 50
	// DefaultMaxLength bounds a session (the protocol allows up to 4 h).
	DefaultMaxLength = 2 * time.Hour
)

// Info describes a session: what it is, who speaks, where it goes and its
// PCM format (signed 16-bit little-endian, interleaved).
type Info struct {
	ID        string
	SegmentID uint64 // reserved in the library for the recording (0: none)
	Title     string
	Topic     string
	By        string   // the operator's user name
	Stations  []string // the target stations
	Rate      int
	Channels  int
	MaxLength time.Duration
	Created   time.Time
}

// bytesPerSecond is the PCM data rate.
func (i Info) bytesPerSecond() int64 { return int64(i.Rate) * int64(i.Channels) * 2 }

// NewID returns a new session id, unique and sortable by time.
func NewID(now time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return "live-" + now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// Session is one live broadcast. Write is called by the speaker's
// goroutine; Listen, End and the listeners may be used from any other.
type Session struct {
	info  Info
	queue int
	rec   *recorder

	mu        sync.Mutex
	listeners map[string]*Listener // by station
	ended     bool
	speaker   bool
	stop      chan struct{} // closed by Stop: the speaker should end
	stopOnce  sync.Once
	done      chan struct{} // closed by End
	result    chan Result   // the web layer's outcome, once (see Finish)
	received  int64         // PCM bytes taken
	dropped   int
	firstData time.Time
	onEnd     func() // the manager's: forget the session a little later
}

// Result is what became of a session, as the web layer reports it.
type Result struct {
	SegmentID uint64 // 0 when no segment was made
	Err       error
}

// Recording is the WAV file a session left, for the library.
type Recording struct {
	Path     string // a WAV file; the caller owns it now
	Duration time.Duration
}

// Info returns the session's description.
func (s *Session) Info() Info {
	i := s.info
	i.Stations = slices.Clone(i.Stations)
	return i
}

// Targets reports whether station is one the session is for.
func (s *Session) Targets(station string) bool { return slices.Contains(s.info.Stations, station) }

// Speak claims the session for its one speaker; a second claim fails.
func (s *Session) Speak() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ended:
		return ErrEnded
	case s.speaker:
		return ErrSpeakerTaken
	}
	s.speaker = true
	return nil
}

// Write takes one frame of PCM from the speaker: records it and queues it
// for every listener. A frame must hold whole sample frames and at most
// MaxFrame of audio; a session past its MaxLength refuses more.
func (s *Session) Write(frame []byte) error {
	if err := s.checkFrame(len(frame)); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return ErrEnded
	}
	if s.received+int64(len(frame)) > int64(s.info.MaxLength.Seconds()*float64(s.info.bytesPerSecond())) {
		return ErrTooLong
	}
	if err := s.rec.write(frame); err != nil {
		return fmt.Errorf("record live audio: %w", err)
	}
	if s.received == 0 {
		s.firstData = time.Now()
	}
	s.received += int64(len(frame))
	data := slices.Clone(frame) // listeners keep it; the caller reuses frame
	for id, l := range s.listeners {
		if !l.offer(data) {
			delete(s.listeners, id)
			s.dropped++
		}
	}
	return nil
}

func (s *Session) checkFrame(n int) error {
	block := 2 * s.info.Channels
	limit := int(int64(MaxFrame) * s.info.bytesPerSecond() / int64(time.Second))
	switch {
	case n == 0:
		return fmt.Errorf("%w: empty", ErrBadFrame)
	case n%block != 0:
		return fmt.Errorf("%w: %d bytes is not a whole number of %d-byte sample frames", ErrBadFrame, n, block)
	case n > limit:
		return fmt.Errorf("%w: %d bytes is more than %v of audio (%d bytes)", ErrBadFrame, n, MaxFrame, limit)
	}
	return nil
}

// Listen adds a listener for station, replacing one it already had (an
// agent that reconnects). It hears from now on: a live broadcast has no
// past.
func (s *Session) Listen(station string) (*Listener, error) {
	if !s.Targets(station) {
		return nil, ErrNotListed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return nil, ErrEnded
	}
	if old := s.listeners[station]; old != nil {
		old.drop(ErrEnded)
	}
	l := &Listener{station: station, ch: make(chan []byte, s.queue), gone: make(chan struct{})}
	s.listeners[station] = l
	return l, nil
}

// Listeners is how many stations are listening now.
func (s *Session) Listeners() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.listeners)
}

// Dropped is how many listeners were dropped for falling behind.
func (s *Session) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Received is how much audio the speaker sent.
func (s *Session) Received() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Duration(s.received * int64(time.Second) / s.info.bytesPerSecond())
}

// Stop asks the speaker to end (an operator's stop from elsewhere); the
// speaker's goroutine sees Stopped and calls End.
func (s *Session) Stop() { s.stopOnce.Do(func() { close(s.stop) }) }

// Stopped is closed once Stop was called.
func (s *Session) Stopped() <-chan struct{} { return s.stop }

// Done is closed once the session ended.
func (s *Session) Done() <-chan struct{} { return s.done }

// End ends the session: every listener hears the end after what it still
// has queued, and the recording is closed. It returns the recording (nil
// when nothing was received, and then no file is left). Calling it again
// returns ErrEnded.
func (s *Session) End() (*Recording, error) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return nil, ErrEnded
	}
	s.ended = true
	for id, l := range s.listeners {
		l.finish()
		delete(s.listeners, id)
	}
	received := s.received
	s.mu.Unlock()
	close(s.done)
	if s.onEnd != nil {
		s.onEnd()
	}
	path, err := s.rec.close()
	if err != nil || received == 0 {
		s.rec.discard()
		return nil, err
	}
	return &Recording{Path: path, Duration: time.Duration(received * int64(time.Second) / s.info.bytesPerSecond())}, nil
}

// Finish reports what became of the session (the segment made of it);
// Result waits for it. Only the first call counts.
func (s *Session) Finish(r Result) {
	select {
	case s.result <- r:
	default:
	}
}

// Result waits until Finish was called or timeout passed (ok false).
func (s *Session) Result(timeout time.Duration) (r Result, ok bool) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-s.result:
		s.Finish(r) // for the next caller
		return r, true
	case <-t.C:
		return Result{}, false
	}
}

// Leave removes a listener that stopped listening (its station went away).
func (s *Session) Leave(l *Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listeners[l.station] == l {
		delete(s.listeners, l.station)
		l.drop(ErrEnded)
	}
}

// Expire ends a session that no speaker ever claimed (an operator who
// opened one and never connected); it reports whether it did.
func (s *Session) Expire() bool {
	s.mu.Lock()
	taken := s.speaker || s.ended
	s.speaker = true // no speaker may claim it from now on
	s.mu.Unlock()
	if taken {
		return false
	}
	s.End()
	return true
}
