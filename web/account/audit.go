package account

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"time"

	"go.etcd.io/bbolt"
)

// An AuditEntry records one change a person made: who, what, when, and the
// record before and after (JSON, absent for creations and deletions).
type AuditEntry struct {
	At     time.Time       `json:"at"`
	User   string          `json:"user"`
	Action string          `json:"action"` // e.g. "segment.approve", "station.create"
	Target string          `json:"target"` // e.g. "segment/12", "station/tdp-05"
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// Record appends e to the audit log.
func (st *Store) Record(e AuditEntry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(AuditKey(e.At), seq), data)
	})
}

// AuditKey is where the entries of instant t start: Audit(AuditKey(t), …)
// walks the entries before t.
func AuditKey(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano()))
}

// Audit walks the audit log newest first from just before start (a key
// from AuditKey or an earlier walk; nil: from the newest entry), calling
// fn with each entry until it returns false. It returns the key that
// continues the walk with the entry fn refused, for a later call's start
// (nil when fn refused none).
func (st *Store) Audit(start []byte, fn func(AuditEntry) bool) (resume []byte, err error) {
	err = st.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		k, v := c.Last()
		if start != nil {
			if k, v = c.Seek(start); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for ; k != nil; k, v = c.Prev() {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if !fn(e) {
				next, _ := c.Next() // the start excludes its own key
				resume = bytes.Clone(next)
				return nil
			}
		}
		return nil
	})
	return resume, err
}
