package live

import (
	"fmt"
	"sync"
	"time"
)

// Manager holds the sessions on the air now. It lives in memory: a
// restart ends every live broadcast (the agents' streams end with it).
type Manager struct {
	dir   string // where recordings are written (the blob store's temp dir)
	queue int

	mu       sync.Mutex
	sessions map[string]*Session
}

// NewManager records into dir; queue is each listener's bound in frames
// (0: DefaultQueue).
func NewManager(dir string, queue int) *Manager {
	if queue <= 0 {
		queue = DefaultQueue
	}
	return &Manager{dir: dir, queue: queue, sessions: map[string]*Session{}}
}

// Start opens a session for info (its recording file included). Rate
// must be 8–48 kHz, channels 1 or 2; a zero MaxLength means
// DefaultMaxLength.
func (m *Manager) Start(info Info) (*Session, error) {
	if info.Rate < 8000 || info.Rate > 48000 || info.Channels < 1 || info.Channels > 2 {
		return nil, fmt.Errorf("live session: unsupported format %d Hz × %d", info.Rate, info.Channels)
	}
	if info.MaxLength <= 0 {
		info.MaxLength = DefaultMaxLength
	}
	rec, err := newRecorder(m.dir, info.Rate, info.Channels)
	if err != nil {
		return nil, err
	}
	s := &Session{info: info, queue: m.queue, rec: rec, listeners: map[string]*Listener{},
		stop: make(chan struct{}), done: make(chan struct{}), result: make(chan Result, 1)}
	s.onEnd = func() { m.forget(info.ID, s) }
	m.mu.Lock()
	m.sessions[info.ID] = s
	m.mu.Unlock()
	return s, nil
}

func (m *Manager) forget(id string, s *Session) {
	// Kept a little after its end, so that a stop request can read the result.
	time.AfterFunc(time.Minute, func() {
		m.mu.Lock()
		if m.sessions[id] == s {
			delete(m.sessions, id)
		}
		m.mu.Unlock()
	})
}

// Session returns the session with id, ended or not (ErrNotFound).
func (m *Manager) Session(id string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sessions[id]; ok {
		return s, nil
	}
	return nil, ErrNotFound
}

// Ended reports whether the session is over.
func (s *Session) Ended() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}
