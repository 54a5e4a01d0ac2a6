package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/protocol"
	"loa/internal/boltstore"
)

var (
	bucketPlaylists = []byte("agent.playlists") // date → protocol.Playlist JSON
	bucketJournal   = []byte("agent.journal")   // event id → journalEntry JSON, until acked
	bucketHandled   = []byte("agent.handled")   // event id → planned date; what was decided, sent or not
	bucketCommands  = []byte("agent.commands")  // command id → "" once run
	bucketSettings  = []byte("agent.settings")
	volumeKey       = []byte("volume")
)

// schema is the store's schema version in the meta bucket and its
// migrations in order: migration i brings it to version i+1.
var schema = boltstore.Schema{Name: "agent", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketPlaylists, bucketJournal, bucketHandled, bucketCommands, bucketSettings} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
}}

// ErrNotFound is returned for a playlist the agent does not hold.
var ErrNotFound = errors.New("not found")

// Store is the agent's durable state: playlists, the proof-of-play journal,
// commands already run and settings. It is safe for concurrent use.
type Store struct {
	db   *bbolt.DB
	held heldPlaylists // the playlists decoded (store_held.go)
}

// Open prepares the agent's buckets in db and migrates them.
func Open(db *bbolt.DB) (*Store, error) {
	err := db.Update(schema.Migrate)
	if err != nil {
		return nil, fmt.Errorf("open agent store: %w", err)
	}
	return &Store{db: db}, nil
}

// PutPlaylist stores a playlist, replacing the one held for its date.
func (s *Store) PutPlaylist(p protocol.Playlist) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("put playlist %s: %w", p.Date, err)
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPlaylists).Put([]byte(p.Date), b)
	})
	if err == nil {
		s.held.put(p)
	}
	return err
}

// Playlist returns the playlist held for a date.
func (s *Store) Playlist(date string) (protocol.Playlist, error) {
	var p protocol.Playlist
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketPlaylists).Get([]byte(date))
		if v == nil {
			return fmt.Errorf("playlist %s: %w", date, ErrNotFound)
		}
		return json.Unmarshal(v, &p)
	})
	return p, err
}

// Playlists returns the playlists for dates on or after from, by date.
// Their items are shared with the store: read them, never change them.
func (s *Store) Playlists(from string) ([]protocol.Playlist, error) {
	return s.held.from(from, s.readPlaylists)
}

// readPlaylists decodes the playlists for dates on or after from.
func (s *Store) readPlaylists(from string) ([]protocol.Playlist, error) {
	var out []protocol.Playlist
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketPlaylists).Cursor()
		for k, v := c.Seek([]byte(from)); k != nil; k, v = c.Next() {
			var p protocol.Playlist
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("playlist %s: %w", k, err)
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// DropPlaylistsBefore forgets playlists of dates before date, and the
// handled marks of their events. A playlist is kept by its local date and
// a mark by its item's UTC date, which is a day earlier for the first hours
// of a day east of UTC: marks go one day after their date, or the player
// would take those items as unhandled and report them missed again.
func (s *Store) DropPlaylistsBefore(date string) error {
	markDate := date
	if d, err := time.Parse(time.DateOnly, date); err == nil {
		markDate = d.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := deleteBefore(tx.Bucket(bucketPlaylists), date, nil); err != nil {
			return err
		}
		return deleteBefore(tx.Bucket(bucketHandled), markDate, func(v []byte) bool { return string(v) < markDate })
	})
	if err == nil {
		s.held.drop(date)
	}
	return err
}

// deleteBefore deletes keys below date (keep == nil) or entries keep says
// are old.
func deleteBefore(b *bbolt.Bucket, date string, old func(v []byte) bool) error {
	var del [][]byte
	b.ForEach(func(k, v []byte) error {
		if (old == nil && string(k) < date) || (old != nil && old(v)) {
			del = append(del, k)
		}
		return nil
	})
	for _, k := range del {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// CommandSeen records a command id and reports whether it was seen before,
// so a command resent after a reconnect runs once.
func (s *Store) CommandSeen(id string) (seen bool, err error) {
	err = s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCommands)
		if b.Get([]byte(id)) != nil {
			seen = true
			return nil
		}
		if b.Stats().KeyN > 1000 { // bounded: old ids are long expired
			c := b.Cursor()
			k, _ := c.First()
			b.Delete(k)
		}
		return b.Put([]byte(id), []byte{})
	})
	return seen, err
}

// SetVolume stores the station volume (0–100).
func (s *Store) SetVolume(v int) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSettings).Put(volumeKey, []byte{byte(v)})
	})
}

// Volume returns the stored volume, or def when none was set.
func (s *Store) Volume(def int) int {
	v := def
	s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketSettings).Get(volumeKey); len(b) == 1 {
			v = int(b[0])
		}
		return nil
	})
	return v
}
