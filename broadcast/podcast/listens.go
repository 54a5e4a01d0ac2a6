package podcast

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
	"loa/internal/ward"
)

// bucketListens holds one record per (ward day, bulletin): its listen
// count and the title and topic it had that day.
var bucketListens = []byte("podcast_listens")

// maxSeenPerDay bounds the day's memory of who listened: past it, further
// listens are counted without telling repeat listeners apart.
const maxSeenPerDay = 500_000

// Listens counts online listens without tracking people: a listener is
// told apart from others only within one ward day, by a salted hash of
// their address and browser; the salt is random, lives in memory only and
// is replaced when the day turns, so nothing stored or kept past the day
// can be traced back to a person. No address is ever written down.
type Listens struct {
	db  *bbolt.DB
	loc *time.Location

	mu   sync.Mutex
	day  ward.Day
	salt [32]byte
	seen map[[16]byte]struct{}
}

// A Tally is the listens of one bulletin over a period.
type Tally struct {
	ID      uint64 `json:"id"`
	Title   string `json:"title"`
	Topic   string `json:"topic"`
	Listens int64  `json:"listens"`
}

type dayRecord struct {
	N     int64  `json:"n"`
	Title string `json:"title"`
	Topic string `json:"topic"`
}

// schema is the listens store's schema: migration i brings it to
// version i+1.
var schema = boltstore.Schema{Name: "podcast", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucket(bucketListens)
		return err
	},
}}

// OpenListens prepares the listens bucket in db; days are cut in loc.
func OpenListens(db *bbolt.DB, loc *time.Location) (*Listens, error) {
	if err := schema.Open(db); err != nil {
		return nil, err
	}
	return &Listens{db: db, loc: loc}, nil
}

// Count records that the client who (its address and user agent, never
// stored) began to hear b at now. A second start by the same client on the
// same ward day is not counted again. It reports whether it counted.
func (l *Listens) Count(now time.Time, b Bulletin, who string) (bool, error) {
	day := ward.DayOf(now, l.loc)
	if !l.firstToday(day, b.ID, who) {
		return false, nil
	}
	err := l.db.Batch(func(tx *bbolt.Tx) error {
		bk := tx.Bucket(bucketListens)
		key := listenKey(day, b.ID)
		var rec dayRecord
		if v := bk.Get(key); v != nil {
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
		}
		rec.N++
		rec.Title, rec.Topic = b.Title, b.Topic
		v, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return bk.Put(key, v)
	})
	if err != nil {
		return false, fmt.Errorf("count listen: %w", err)
	}
	return true, nil
}

// firstToday reports whether who has not started b yet today, and
// remembers that it has now.
func (l *Listens) firstToday(day ward.Day, id uint64, who string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if day != l.day || l.seen == nil {
		l.day, l.seen = day, map[[16]byte]struct{}{}
		rand.Read(l.salt[:])
	}
	h := sha256.New()
	h.Write(l.salt[:])
	h.Write(binary.BigEndian.AppendUint64(nil, id))
	h.Write([]byte(who))
	var key [16]byte
	copy(key[:], h.Sum(nil))
	if _, ok := l.seen[key]; ok {
		return false
	}
	if len(l.seen) < maxSeenPerDay {
		l.seen[key] = struct{}{}
	}
	return true
}

// Between returns the listens of every bulletin heard from day from to day
// to, both included, most listened first.
func (l *Listens) Between(from, to ward.Day) ([]Tally, error) {
	byID := map[uint64]*Tally{}
	var order []uint64
	err := l.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketListens).Cursor()
		for k, v := c.Seek([]byte(from)); k != nil && string(k[:len(from)]) <= string(to); k, v = c.Next() {
			var rec dayRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("listen record %q: %w", k, err)
			}
			id := binary.BigEndian.Uint64(k[len(k)-8:])
			t, ok := byID[id]
			if !ok {
				t = &Tally{ID: id}
				byID[id] = t
				order = append(order, id)
			}
			t.Listens += rec.N
			t.Title, t.Topic = rec.Title, rec.Topic // the latest day's names
		}
		return nil
	})
	out := make([]Tally, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	sortTallies(out)
	return out, err
}

// listenKey orders records by day, then bulletin: "2026-12-07" + id.
func listenKey(day ward.Day, id uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(day), id)
}

func sortTallies(list []Tally) {
	slices.SortStableFunc(list, func(a, b Tally) int {
		if a.Listens != b.Listens {
			return cmp.Compare(b.Listens, a.Listens)
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// TopicTotals adds up tallies by topic, most listened first.
func TopicTotals(list []Tally) []Tally {
	byTopic := map[string]*Tally{}
	var out []Tally
	for _, t := range list {
		if x, ok := byTopic[t.Topic]; ok {
			x.Listens += t.Listens
			continue
		}
		byTopic[t.Topic] = &Tally{Topic: t.Topic, Listens: t.Listens}
	}
	for _, t := range byTopic {
		out = append(out, *t)
	}
	slices.SortStableFunc(out, func(a, b Tally) int {
		if a.Listens != b.Listens {
			return cmp.Compare(b.Listens, a.Listens)
		}
		return cmp.Compare(a.Topic, b.Topic)
	})
	return out
}
