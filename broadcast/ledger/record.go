package ledger

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Result counts what one Record call did.
type Result struct {
	Stored     int // new events
	Duplicates int // events already in the ledger (or twice in the call)
}

type request struct {
	events []Event
	res    Result
	err    error
	done   chan struct{}
	lead   bool // set before done is closed: this caller commits next
}

// Record stores events once each and returns after they are durable.
// Concurrent callers are grouped into one transaction (one fsync): the first
// caller commits for everyone waiting, then hands the next group to one of
// the callers that queued meanwhile, so no caller commits forever.
func (s *Store) Record(events []Event) (Result, error) {
	req := &request{events: events, done: make(chan struct{})}
	s.mu.Lock()
	s.pending = append(s.pending, req)
	if s.committing {
		s.mu.Unlock()
		<-req.done
		if !req.lead {
			return req.res, req.err
		}
		s.mu.Lock()
	}
	s.committing = true
	group := s.pending
	s.pending = nil
	s.mu.Unlock()

	s.commit(group)

	s.mu.Lock()
	if len(s.pending) > 0 {
		next := s.pending[0]
		next.lead = true
		close(next.done)
	} else {
		s.committing = false
	}
	s.mu.Unlock()
	return req.res, req.err
}

// commit writes a group in one transaction and wakes its callers. A failed
// transaction fails every caller of the group: none of it was stored.
func (s *Store) commit(group []*request) {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEvents)
		b.FillPercent = 1.0 // keys are nearly always appended
		var fresh []*Event
		for _, p := range sortedPuts(group) {
			stored, err := put(b, p.key, p.event)
			if err != nil {
				return err
			}
			if stored {
				p.req.res.Stored++
				fresh = append(fresh, p.event)
			} else {
				p.req.res.Duplicates++
			}
		}
		if err := indexEvents(tx, fresh); err != nil {
			return err
		}
		return s.rollup(tx, fresh) // same transaction: rollups never disagree with events
	})
	if err != nil {
		s.snapIDs = nil // may hold ids given in the failed transaction
	}
	for _, req := range group {
		if err != nil {
			req.res, req.err = Result{}, fmt.Errorf("record aired events: %w", err)
		}
		if !req.lead {
			close(req.done)
		}
	}
}

// pendingPut is one event of a group, with its key.
type pendingPut struct {
	key   []byte
	event *Event
	req   *request
}

// sortedPuts lists a group's events in key order. Callers' batches overlap
// in time, and bbolt inserts into a node's in-memory slice: in key order
// every insert is an append, out of order each one shifts the tens of
// thousands of entries a group adds (that shifting was a third of the
// ingest CPU). The sort is stable, so of two equal events the first caller's
// is stored and the second counts as the duplicate.
func sortedPuts(group []*request) []pendingPut {
	var puts []pendingPut
	for _, req := range group {
		req.res = Result{}
		for i := range req.events {
			puts = append(puts, pendingPut{key(&req.events[i]), &req.events[i], req})
		}
	}
	slices.SortStableFunc(puts, func(a, b pendingPut) int { return bytes.Compare(a.key, b.key) })
	return puts
}

// put stores e under k unless an event with the same planned start, station
// and id is there.
func put(b *bbolt.Bucket, k []byte, e *Event) (bool, error) {
	if b.Get(k) != nil {
		return false, nil
	}
	return true, b.Put(k, encode(e))
}

// Between calls fn for every event planned in [from, to), in planned order.
func (s *Store) Between(from, to time.Time, fn func(Event) error) error {
	lo := key(&Event{Planned: from})[:8]
	hi := key(&Event{Planned: to})[:8]
	return s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(lo); k != nil && bytes.Compare(k[:8], hi) < 0; k, v = c.Next() {
			e, err := decode(k, v)
			if err != nil {
				return fmt.Errorf("read ledger at %x: %w", k, err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// Count returns how many events the ledger holds.
func (s *Store) Count() (int, error) {
	var n int
	err := s.db.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bucketEvents).Stats().KeyN
		return nil
	})
	return n, err
}

// Size describes the ledger's footprint on disk.
type Size struct {
	Events     int   // stored events
	PageBytes  int64 // bytes of the B+tree pages holding them
	InuseBytes int64 // bytes of those pages actually used
}

// Size measures the ledger's B+tree.
func (s *Store) Size() (Size, error) {
	var out Size
	err := s.db.View(func(tx *bbolt.Tx) error {
		st := tx.Bucket(bucketEvents).Stats()
		page := int64(tx.DB().Info().PageSize)
		out = Size{
			Events:     st.KeyN,
			PageBytes:  int64(st.LeafPageN+st.BranchPageN+st.LeafOverflowN+st.BranchOverflowN) * page,
			InuseBytes: int64(st.LeafInuse + st.BranchInuse),
		}
		return nil
	})
	return out, err
}
