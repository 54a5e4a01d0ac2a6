package ledger

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/ward"
)

// Rollups: one Tally per local day × station × snapshot, written in the
// same transaction as the events they count, so that a report over a
// quarter reads about a tenth of the records a raw scan would. Snapshots
// (what aired: segment, title, topic, level, groups) are interned as small
// ids. Failed and missed events are also kept on their own (a copy: a few
// percent of the events), so that their list needs no scan either.
var (
	bucketRollups   = []byte("ledger.rollups")       // day u32 | station 0 | snapshot u32 → tally
	bucketSnapshots = []byte("ledger.snapshots")     // snapshot content → id u32
	bucketSnapIDs   = []byte("ledger.snapshot_ids")  // id u32 → snapshot content
	bucketProblems  = []byte("ledger.problems")      // event key → the event again: failed and missed events
	keyRollupConfig = []byte("ledger.rollup_config") // zone name 0 margin ms: what the rollups were cut with
)

// An Option configures the rollups at Open.
type Option func(*rollupConfig)

type rollupConfig struct {
	zone   *time.Location
	margin time.Duration
}

// WithZone cuts rollup days in loc (default the ward's, ward.Zone).
func WithZone(loc *time.Location) Option { return func(c *rollupConfig) { c.zone = loc } }

// WithLateMargin sets the margin the rollups count late starts with.
func WithLateMargin(d time.Duration) Option { return func(c *rollupConfig) { c.margin = d } }

func (c rollupConfig) encode() []byte {
	return binary.AppendUvarint(append([]byte(c.zone.String()), 0), uint64(c.margin.Milliseconds()))
}

// Zone is the zone rollup days are cut in.
func (s *Store) Zone() *time.Location { return s.cfg.zone }

// LateMargin is the margin rollups count late starts with.
func (s *Store) LateMargin() time.Duration { return s.cfg.margin }

// A Snapshot is what aired, as rollups group it.
type Snapshot struct {
	SegmentID string
	Title     string
	Topic     string
	Level     string
	Kind      string // as Event.Kind: empty for audio
	Emergency bool
	Groups    []string
}

func appendSnapshot(b []byte, e *Event) []byte {
	for _, s := range []string{e.SegmentID, e.Title, e.Topic, e.Level} {
		b = appendString(b, s)
	}
	em := byte(0)
	if e.Emergency() {
		em = 1
	}
	b = append(b, em)
	b = binary.AppendUvarint(b, uint64(len(e.Groups)))
	for _, g := range e.Groups {
		b = appendString(b, g)
	}
	// Like the event's, the kind byte exists only for relays and live
	// broadcasts: audio snapshots stay those stored before kinds existed.
	if k := enum(kinds, e.Kind); k != 0 {
		b = append(b, k)
	}
	return b
}

func decodeSnapshot(v []byte) (Snapshot, error) {
	var s Snapshot
	r := &reader{b: v}
	for _, p := range []*string{&s.SegmentID, &s.Title, &s.Topic, &s.Level} {
		*p = r.string()
	}
	if r.err != nil || len(r.b) == 0 {
		return s, errCorrupt
	}
	s.Emergency, r.b = r.b[0] == 1, r.b[1:]
	if n := r.uvarint(); n > 0 && n <= 64 {
		s.Groups = make([]string, n)
		for i := range s.Groups {
			s.Groups[i] = r.string()
		}
	}
	if r.err == nil && len(r.b) > 0 {
		s.Kind = unenum(kinds, r.b[0])
	}
	return s, r.err
}

// epochDay is the number of t's calendar day in loc since 1970-01-01.
func epochDay(t time.Time, loc *time.Location) uint32 {
	return uint32(ward.DayOf(t, loc).Number())
}

const tallyV1 = 1

func appendTally(b []byte, t *Tally) []byte {
	b = append(b, tallyV1)
	for _, c := range t.Count {
		b = binary.AppendUvarint(b, uint64(c))
	}
	b = binary.AppendUvarint(b, uint64(t.Planned))
	b = binary.AppendUvarint(b, uint64(t.Airtime.Milliseconds()))
	return binary.AppendUvarint(b, uint64(t.Scheduled.Milliseconds()))
}

func decodeTally(v []byte, t *Tally) error {
	if len(v) == 0 || v[0] != tallyV1 {
		return errCorrupt
	}
	r := &reader{b: v[1:]}
	for i := range t.Count {
		t.Count[i] = int(r.uvarint())
	}
	t.Planned = int(r.uvarint())
	t.Airtime = time.Duration(r.uvarint()) * time.Millisecond
	t.Scheduled = time.Duration(r.uvarint()) * time.Millisecond
	return r.err
}

// cellKey identifies a rollup cell before its snapshot has an id.
type cellKey struct {
	day      uint32
	station  string
	snapshot uint32
}

// rollup adds freshly stored events to the rollups and the problem index.
// It runs inside the transaction that stores them.
func (s *Store) rollup(tx *bbolt.Tx, events []*Event) error {
	if len(events) == 0 {
		return nil
	}
	if s.snapIDs == nil {
		s.snapIDs = make(map[string]uint32)
	}
	cells := make(map[cellKey]*Tally)
	problems := tx.Bucket(bucketProblems)
	var buf []byte
	for _, e := range events {
		st := Classify(e, s.cfg.margin)
		if e.Unplanned != "" { // listed with the problems, counted nowhere
			if err := problems.Put(key(e), encode(e)); err != nil {
				return err
			}
			continue
		}
		if st == StatusFailed || st == StatusMissed {
			if err := problems.Put(key(e), encode(e)); err != nil {
				return err
			}
		}
		buf = appendSnapshot(buf[:0], e)
		id, ok := s.snapIDs[string(buf)]
		if !ok {
			var err error
			if id, err = snapshotID(tx, buf); err != nil {
				return err
			}
			s.snapIDs[string(buf)] = id
		}
		k := cellKey{epochDay(e.Planned, s.cfg.zone), e.StationID, id}
		t := cells[k]
		if t == nil {
			t = new(Tally)
			cells[k] = t
		}
		t.Add(e, st)
	}
	return writeCells(tx, cells)
}

// writeCells merges cells into the stored rollups, in key order (cheaper
// for the B+tree than map order).
func writeCells(tx *bbolt.Tx, cells map[cellKey]*Tally) error {
	b := tx.Bucket(bucketRollups)
	keys := make([][]byte, 0, len(cells))
	tallies := make(map[string]*Tally, len(cells))
	for k, t := range cells {
		ck := binary.BigEndian.AppendUint32(make([]byte, 0, 9+len(k.station)), k.day)
		ck = append(append(ck, k.station...), 0)
		ck = binary.BigEndian.AppendUint32(ck, k.snapshot)
		keys = append(keys, ck)
		tallies[string(ck)] = t
	}
	slices.SortFunc(keys, bytes.Compare)
	for _, ck := range keys {
		t := tallies[string(ck)]
		if old := b.Get(ck); old != nil {
			var o Tally
			if err := decodeTally(old, &o); err != nil {
				return fmt.Errorf("rollup %x: %w", ck, err)
			}
			t.Merge(&o)
		}
		if err := b.Put(ck, appendTally(nil, t)); err != nil {
			return err
		}
	}
	return nil
}

// snapshotID returns the id of a snapshot, giving it one if it is new.
// Ids are cached in Store.snapIDs; commit forgets the cache when its
// transaction fails, since ids given in it were never stored.
func snapshotID(tx *bbolt.Tx, content []byte) (uint32, error) {
	b := tx.Bucket(bucketSnapshots)
	if v := b.Get(content); len(v) == 4 {
		return binary.BigEndian.Uint32(v), nil
	}
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	content = bytes.Clone(content) // bbolt keeps the slices until the commit
	id := binary.BigEndian.AppendUint32(nil, uint32(seq))
	if err := b.Put(content, id); err != nil {
		return 0, err
	}
	return uint32(seq), tx.Bucket(bucketSnapIDs).Put(id, content)
}

// rebuildRollups recounts every rollup from the events, when the zone or
// the margin changed (or the rollups are new).
func (s *Store) rebuildRollups(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketRollups, bucketProblems} {
		if err := tx.DeleteBucket(name); err != nil && err != bbolt.ErrBucketNotFound {
			return err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	const chunk = 50_000 // bounds the memory of a rebuild over a large ledger
	events := make([]*Event, 0, chunk)
	c := tx.Bucket(bucketEvents).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		e, err := decode(k, v)
		if err != nil {
			return fmt.Errorf("read ledger at %x: %w", k, err)
		}
		if events = append(events, &e); len(events) == chunk {
			if err := s.rollup(tx, events); err != nil {
				return err
			}
			events = events[:0]
		}
	}
	if err := s.rollup(tx, events); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyRollupConfig, s.cfg.encode())
}

// A Cell is one station's tally of one snapshot on one day of the zone
// the rollups are cut in (Store.Zone).
type Cell struct {
	Day        ward.Day
	Station    string
	SnapshotID uint32
	Snapshot   *Snapshot // shared between cells: do not modify
	Tally
}

// Rollups calls fn for every cell of the days first to last (both
// included, as days of Store.Zone), by day then station. fn must not keep
// c: it is reused.
func (s *Store) Rollups(first, last ward.Day, fn func(c *Cell) error) error {
	if !first.Valid() || !last.Valid() {
		return fmt.Errorf("rollups %q..%q: %w", first, last, ErrBadDay)
	}
	lo := binary.BigEndian.AppendUint32(nil, uint32(first.Number()))
	hi := binary.BigEndian.AppendUint32(nil, uint32(last.Number()+1))
	return s.db.View(func(tx *bbolt.Tx) error {
		var snaps []*Snapshot // by id: ids are a dense sequence
		ids := tx.Bucket(bucketSnapIDs)
		var c Cell
		var day uint32
		cur := tx.Bucket(bucketRollups).Cursor()
		for k, v := cur.Seek(lo); k != nil && bytes.Compare(k[:4], hi) < 0; k, v = cur.Next() {
			if len(k) < 9 || k[len(k)-5] != 0 {
				return fmt.Errorf("rollup key %x: %w", k, errCorrupt)
			}
			if d := binary.BigEndian.Uint32(k); d != day || c.Day == "" {
				day, c.Day = d, ward.DayNumber(int64(d))
			}
			if st := k[4 : len(k)-5]; string(st) != c.Station {
				c.Station = string(st)
			}
			c.SnapshotID = binary.BigEndian.Uint32(k[len(k)-4:])
			if int(c.SnapshotID) >= len(snaps) {
				snaps = append(snaps, make([]*Snapshot, int(c.SnapshotID)+1-len(snaps))...)
			}
			if snaps[c.SnapshotID] == nil {
				snap, err := readSnapshot(ids, c.SnapshotID)
				if err != nil {
					return err
				}
				snaps[c.SnapshotID] = snap
			}
			c.Snapshot = snaps[c.SnapshotID]
			if err := decodeTally(v, &c.Tally); err != nil {
				return fmt.Errorf("rollup %x: %w", k, err)
			}
			if err := fn(&c); err != nil {
				return err
			}
		}
		return nil
	})
}

func readSnapshot(b *bbolt.Bucket, id uint32) (*Snapshot, error) {
	v := b.Get(binary.BigEndian.AppendUint32(nil, id))
	if v == nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, errCorrupt)
	}
	s, err := decodeSnapshot(v)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, err)
	}
	return &s, nil
}

// Problems calls fn for every failed or missed event planned in [from, to),
// and every unplanned one (Event.Unplanned), in planned order, without
// scanning the others.
func (s *Store) Problems(from, to time.Time, fn func(Event) error) error {
	lo := key(&Event{Planned: from})[:8]
	hi := key(&Event{Planned: to})[:8]
	return s.db.View(func(tx *bbolt.Tx) error {
		events := tx.Bucket(bucketEvents)
		c := tx.Bucket(bucketProblems).Cursor()
		for k, v := c.Seek(lo); k != nil && bytes.Compare(k[:8], hi) < 0; k, v = c.Next() {
			if len(v) == 0 { // indexed before copies were kept
				if v = events.Get(k); v == nil {
					return fmt.Errorf("problem index at %x: %w", k, errCorrupt)
				}
			}
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
