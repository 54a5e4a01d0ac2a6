package ledger

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/ward"
)

// DeleteBefore removes every event planned before day (before its start
// in the ledger's zone: a report never sees a day cut in two), with its
// rollups and its copy in the problem list. It works one local day per
// transaction, oldest first, so that a large ledger never holds the write
// lock for long and a crash leaves whole days. Snapshots stay (a few bytes
// each, shared with younger days). It returns how many events it removed.
func (s *Store) DeleteBefore(day ward.Day) (int, error) {
	if !day.Valid() {
		return 0, fmt.Errorf("delete before %q: %w", day, ErrBadDay)
	}
	end := day.Start(s.cfg.zone)
	total := 0
	for {
		n, more, err := s.deleteOldestDay(end)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

// deleteOldestDay removes the oldest local day before end that still has
// events (and every rollup cell up to it); more is false when none is left.
func (s *Store) deleteOldestDay(end time.Time) (n int, more bool, err error) {
	err = s.db.Update(func(tx *bbolt.Tx) error {
		dayEnd := end
		if k, _ := tx.Bucket(bucketEvents).Cursor().First(); k != nil {
			first := time.UnixMilli(int64(binary.BigEndian.Uint64(k[:8]))).In(s.cfg.zone)
			y, m, d := first.Date()
			if next := time.Date(y, m, d+1, 0, 0, 0, 0, s.cfg.zone); next.Before(end) {
				dayEnd, more = next, true
			}
		}
		hi := key(&Event{Planned: dayEnd})[:8]
		var err error
		if n, err = deleteEventsBefore(tx, hi); err != nil {
			return err
		}
		if _, err = deleteKeysBefore(tx.Bucket(bucketProblems), hi); err != nil {
			return err
		}
		_, err = deleteKeysBefore(tx.Bucket(bucketRollups), binary.BigEndian.AppendUint32(nil, epochDay(dayEnd, s.cfg.zone)))
		return err
	})
	return n, more && err == nil && n > 0, err
}

// deleteEventsBefore deletes every event whose key sorts before hi, and
// its key in the station index.
func deleteEventsBefore(tx *bbolt.Tx, hi []byte) (int, error) {
	keys, err := deleteKeysBefore(tx.Bucket(bucketEvents), hi)
	if err != nil {
		return 0, err
	}
	return len(keys), deleteIndexKeys(tx, keys)
}

// deleteKeysBefore deletes every key of b that sorts before hi and returns
// them. Keys are collected first: deleting under a moving cursor skips
// entries.
func deleteKeysBefore(b *bbolt.Bucket, hi []byte) ([][]byte, error) {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k, hi) < 0; k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
