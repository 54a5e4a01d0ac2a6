package ledger

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// The station index: one key per station and planned instant that has
// events, station first. The events are ordered by planned start, then
// station, so a day of some stations would otherwise mean decoding the
// whole ward's day; through the index a read seeks each station's range
// and decodes only its events (the aired log of a group of 50 of 300
// stations reads a sixth of the day).
var (
	bucketByStation = []byte("ledger.by_station")          // station 0 planned u64 → empty
	keyIndexResume  = []byte("ledger.by_station_backfill") // in meta while the back-fill runs: the event key it resumes at
)

// backfillChunk is how many events one transaction of the back-fill
// indexes: it bounds the memory and the write lock of the migration of a
// large ledger (10M events take 50 transactions).
const backfillChunk = 200_000

// addStationIndex is migration 3: the index's bucket, and the mark that
// makes Open index the events already stored (from the first key).
func addStationIndex(tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketByStation); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyIndexResume, make([]byte, 8))
}

// stationKey is the index key of a station's events planned at ms.
func stationKey(station string, ms int64) []byte {
	k := make([]byte, 0, len(station)+9)
	k = append(append(k, station...), 0)
	return binary.BigEndian.AppendUint64(k, uint64(ms))
}

// indexEvents adds the index keys of events (freshly stored, in the
// transaction storing them), in key order.
func indexEvents(tx *bbolt.Tx, events []*Event) error {
	keys := make([][]byte, len(events))
	for i, e := range events {
		keys[i] = stationKey(e.StationID, e.Planned.UnixMilli())
	}
	return putIndexKeys(tx.Bucket(bucketByStation), keys)
}

func putIndexKeys(b *bbolt.Bucket, keys [][]byte) error {
	slices.SortFunc(keys, bytes.Compare)
	keys = slices.CompactFunc(keys, bytes.Equal)
	for _, k := range keys {
		if err := b.Put(k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}

// eventStationKey is the index key of the event stored under event key k.
func eventStationKey(k []byte) ([]byte, error) {
	sep := bytes.IndexByte(k[min(8, len(k)):], 0)
	if len(k) < minKeyLen || sep < 0 {
		return nil, fmt.Errorf("event key %x: %w", k, errCorrupt)
	}
	return stationKey(string(k[8:8+sep]), int64(binary.BigEndian.Uint64(k))), nil
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
	keys := make([][]byte, 0, chunk)
	c := tx.Bucket(bucketEvents).Cursor()
	k, _ := c.Seek(from)
	for ; k != nil && len(keys) < chunk; k, _ = c.Next() {
		sk, err := eventStationKey(k)
		if err != nil {
			return nil, err
		}
		keys = append(keys, sk)
	}
	var next []byte
	if k != nil {
		next = bytes.Clone(k)
	}
	return next, putIndexKeys(tx.Bucket(bucketByStation), keys)
}

// deleteIndexKeys removes the index keys of the events under keys (event
// keys), as their events are deleted.
func deleteIndexKeys(tx *bbolt.Tx, keys [][]byte) error {
	b := tx.Bucket(bucketByStation)
	for _, k := range keys {
		sk, err := eventStationKey(k)
		if err != nil {
			return err
		}
		if err := b.Delete(sk); err != nil {
			return err
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
		idx := tx.Bucket(bucketByStation).Cursor()
		events := tx.Bucket(bucketEvents).Cursor()
		for _, st := range stations {
			if seen[st] {
				continue
			}
			seen[st] = true
			if err := stationBetween(idx, events, st, from, to, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

// stationBetween is StationsBetween for one station: each index key names
// a planned instant, whose events of the station are one run of the
// events' keys.
func stationBetween(idx, events *bbolt.Cursor, station string, from, to time.Time, fn func(Event) error) error {
	hi := stationKey(station, to.UnixMilli())
	prefix := make([]byte, 0, 9+len(station))
	for k, _ := idx.Seek(stationKey(station, from.UnixMilli())); k != nil && bytes.Compare(k, hi) < 0; k, _ = idx.Next() {
		prefix = append(append(append(prefix[:0], k[len(k)-8:]...), station...), 0)
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
