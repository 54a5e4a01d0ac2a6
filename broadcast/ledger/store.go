package ledger

import (
	"encoding/binary"
	"fmt"
	"sync"

	"go.etcd.io/bbolt"
)

var (
	bucketMeta   = []byte("meta")
	bucketEvents = []byte("ledger.events")
	schemaKey    = []byte("ledger.schema")
)

var migrations = []func(tx *bbolt.Tx) error{
	func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketEvents)
		return err
	},
}

// Store is the aired-event ledger. It is safe for concurrent use.
type Store struct {
	db *bbolt.DB

	mu         sync.Mutex
	pending    []*request
	committing bool
}

// Open prepares the ledger's bucket in db and migrates it.
func Open(db *bbolt.DB) (*Store, error) {
	err := db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		var version uint64
		if v := meta.Get(schemaKey); len(v) == 8 {
			version = binary.BigEndian.Uint64(v)
		}
		if version > uint64(len(migrations)) {
			return fmt.Errorf("schema version %d is newer than this program (%d)", version, len(migrations))
		}
		for ; version < uint64(len(migrations)); version++ {
			if err := migrations[version](tx); err != nil {
				return fmt.Errorf("migrate to %d: %w", version+1, err)
			}
		}
		return meta.Put(schemaKey, binary.BigEndian.AppendUint64(nil, version))
	})
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	return &Store{db: db}, nil
}
