package library

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
)

// ErrNotFound is returned when no segment or topic has the given id.
var ErrNotFound = errors.New("not found in the library")

var (
	bucketSegments = []byte("library.segments") // id (uint64 BE) → JSON Segment
	bucketTopics   = []byte("library.topics")   // topic id → JSON Topic
)

// schema is the store's schema version in the meta bucket and its
// migrations in order: migration i brings it to version i+1.
var schema = boltstore.Schema{Name: "library", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error { // 1: buckets and the plan's topics
		if _, err := tx.CreateBucketIfNotExists(bucketSegments); err != nil {
			return err
		}
		topics, err := tx.CreateBucketIfNotExists(bucketTopics)
		if err != nil {
			return err
		}
		for i, t := range seedTopics {
			t.Order = i + 1
			if err := putJSON(topics, []byte(t.ID), t); err != nil {
				return err
			}
		}
		return nil
	},
}}

// Store keeps the library in a bbolt database shared with other packages.
type Store struct {
	db  *bbolt.DB
	now func() time.Time
	gen atomic.Uint64 // grows with every committed change (Generation)
}

// Generation grows with every change this Store commits, so a reader can
// keep a derived view until the library changes.
func (st *Store) Generation() uint64 { return st.gen.Load() }

// write runs fn in one read-write transaction and, when it commits, moves
// the generation on.
func (st *Store) write(fn func(*bbolt.Tx) error) error {
	err := st.db.Update(fn)
	if err == nil {
		st.gen.Add(1)
	}
	return err
}

// Open prepares the library's buckets in db, migrating them to the current schema.
func Open(db *bbolt.DB) (*Store, error) {
	err := db.Update(schema.Migrate)
	if err != nil {
		return nil, fmt.Errorf("open library store: %w", err)
	}
	return &Store{db: db, now: time.Now}, nil
}

// Check validates the metadata of a segment about to be created, so that an
// upload can fail before its audio is analysed.
func (st *Store) Check(s Segment) error {
	s.normalize()
	return st.db.View(func(tx *bbolt.Tx) error { return s.validate(topicLookup(tx)) })
}

// Create validates s and stores it as a new draft, returning it with its id.
func (st *Store) Create(s Segment, by string) (Segment, error) {
	return st.create(s, 0, by)
}

// Reserve takes the next segment id for a segment whose audio does not
// exist yet (a live broadcast, recorded while it airs), so that what airs
// can name it. A reserved id that is never used stays a gap.
func (st *Store) Reserve() (uint64, error) {
	var id uint64
	err := st.write(func(tx *bbolt.Tx) (err error) {
		id, err = tx.Bucket(bucketSegments).NextSequence()
		return err
	})
	return id, err
}

// CreateReserved is Create under an id Reserve gave and no segment has.
func (st *Store) CreateReserved(s Segment, id uint64, by string) (Segment, error) {
	if id == 0 {
		return Segment{}, errors.New("create reserved: no id")
	}
	return st.create(s, id, by)
}

func (st *Store) create(s Segment, id uint64, by string) (Segment, error) {
	s.normalize()
	now := st.now().UTC()
	s.Status, s.History = StatusDraft, nil
	s.CreatedBy, s.CreatedAt, s.UpdatedAt, s.Revision = by, now, now, 1
	if s.Audio.SHA256 == "" {
		return Segment{}, fieldErr("audio", CodeRequired)
	}
	err := st.write(func(tx *bbolt.Tx) error {
		if err := s.validate(topicLookup(tx)); err != nil {
			return err
		}
		b := tx.Bucket(bucketSegments)
		switch {
		case id == 0:
			next, err := b.NextSequence()
			if err != nil {
				return err
			}
			s.ID = next
		case id > b.Sequence() || b.Get(segmentKey(id)) != nil:
			return fmt.Errorf("create reserved: id %d was not reserved or is taken", id)
		default:
			s.ID = id
		}
		return putJSON(b, segmentKey(s.ID), s)
	})
	if err != nil {
		return Segment{}, err
	}
	return s, nil
}

// Segment returns the segment with the given id.
func (st *Store) Segment(id uint64) (Segment, error) {
	var s Segment
	err := st.db.View(func(tx *bbolt.Tx) error {
		return getJSON(tx.Bucket(bucketSegments), segmentKey(id), &s)
	})
	return s, err
}

// Edit applies change to the segment and stores it if it still validates.
// revision must be the revision the person saw (0 skips the check). Editing
// an approved segment sends it back to the approver, a submitted one back
// to draft; every edit is in the history.
func (st *Store) Edit(id uint64, revision int, by string, change func(*Segment)) (Segment, error) {
	return st.update(id, func(s *Segment, topicKnown func(string) bool) error {
		if revision != 0 && revision != s.Revision {
			return fieldErr("revision", CodeStale)
		}
		if s.Status == StatusArchived {
			return fmt.Errorf("edit an archived segment: %w", ErrTransition)
		}
		keep := *s
		change(s)
		// What identifies and records the segment is not editable.
		s.ID, s.Status, s.History, s.Audio, s.Public = keep.ID, keep.Status, keep.History, keep.Audio, keep.Public
		s.CreatedBy, s.CreatedAt = keep.CreatedBy, keep.CreatedAt
		s.normalize()
		if err := s.validate(topicKnown); err != nil {
			return err
		}
		// Every edit is in the history. What an approver approves is
		// what they saw: an approved item goes back to them, a submitted
		// one back to its editor, to be submitted again.
		switch s.Status {
		case StatusApproved:
			s.record(ActionEdit, StatusSubmitted, by, "", st.now())
		case StatusSubmitted:
			s.record(ActionEdit, StatusDraft, by, "", st.now())
		default:
			s.record(ActionEdit, s.Status, by, "", st.now())
		}
		return nil
	})
}

// Do applies a lifecycle action on behalf of a person.
func (st *Store) Do(id uint64, a Action, by, comment string) (Segment, error) {
	comment = cleanText(comment)
	if len([]rune(comment)) > MaxComment {
		return Segment{}, fieldErr("comment", CodeTooLong)
	}
	return st.update(id, func(s *Segment, _ func(string) bool) error {
		return s.apply(a, by, comment, st.now())
	})
}

// update runs fn on the stored segment inside one transaction and saves it.
func (st *Store) update(id uint64, fn func(s *Segment, topicKnown func(string) bool) error) (Segment, error) {
	var s Segment
	err := st.write(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		if err := getJSON(b, segmentKey(id), &s); err != nil {
			return err
		}
		if err := fn(&s, topicLookup(tx)); err != nil {
			return err
		}
		s.Revision++
		s.UpdatedAt = st.now().UTC()
		return putJSON(b, segmentKey(id), s)
	})
	if err != nil {
		return Segment{}, err
	}
	return s, nil
}

// SetPublic makes an approved segment public ("Nghe lại") or withdraws it,
// on behalf of an approver; the change is in the segment's history. Only
// an approved segment that is no emergency can be made public; any segment
// can be withdrawn.
func (st *Store) SetPublic(id uint64, public bool, by string) (Segment, error) {
	return st.update(id, func(s *Segment, _ func(string) bool) error {
		if public && (s.Status != StatusApproved || s.Level == LevelEmergency) {
			return fmt.Errorf("make a %s %s segment public: %w", s.Status, s.Level, ErrTransition)
		}
		a := ActionUnpublish
		if public {
			a = ActionPublish
		}
		s.Public = public
		s.History = append(s.History, Transition{Action: a, From: s.Status, To: s.Status, By: by, At: st.now().UTC()})
		return nil
	})
}

// Remeasure puts a newer analysis of the same file on a segment, keeping
// its status: the approver approved what the file says, which has not
// changed; only the measurements (loudness, true peak, cues) and so the
// gain the stations apply do. The file's name and origin stay.
func (st *Store) Remeasure(id uint64, a Audio) (Segment, error) {
	return st.update(id, func(s *Segment, _ func(string) bool) error {
		if a.SHA256 != s.Audio.SHA256 {
			return fmt.Errorf("remeasure segment %d: not its file: %w", id, ErrTransition)
		}
		a.OriginalName, a.ConvertedFrom = s.Audio.OriginalName, s.Audio.ConvertedFrom
		for _, n := range s.Audio.Warnings {
			if n.Code == "duplicate" { // not the analysis's to say
				a.Warnings = append(a.Warnings, n)
			}
		}
		s.Audio = a
		return nil
	})
}

// Delete removes a draft or rejected segment that never aired. Approved
// segments are archived instead, so that history keeps its meaning.
func (st *Store) Delete(id uint64) error {
	return st.write(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		var s Segment
		if err := getJSON(b, segmentKey(id), &s); err != nil {
			return err
		}
		if s.Status != StatusDraft && s.Status != StatusRejected {
			return fmt.Errorf("delete a %s segment: %w", s.Status, ErrTransition)
		}
		return b.Delete(segmentKey(id))
	})
}

// Filter selects segments in List. Zero fields match everything.
type Filter struct {
	Query   string // words in the title or description, accents optional
	Topic   string
	Status  Status
	Level   Level
	ValidOn Date // valid on this day
}

func (f Filter) match(s *Segment, words []string) bool {
	switch {
	case f.Topic != "" && s.Topic != f.Topic,
		f.Status != "" && s.Status != f.Status,
		f.Level != "" && s.Level != f.Level,
		f.ValidOn != "" && !f.ValidOn.Within(s.ValidFrom, s.ValidTo):
		return false
	}
	text := searchWords(s.Title + " " + s.Description)
	for _, w := range words {
		if !slices.ContainsFunc(text, func(t string) bool { return strings.HasPrefix(t, w) }) {
			return false
		}
	}
	return true
}

// searchWords is s folded and cut into words: a searched word matches the
// start of one ("ho" finds "hồ sơ" but not the "ho" inside "thông").
func searchWords(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// List returns the segments that match f, newest first.
func (st *Store) List(f Filter) ([]Segment, error) {
	words := searchWords(f.Query)
	var out []Segment
	err := st.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketSegments).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var s Segment
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("segment %x: %w", k, err)
			}
			if f.match(&s, words) {
				out = append(out, s)
			}
		}
		return nil
	})
	return out, err
}

// Approved returns every approved segment, by id: the only ones that may be
// scheduled.
func (st *Store) Approved() ([]Segment, error) {
	list, err := st.List(Filter{Status: StatusApproved})
	slices.Reverse(list)
	return list, err
}

// WithAudio returns the ids of the segments whose audio has the given sha256.
func (st *Store) WithAudio(sha string) ([]uint64, error) {
	list, err := st.List(Filter{})
	var ids []uint64
	for _, s := range list {
		if s.Audio.SHA256 == sha {
			ids = append(ids, s.ID)
		}
	}
	return ids, err
}

// AudioInUse reports the sha256 of every audio file a segment refers to.
func (st *Store) AudioInUse() (map[string]bool, error) {
	list, err := st.List(Filter{})
	used := make(map[string]bool, len(list))
	for _, s := range list {
		used[s.Audio.SHA256] = true
	}
	return used, err
}

// Topics returns the topic list in its order.
func (st *Store) Topics() ([]Topic, error) {
	var out []Topic
	err := st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTopics).ForEach(func(k, v []byte) error {
			var t Topic
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("topic %s: %w", k, err)
			}
			out = append(out, t)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Topic) int { return a.Order - b.Order })
	return out, err
}

// Topic returns one topic.
func (st *Store) Topic(id string) (Topic, error) {
	var t Topic
	err := st.db.View(func(tx *bbolt.Tx) error {
		return getJSON(tx.Bucket(bucketTopics), []byte(id), &t)
	})
	return t, err
}

// PutTopic adds or changes a topic. Topics are archived, never deleted, so
// that old segments and reports keep their names.
func (st *Store) PutTopic(t Topic) error {
	t.ID = strings.TrimSpace(t.ID)
	t.Name, t.NameEn = cleanText(t.Name), cleanText(t.NameEn)
	switch {
	case !validSlug(t.ID):
		return fieldErr("id", CodeInvalid)
	case t.Name == "":
		return fieldErr("name", CodeRequired)
	case len([]rune(t.Name)) > MaxTitle:
		return fieldErr("name", CodeTooLong)
	}
	return st.write(func(tx *bbolt.Tx) error {
		return putJSON(tx.Bucket(bucketTopics), []byte(t.ID), t)
	})
}

// topicLookup reports, inside tx, whether a topic exists and is not archived.
func topicLookup(tx *bbolt.Tx) func(string) bool {
	b := tx.Bucket(bucketTopics)
	return func(id string) bool {
		var t Topic
		return getJSON(b, []byte(id), &t) == nil && !t.Archived
	}
}

func segmentKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

func putJSON(b *bbolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func getJSON(b *bbolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return ErrNotFound
	}
	return json.NewDecoder(bytes.NewReader(data)).Decode(v)
}

// validSlug accepts lowercase ASCII letters, digits and inner hyphens, 1–64 long.
func validSlug(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
