package ledger

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// The station index: for each station, a bucket of the planned instants
// at which it has events. The events are ordered by planned start, then
// station, so a day of some stations would otherwise mean decoding the
// whole ward's day; through the index a read seeks each station's
// instants and decodes only its events (the aired log of a group of 50 of
// 300 stations reads a sixth of the day). A bucket per station keeps its
// keys appended (8 bytes each, pages filled): one tree keyed by station
// then instant took 66 bytes of pages an event, half-filled by inserts in
// the middle of every station's range.
var (
	bucketStationIndex = []byte("ledger.station_index")       // station → bucket: planned u64 → empty
	keyIndexResume     = []byte("ledger.by_station_backfill") // in meta while the back-fill runs: the event key it resumes at
	bucketByStationV3  = []byte("ledger.by_station")          // schema 3's index (station 0 planned u64), replaced by 4
)

// backfillChunk is how many events one transaction of the back-fill
// indexes: it bounds the memory and the write lock of the migration of a
// large ledger (10M events take 50 transactions).
const backfillChunk = 200_000

// addStationIndex is migration 3: the first form of the index, which
// migration 4 replaces.
func addStationIndex(tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketByStationV3); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyIndexResume, make([]byte, 8))
}

// stationIndexBuckets is migration 4: the index as a bucket per station
// (schema 3's single tree dropped), and the mark that makes Open index
// the events already stored, from the first.
func stationIndexBuckets(tx *bbolt.Tx) error {
	if err := tx.DeleteBucket(bucketByStationV3); err != nil && err != bbolt.ErrBucketNotFound {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketStationIndex); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyIndexResume, make([]byte, 8))
}

// An indexKey is one station's events at one planned instant.
type indexKey struct {
	station string
	ms      int64
}

// stationBucket is the name of a station's index bucket (a name may not
// be empty: no station id has a 0 byte).
func stationBucket(station string) []byte {
	if station == "" {
		return []byte{0}
	}
	return []byte(station)
}

func instantKey(ms int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(ms)) }

// indexEvents adds the index keys of events (freshly stored, in the
// transaction storing them).
func indexEvents(tx *bbolt.Tx, events []*Event) error {
	keys := make([]indexKey, len(events))
	for i, e := range events {
		keys[i] = indexKey{e.StationID, e.Planned.UnixMilli()}
	}
	return putIndexKeys(tx, keys)
}

// putIndexKeys adds keys station by station, each station's in order:
// appends, mostly, to the end of its bucket.
func putIndexKeys(tx *bbolt.Tx, keys []indexKey) error {
	slices.SortFunc(keys, func(a, b indexKey) int { return cmp.Or(strings.Compare(a.station, b.station), cmp.Compare(a.ms, b.ms)) })
	root := tx.Bucket(bucketStationIndex)
	var b *bbolt.Bucket
	for i, k := range keys {
		if i == 0 || k.station != keys[i-1].station {
			var err error
			if b, err = root.CreateBucketIfNotExists(stationBucket(k.station)); err != nil {
				return err
			}
			b.FillPercent = 1.0 // keys are nearly always appended
		}
		if err := b.Put(instantKey(k.ms), []byte{}); err != nil {
			return err
		}
	}
	return nil
}

// eventIndexKey is the index key of the event stored under event key k.
func eventIndexKey(k []byte) (indexKey, error) {
	sep := bytes.IndexByte(k[min(8, len(k)):], 0)
	if len(k) < minKeyLen || sep < 0 {
		return indexKey{}, fmt.Errorf("event key %x: %w", k, errCorrupt)
	}
	return indexKey{string(k[8 : 8+sep]), int64(binary.BigEndian.Uint64(k))}, nil
}

// backfillStationIndex indexes the events stored before the index
// existed, backfillChunk events a transaction, each recording where the
// next one resumes: a crash leaves whole chunks, and the next Open goes
// on from there. The mark goes with the last chunk.
func (s *Store) backfillStationIndex() error {
	for {
		done := false
		err := s.db.Update(func(tx *bbolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			from := meta.Get(keyIndexResume)
			if from == nil {
				done = true
				return nil
			}
			next, err := backfillFrom(tx, from, backfillChunk)
			switch {
			case err != nil:
				return err
			case next != nil:
				return meta.Put(keyIndexResume, next)
			}
			done = true
			return meta.Delete(keyIndexResume)
		})
		if err != nil {
			return fmt.Errorf("index the ledger by station: %w", err)
		}
		if done {
			return nil
		}
	}
}

// backfillFrom indexes up to chunk events from event key from on and
// returns the key to resume at (nil: none left).
func backfillFrom(tx *bbolt.Tx, from []byte, chunk int) ([]byte, error) {
	keys := make([]indexKey, 0, chunk)
	c := tx.Bucket(bucketEvents).Cursor()
	k, _ := c.Seek(from)
	for ; k != nil && len(keys) < chunk; k, _ = c.Next() {
		ik, err := eventIndexKey(k)
		if err != nil {
			return nil, err
		}
		keys = append(keys, ik)
	}
	var next []byte
	if k != nil {
		next = bytes.Clone(k)
	}
	return next, putIndexKeys(tx, keys)
}

// deleteIndexKeys removes the index keys of the events under keys (event
// keys), as their events are deleted.
func deleteIndexKeys(tx *bbolt.Tx, keys [][]byte) error {
	root := tx.Bucket(bucketStationIndex)
	for _, k := range keys {
		ik, err := eventIndexKey(k)
		if err != nil {
			return err
		}
		if b := root.Bucket(stationBucket(ik.station)); b != nil {
			if err := b.Delete(instantKey(ik.ms)); err != nil {
				return err
			}
		}
	}
	return nil
}

// StationsBetween calls fn for every event of stations planned in
// [from, to): station by station in the order given (a station named
// twice is read once), each station's in planned order. It decodes only
// those stations' events, through the station index.
func (s *Store) StationsBetween(from, to time.Time, stations []string, fn func(Event) error) error {
	seen := make(map[string]bool, len(stations))
	return s.db.View(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketStationIndex)
		events := tx.Bucket(bucketEvents).Cursor()
		for _, st := range stations {
			b := root.Bucket(stationBucket(st))
			if seen[st] || b == nil {
				continue
			}
			seen[st] = true
			if err := stationBetween(b.Cursor(), events, st, from, to, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

// stationBetween is StationsBetween for one station: each of its instants
// is one run of the events' keys.
func stationBetween(idx, events *bbolt.Cursor, station string, from, to time.Time, fn func(Event) error) error {
	hi := instantKey(to.UnixMilli())
	prefix := make([]byte, 0, 9+len(station))
	for k, _ := idx.Seek(instantKey(from.UnixMilli())); k != nil && bytes.Compare(k, hi) < 0; k, _ = idx.Next() {
		prefix = append(append(append(prefix[:0], k...), station...), 0)
		for ek, v := events.Seek(prefix); ek != nil && bytes.HasPrefix(ek, prefix); ek, v = events.Next() {
			e, err := decode(ek, v)
			if err != nil {
				return fmt.Errorf("read ledger at %x: %w", ek, err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
	}
	return nil
}
