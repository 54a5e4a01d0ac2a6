package boltstore

import (
	"encoding/binary"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"
)

// metaBucket holds every store's schema version: key "<name>.schema",
// value the version as 8 bytes big-endian.
var metaBucket = []byte("meta")

const versionSuffix = ".schema"

// A Migration brings a store's buckets one version up. It runs inside the
// transaction that opens the store, so a failed one leaves nothing behind.
type Migration func(tx *bbolt.Tx) error

// Schema is a store's schema: its name in the meta bucket and its
// migrations in order; migration i brings the schema to version i+1, so
// the current version is len(Migrations).
type Schema struct {
	Name       string // "library", "ledger", …
	Migrations []Migration
}

// Version is the schema version this program writes.
func (s Schema) Version() uint64 { return uint64(len(s.Migrations)) }

func (s Schema) key() []byte { return []byte(s.Name + versionSuffix) }

// Migrate runs the migrations tx's database has not had yet, in order, and
// records the new version. A version newer than this program's is an
// error, and nothing is changed.
func (s Schema) Migrate(tx *bbolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(metaBucket)
	if err != nil {
		return err
	}
	version := decode(meta.Get(s.key()))
	if version > s.Version() {
		return fmt.Errorf("schema version %d is newer than this program (%d)", version, s.Version())
	}
	for ; version < s.Version(); version++ {
		if err := s.Migrations[version](tx); err != nil {
			return fmt.Errorf("migrate to %d: %w", version+1, err)
		}
	}
	return meta.Put(s.key(), binary.BigEndian.AppendUint64(nil, version))
}

// Open migrates the store in a transaction of its own; the error names the
// store.
func (s Schema) Open(db *bbolt.DB) error {
	if err := db.Update(s.Migrate); err != nil {
		return fmt.Errorf("open %s store: %w", s.Name, err)
	}
	return nil
}

func decode(v []byte) uint64 {
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// StoreVersion is one store's schema version as the database records it.
type StoreVersion struct {
	Name    string
	Version uint64
}

// Versions lists the schema version of every store db holds, by name (none
// for a database no store has opened yet). It only reads, so it works on a
// database opened read-only.
func Versions(db *bbolt.DB) ([]StoreVersion, error) {
	var out []StoreVersion
	err := db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(metaBucket)
		if meta == nil {
			return nil
		}
		return meta.ForEach(func(k, v []byte) error {
			if name, ok := strings.CutSuffix(string(k), versionSuffix); ok && len(v) == 8 {
				out = append(out, StoreVersion{Name: name, Version: decode(v)})
			}
			return nil
		})
	})
	return out, err
}

// Stored is the schema version tx's database records for the store (0:
// never opened).
func (s Schema) Stored(tx *bbolt.Tx) uint64 {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		return 0
	}
	return decode(meta.Get(s.key()))
}

// SetVersion records v as the store's schema version without migrating:
// for tests that turn a store into one of an older schema.
func (s Schema) SetVersion(tx *bbolt.Tx, v uint64) error {
	meta, err := tx.CreateBucketIfNotExists(metaBucket)
	if err != nil {
		return err
	}
	return meta.Put(s.key(), binary.BigEndian.AppendUint64(nil, v))
}
