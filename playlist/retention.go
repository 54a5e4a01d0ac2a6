package playlist

import (
	"bytes"

	"go.etcd.io/bbolt"

	"loa/playlist/library"
)

// retentionBatch bounds the deletions of one transaction.
const retentionBatch = 1000

// DeleteVersionsBefore removes, for every station's day before d, every
// version but the latest. The latest is the day's plan, which reports
// reconcile what aired against, so it stays; the earlier versions are
// rebuilds that were superseded. Deletions go in bounded transactions, so
// the planner is never held up long. It returns how many versions went.
// The plan summaries (PlannedBetween) describe the latest versions only,
// so they all stay with them.
func (st *Store) DeleteVersionsBefore(d library.Date) (int, error) {
	return st.deleteVersionsBefore(d, retentionBatch)
}

func (st *Store) deleteVersionsBefore(d library.Date, batch int) (int, error) {
	total := 0
	var from []byte
	for {
		n, next, err := st.deleteSuperseded(from, d, batch)
		total += n
		if err != nil || next == nil {
			return total, err
		}
		from = next
	}
}

// deleteSuperseded deletes up to batch superseded versions of days before
// d, scanning from key from; next is where the scan stops (nil at the end).
func (st *Store) deleteSuperseded(from []byte, d library.Date, batch int) (n int, next []byte, err error) {
	err = st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketVersions)
		var doomed [][]byte
		var prev []byte
		c := b.Cursor()
		k, _ := c.First()
		if from != nil {
			k, _ = c.Seek(from)
		}
		for ; k != nil; k, _ = c.Next() {
			if day := dayOf(prev); day != "" && sameDay(prev, k) && day < d {
				doomed = append(doomed, prev) // a later version of its day follows
			}
			if len(doomed) >= batch {
				next = bytes.Clone(k)
				break
			}
			prev = bytes.Clone(k)
		}
		for _, k := range doomed {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(doomed)
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return n, next, nil
}

// A version key is station 0 date 0 version (8 bytes).
func sameDay(a, b []byte) bool {
	return len(a) > 9 && len(b) > 9 && bytes.Equal(a[:len(a)-8], b[:len(b)-8])
}

// dayOf is "" for a key that is not a version key.
func dayOf(k []byte) library.Date {
	i := bytes.IndexByte(k, 0)
	if i < 0 || len(k) < i+10 {
		return ""
	}
	return library.Date(k[i+1 : len(k)-9])
}
