package live

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
)

var (
	bucketSessions = []byte("live_sessions")
)

// schema is the store's schema version in the meta bucket and its
// migrations in order: migration i brings it to version i+1.
var schema = boltstore.Schema{Name: "live", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bucketSessions); return err },
}}

// Store keeps the record of past live sessions.
type Store struct{ db *bbolt.DB }

// Record is a live session after its end: who spoke, when, to how many
// stations, and the library segment its recording became (0: none, the
// recording was empty or could not be stored).
type Record struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Topic     string    `json:"topic"`
	By        string    `json:"by"`
	Stations  []string  `json:"stations"`
	Started   time.Time `json:"started"`
	Ended     time.Time `json:"ended"`
	Length    int64     `json:"length_ms"` // audio received
	SegmentID uint64    `json:"segment_id,omitempty"`
}

// Open creates the store's bucket and runs its migrations.
func Open(db *bbolt.DB) (*Store, error) {
	err := db.Update(schema.Migrate)
	if err != nil {
		return nil, fmt.Errorf("open live store: %w", err)
	}
	return &Store{db: db}, nil
}

// Put stores a session's record (instants in UTC).
func (st *Store) Put(r Record) error {
	r.Started, r.Ended = r.Started.UTC(), r.Ended.UTC()
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return st.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketSessions).Put([]byte(r.ID), data) })
}

// Record returns the record of session id (ErrNotFound).
func (st *Store) Record(id string) (Record, error) {
	var r Record
	err := st.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &r)
	})
	return r, err
}
