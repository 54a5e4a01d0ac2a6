package sim

import (
	"sync"
	"time"

	"loa/audio/playback"
)

// simRate is the rate of the stations' outputs and of the sim's audio
// (8 kHz mono WAV): decoding costs next to nothing.
const simRate = 8000

// deviceBuffer is how far a write may run ahead of the sound, as a sound
// card's buffer lets it.
const deviceBuffer = 250 * time.Millisecond

// aired is what a station's loudspeakers really gave out: one item, from
// its first sample to its last (instants on the bubble's true clock).
type aired struct {
	Name        string // the playback item's name: the playlist item id, or the emergency item's
	First, Last time.Time
	Frames      int64
}

// speaker is a station's sound output in virtual time: a playback.Output
// that takes audio at the pace of the (virtual) clock and remembers when
// each item really sounded. It outlives the agent: a restarted agent opens
// the same speaker.
type speaker struct {
	mu      sync.Mutex
	log     []aired
	cur     *aired
	drainAt time.Time // when the samples written so far have sounded
}

var _ playback.Output = (*speaker)(nil)

func (s *speaker) Rate() int { return simRate }

func (s *speaker) Begin(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = &aired{Name: name}
	return nil
}

func (s *speaker) Write(pcm []byte) (int, error) {
	frames := int64(len(pcm) / 4)
	now := time.Now()
	s.mu.Lock()
	start := now
	if s.drainAt.After(now) {
		start = s.drainAt
	}
	if s.cur != nil {
		if s.cur.Frames == 0 {
			s.cur.First = start
		}
		s.cur.Frames += frames
	}
	s.drainAt = start.Add(time.Duration(frames) * time.Second / simRate)
	ahead := s.drainAt.Sub(now)
	s.mu.Unlock()
	if ahead > deviceBuffer {
		time.Sleep(ahead - deviceBuffer)
	}
	return len(pcm), nil
}

func (s *speaker) End(playback.Timing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil && s.cur.Frames > 0 {
		s.cur.Last = s.drainAt
		s.log = append(s.log, *s.cur)
	}
	s.cur = nil
	return nil
}

func (s *speaker) Close() error { return nil }

// since returns what sounded from index i on, and the next index.
func (s *speaker) since(i int) ([]aired, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]aired(nil), s.log[i:]...), len(s.log)
}

// firstOf returns when the item name first sounded at or after t (zero:
// never).
func (s *speaker) firstOf(name string, t time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.log {
		if r.Name == name && !r.First.Before(t) {
			return r.First
		}
	}
	if s.cur != nil && s.cur.Name == name && s.cur.Frames > 0 && !s.cur.First.Before(t) {
		return s.cur.First // on air now, the first since t
	}
	return time.Time{}
}
