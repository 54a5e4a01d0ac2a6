package stations

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
)

// Sentinel errors; callers test them with errors.Is.
var (
	ErrStationNotFound = errors.New("station not found")
	ErrGroupNotFound   = errors.New("group not found")
	ErrBadToken        = errors.New("unknown or revoked token")
	ErrDisabled        = errors.New("station disabled")
)

var (
	bucketStations = []byte("stations")
	bucketGroups   = []byte("stations.groups")
	bucketTokens   = []byte("stations.tokens")
	bucketPresence = []byte("stations.presence")
	bucketCommands = []byte("stations.commands")
)

// schema is the store's schema version in the meta bucket and its
// migrations in order: migration i brings it to version i+1.
var schema = boltstore.Schema{Name: "stations", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketStations, bucketGroups, bucketTokens, bucketPresence} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bbolt.Tx) error { // 2: operators' commands survive a restart
		_, err := tx.CreateBucket(bucketCommands)
		return err
	},
}}

// Store is the station registry. It is safe for concurrent use.
type Store struct {
	db *bbolt.DB

	mu       sync.Mutex
	watchers []func(Change)
}

// Open prepares the registry's buckets in db and migrates them.
func Open(db *bbolt.DB) (*Store, error) {
	err := db.Update(schema.Migrate)
	if err != nil {
		return nil, fmt.Errorf("open station store: %w", err)
	}
	return &Store{db: db}, nil
}

// ChangeKind says what happened to a station.
type ChangeKind int

// Kinds of change. Revoked covers rotation too: the old token stops working.
const (
	Updated ChangeKind = iota + 1
	Revoked
	Disabled
	Deleted
)

// Change is sent to watchers after a committed change to a station.
type Change struct {
	StationID string
	Kind      ChangeKind
}

// OnChange registers fn to be called, synchronously and after the commit,
// for every change to a station. fn must not block.
func (s *Store) OnChange(fn func(Change)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watchers = append(s.watchers, fn)
}

func (s *Store) notify(c Change) {
	s.mu.Lock()
	ws := slices.Clone(s.watchers)
	s.mu.Unlock()
	for _, fn := range ws {
		fn(c)
	}
}
