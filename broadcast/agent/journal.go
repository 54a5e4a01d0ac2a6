package agent

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/protocol"
)

// journalEntry is one proof-of-play event in the journal. Open entries are
// items on air: if the agent dies, they become interrupted events at the
// next start (Recover), with what was played up to the last checkpoint.
type journalEntry struct {
	Event protocol.AiredEvent `json:"event"`
	Open  bool                `json:"open,omitempty"`
}

func eventDate(e protocol.AiredEvent) string {
	return time.UnixMilli(e.PlannedMs).UTC().Format(time.DateOnly)
}

func (s *Store) putEntry(tx *bbolt.Tx, je journalEntry) error {
	b, err := json.Marshal(je)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketJournal).Put([]byte(je.Event.ID), b); err != nil {
		return err
	}
	return tx.Bucket(bucketHandled).Put([]byte(je.Event.ID), []byte(eventDate(je.Event)))
}

// Begin journals an item going on air (an open entry), durably, before its
// first sample plays.
func (s *Store) Begin(e protocol.AiredEvent) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return s.putEntry(tx, journalEntry{Event: e, Open: true}) })
}

// Checkpoint updates an open entry's played time.
func (s *Store) Checkpoint(id string, playedMs int64) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		var je journalEntry
		v := tx.Bucket(bucketJournal).Get([]byte(id))
		if v == nil || json.Unmarshal(v, &je) != nil || !je.Open {
			return nil
		}
		je.Event.PlayedMs = playedMs
		return s.putEntry(tx, je)
	})
}

// Record journals final events durably (closing their open entries).
func (s *Store) Record(events ...protocol.AiredEvent) error {
	if len(events) == 0 {
		return nil
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		for _, e := range events {
			if err := s.putEntry(tx, journalEntry{Event: e}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("journal %d events: %w", len(events), err)
	}
	return nil
}

// Handled reports whether an event was already decided (played, missed…),
// whether or not the server has acked it.
func (s *Store) Handled(id string) bool {
	var ok bool
	s.db.View(func(tx *bbolt.Tx) error {
		ok = tx.Bucket(bucketHandled).Get([]byte(id)) != nil
		return nil
	})
	return ok
}

// Recover closes the open entries a killed agent left: each becomes an
// interrupted event ended at its last checkpoint.
func (s *Store) Recover(reason string) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var open []journalEntry
		tx.Bucket(bucketJournal).ForEach(func(_, v []byte) error {
			var je journalEntry
			if json.Unmarshal(v, &je) == nil && je.Open {
				open = append(open, je)
			}
			return nil
		})
		for _, je := range open {
			e := je.Event
			e.Outcome, e.Reason = protocol.OutcomeInterrupted, reason
			if e.StartedMs != 0 {
				e.EndedMs = e.StartedMs + e.PlayedMs
			}
			if err := s.putEntry(tx, journalEntry{Event: e}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// Pending returns up to max closed events not yet acked, oldest id first.
func (s *Store) Pending(max int) ([]protocol.AiredEvent, error) {
	var out []protocol.AiredEvent
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketJournal).Cursor()
		for k, v := c.First(); k != nil && len(out) < max; k, v = c.Next() {
			var je journalEntry
			if err := json.Unmarshal(v, &je); err != nil {
				return fmt.Errorf("journal entry %s: %w", k, err)
			}
			if !je.Open {
				out = append(out, je.Event)
			}
		}
		return nil
	})
	return out, err
}

// Acked deletes events the server has stored durably.
func (s *Store) Acked(ids []string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketJournal)
		for _, id := range ids {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// JournalLen counts the events waiting for an ack (open ones included).
func (s *Store) JournalLen() int {
	n := 0
	s.db.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bucketJournal).Stats().KeyN
		return nil
	})
	return n
}

// Forget removes an open entry for an item that never started (the agent
// stopped just before it), so the next start decides about it afresh.
func (s *Store) Forget(id string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketJournal).Delete([]byte(id)); err != nil {
			return err
		}
		return tx.Bucket(bucketHandled).Delete([]byte(id))
	})
}
