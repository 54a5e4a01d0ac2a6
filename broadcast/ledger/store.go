package ledger

import (
	"bytes"
	"fmt"
	"sync"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
	"loa/internal/ward"
)

var (
	bucketMeta   = []byte("meta")
	bucketEvents = []byte("ledger.events")
)

// schema is the store's schema version in the meta bucket and its
// migrations in order: migration i brings it to version i+1.
var schema = boltstore.Schema{Name: "ledger", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketEvents)
		return err
	},
	func(tx *bbolt.Tx) error { // 2: rollups, filled by Open (no rollup config stored yet)
		for _, name := range [][]byte{bucketRollups, bucketSnapshots, bucketSnapIDs, bucketProblems} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	addStationIndex,     // 3: the station index, back-filled by Open
	stationIndexBuckets, // 4: the same, a bucket per station
}}

// Store is the aired-event ledger. It is safe for concurrent use.
type Store struct {
	db  *bbolt.DB
	cfg rollupConfig

	snapIDs map[string]uint32 // snapshot content → id; used only by the committer

	mu         sync.Mutex
	pending    []*request
	committing bool
}

// Open prepares the ledger's buckets in db and migrates them. When the
// rollups were cut with another zone or margin than opts say (or not yet),
// it recounts them from the events.
func Open(db *bbolt.DB, opts ...Option) (*Store, error) {
	s := &Store{db: db, cfg: rollupConfig{margin: DefaultLateMargin}}
	for _, o := range opts {
		o(&s.cfg)
	}
	if s.cfg.zone == nil {
		s.cfg.zone = ward.Zone()
	}
	err := db.Update(func(tx *bbolt.Tx) error {
		if err := schema.Migrate(tx); err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		if !bytes.Equal(meta.Get(keyRollupConfig), s.cfg.encode()) {
			return s.rebuildRollups(tx)
		}
		return nil
	})
	if err == nil {
		err = s.backfillStationIndex()
	}
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	return s, nil
}
