package podcast

import (
	"slices"
	"strings"
	"sync"
	"time"

	"loa/playlist/library"
)

// A Bulletin is one segment as the public sees it: nothing of its targets,
// quotas or history.
type Bulletin struct {
	ID        uint64
	Title     string
	Summary   string // the segment's description
	Topic     string // topic id
	TopicName string
	// Text is what a deaf or hard-of-hearing resident reads: the text a
	// text-to-speech item was made from, or the editor's transcript.
	Text      string
	SHA256    string
	Bytes     int64 // size of the audio file
	MIME      string
	Duration  time.Duration // of the whole file: the public hears it all
	Published time.Time     // when it became public (or was approved, if later)
}

// IsPublic reports whether the public may hear s: approved, not an
// emergency, and marked public by an approver. Drafts, submitted, rejected
// and archived segments never are, whatever their flag says.
func IsPublic(s library.Segment) bool {
	return s.Public && s.Status == library.StatusApproved && s.Level != library.LevelEmergency
}

// Library is what the catalogue reads: the library store.
type Library interface {
	List(library.Filter) ([]library.Segment, error)
	Topics() ([]library.Topic, error)
	Generation() uint64
}

// Catalogue holds the public bulletins, rebuilt only when the library has
// changed since the last look (its generation), so a crowd of listeners
// does not decode the library on every request while a withdrawal still
// shows at the next request.
type Catalogue struct {
	lib Library

	mu     sync.Mutex
	gen    uint64
	loaded bool
	list   []Bulletin // newest first
	topics []library.Topic
}

// NewCatalogue reads lib.
func NewCatalogue(lib Library) *Catalogue { return &Catalogue{lib: lib} }

// Bulletins returns the public bulletins, newest first, and the topics
// that have any, CCHC topics first. The slices are shared: do not modify.
func (c *Catalogue) Bulletins() ([]Bulletin, []library.Topic, error) {
	list, topics, _, err := c.Snapshot()
	return list, topics, err
}

// Snapshot is Bulletins with the library generation it was read at, so a
// caller can keep what it derives from them until the library changes.
func (c *Catalogue) Snapshot() ([]Bulletin, []library.Topic, uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gen := c.lib.Generation()
	if c.loaded && gen == c.gen {
		return c.list, c.topics, gen, nil
	}
	segs, err := c.lib.List(library.Filter{Status: library.StatusApproved})
	if err != nil {
		return nil, nil, 0, err
	}
	topics, err := c.lib.Topics()
	if err != nil {
		return nil, nil, 0, err
	}
	c.list, c.topics = collect(segs, topics)
	c.gen, c.loaded = gen, true
	return c.list, c.topics, gen, nil
}

// Bulletin returns the public bulletin id; ok is false when there is none
// (unknown, or not public).
func (c *Catalogue) Bulletin(id uint64) (Bulletin, bool, error) {
	list, _, err := c.Bulletins()
	if err != nil {
		return Bulletin{}, false, err
	}
	for _, b := range list {
		if b.ID == id {
			return b, true, nil
		}
	}
	return Bulletin{}, false, nil
}

// ByTopic returns the public bulletins of topic, newest first.
func ByTopic(list []Bulletin, topic string) []Bulletin {
	var out []Bulletin
	for _, b := range list {
		if b.Topic == topic {
			out = append(out, b)
		}
	}
	return out
}

func collect(segs []library.Segment, topics []library.Topic) ([]Bulletin, []library.Topic) {
	names := map[string]string{}
	for _, t := range topics {
		names[t.ID] = t.Name
	}
	var list []Bulletin
	used := map[string]bool{}
	for _, s := range segs {
		if !IsPublic(s) {
			continue
		}
		list = append(list, bulletinOf(s, names[s.Topic]))
		used[s.Topic] = true
	}
	slices.SortStableFunc(list, func(a, b Bulletin) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return int(int64(b.ID) - int64(a.ID))
	})
	var shown []library.Topic
	for _, t := range topics {
		if used[t.ID] {
			shown = append(shown, t)
		}
	}
	slices.SortStableFunc(shown, func(a, b library.Topic) int { return cchcFirst(a) - cchcFirst(b) })
	return list, shown
}

// cchcFirst orders the administrative-reform topics before the others.
func cchcFirst(t library.Topic) int {
	if t.CCHC || strings.HasPrefix(t.ID, "cchc") {
		return 0
	}
	return 1
}

func bulletinOf(s library.Segment, topicName string) Bulletin {
	text := s.Text
	if text == "" {
		text = s.Transcript
	}
	return Bulletin{
		ID: s.ID, Title: s.Title, Summary: s.Description, Topic: s.Topic, TopicName: topicName,
		Text: text, SHA256: s.Audio.SHA256, Bytes: s.Audio.Size, MIME: mimeOf(s.Audio.Format),
		Duration: time.Duration(s.Audio.DurationMS) * time.Millisecond, Published: publishedAt(s),
	}
}

// publishedAt is the last time s became public or was approved, whichever
// is later: a bulletin approved again after an edit is news again.
func publishedAt(s library.Segment) time.Time {
	var at time.Time
	for _, t := range s.History {
		if (t.Action == library.ActionApprove || t.Action == library.ActionPublish) && t.At.After(at) {
			at = t.At
		}
	}
	if at.IsZero() {
		at = s.UpdatedAt
	}
	return at
}

func mimeOf(format string) string {
	if format == "wav" {
		return "audio/wav"
	}
	return "audio/mpeg"
}
