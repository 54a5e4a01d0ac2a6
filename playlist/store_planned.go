package playlist

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"loa/playlist/library"
)

// bucketPlanned holds, for every station's day, a compact summary of its
// latest version: station 0x00 date → plannedFormat encoding (see
// appendPlanned). Reports read a quarter of plans from it without decoding
// a single full playlist.
//
// bucketPlannedCounts holds each summary's item count alone (station 0x00
// date → uvarint): a report of the whole ward counts planned items per
// station, and reads these few pages rather than every summary's, which
// matters when the file is not in the page cache.
var (
	bucketPlanned       = []byte("playlist.planned")
	bucketPlannedCounts = []byte("playlist.planned_counts")
)

// plannedFormat is the first byte of every summary, so a later encoding can
// be told apart from this one.
const plannedFormat = 1

// errBadSummary means a stored summary could not be read.
var errBadSummary = errors.New("malformed plan summary")

// A PlannedDay is what a station was told to play on a local day: the
// latest version's items, reduced to what reports reconcile against.
type PlannedDay struct {
	Station string
	Date    library.Date
	Version uint64
	Items   []PlannedItem
}

// A PlannedItem is one item of a PlannedDay, as the playlist lists it.
type PlannedItem struct {
	ID         string // what agents report as item_id
	SegmentID  uint64 // 0 for items that are no library segment
	StartMs    int64  // planned start, Unix milliseconds
	DurationMs int64
	Level      library.Level
	Topic      string
	Title      string
}

// PlannedBetween calls fn with the summary of every station's day from
// local day from to day to (inclusive) that has a playlist: for each of
// stations in turn, by date; with no stations, for every station, by
// station then date. It never decodes a full playlist. d and d.Items are
// reused for the next day: fn must copy what it keeps (the strings may be
// kept as they are).
func (st *Store) PlannedBetween(from, to library.Date, stations []string, fn func(d *PlannedDay) error) error {
	var d PlannedDay
	err := st.db.View(func(tx *bbolt.Tx) error {
		return eachPlanned(tx.Bucket(bucketPlanned), from, to, stations, func(k, v []byte) error {
			if err := decodePlanned(k, v, &d); err != nil {
				return err
			}
			return fn(&d)
		})
	})
	if err != nil {
		return fmt.Errorf("planned %s to %s: %w", from, to, err)
	}
	return nil
}

// PlannedCounts returns how many items each station has planned from local
// day from to day to (inclusive), for stations (none: every station).
// Stations with no playlist in the range are absent. Only each summary's
// count is read.
func (st *Store) PlannedCounts(from, to library.Date, stations ...string) (map[string]int, error) {
	counts := map[string]int{}
	station := "" // the keys come by station: one string each
	err := st.db.View(func(tx *bbolt.Tx) error {
		return eachPlanned(tx.Bucket(bucketPlannedCounts), from, to, stations, func(k, v []byte) error {
			n, size := binary.Uvarint(v)
			if size <= 0 {
				return fmt.Errorf("%q: %w", k, errBadSummary)
			}
			if id := k[:bytes.IndexByte(k, 0)]; string(id) != station {
				station = string(id)
			}
			counts[station] += int(n)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("planned counts %s to %s: %w", from, to, err)
	}
	return counts, nil
}

// eachPlanned calls fn with every summary in [from, to] of stations (none:
// every station). Keys are station 0x00 date: one seek per station.
func eachPlanned(b *bbolt.Bucket, from, to library.Date, stations []string, fn func(k, v []byte) error) error {
	c := b.Cursor()
	if len(stations) > 0 {
		for _, s := range stations {
			if err := eachPlannedOf(c, []byte(s), from, to, fn); err != nil {
				return err
			}
		}
		return nil
	}
	for k, _ := c.First(); k != nil; {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			return fmt.Errorf("%q: %w", k, errBadSummary)
		}
		station := bytes.Clone(k[:i])
		if err := eachPlannedOf(c, station, from, to, fn); err != nil {
			return err
		}
		k, _ = c.Seek(append(station, 1)) // the next station
	}
	return nil
}

func eachPlannedOf(c *bbolt.Cursor, station []byte, from, to library.Date, fn func(k, v []byte) error) error {
	prefix := append(station[:len(station):len(station)], 0)
	for k, v := c.Seek(append(prefix, from...)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if library.Date(k[len(prefix):]) > to {
			return nil
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// putPlanned writes the summary of pl and its count, replacing its day's
// previous ones. It runs in the transaction that stores pl, so the three
// never disagree.
func putPlanned(tx *bbolt.Tx, pl *Playlist) error {
	k := plannedKey(pl.Station, pl.Date)
	if err := tx.Bucket(bucketPlanned).Put(k, appendPlanned(nil, pl)); err != nil {
		return err
	}
	return tx.Bucket(bucketPlannedCounts).Put(k, binary.AppendUvarint(nil, uint64(len(pl.Items))))
}

func plannedKey(station string, d library.Date) []byte {
	k := make([]byte, 0, len(station)+1+len(d))
	return append(append(append(k, station...), 0), d...)
}

// appendPlanned encodes the summary of pl: the format byte, the version
// and the item count (uvarints), then per item its id, segment id, start
// (a signed delta from the previous item's), duration, level, topic and
// title; strings are a uvarint length and the bytes.
func appendPlanned(b []byte, pl *Playlist) []byte {
	size := 1 + 2*binary.MaxVarintLen64
	for i := range pl.Items {
		it := &pl.Items[i]
		size += len(it.ID) + len(it.Level) + len(it.Topic) + len(it.Title) + 4 + 3*binary.MaxVarintLen64
	}
	b = slices.Grow(b, size) // once: the summary is written for every new version
	b = append(b, plannedFormat)
	b = binary.AppendUvarint(b, pl.Version)
	b = binary.AppendUvarint(b, uint64(len(pl.Items)))
	var last int64
	for i := range pl.Items {
		it := &pl.Items[i]
		b = appendBytes(b, it.ID)
		b = binary.AppendUvarint(b, it.SegmentID)
		b = binary.AppendVarint(b, it.StartMs-last)
		b = binary.AppendVarint(b, it.DurationMs)
		b = appendBytes(b, string(it.Level))
		b = appendBytes(b, it.Topic)
		b = appendBytes(b, it.Title)
		last = it.StartMs
	}
	return b
}

func appendBytes(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// plannedHeader reads a summary's version and item count; rest is what
// follows them.
func plannedHeader(v []byte) (version, n uint64, rest []byte, err error) {
	if len(v) == 0 || v[0] != plannedFormat {
		return 0, 0, nil, errBadSummary
	}
	r := plannedReader{buf: v[1:]}
	version, n = r.uvarint(), r.uvarint()
	if r.bad || n > uint64(len(r.buf)) { // every item takes bytes
		return 0, 0, nil, errBadSummary
	}
	return version, n, r.buf, nil
}

// decodePlanned reads key k and summary v into d, reusing d.Items. The
// strings share one allocation per day.
func decodePlanned(k, v []byte, d *PlannedDay) error {
	i := bytes.IndexByte(k, 0)
	version, n, rest, err := plannedHeader(v)
	if i < 0 || err != nil {
		return fmt.Errorf("%q: %w", k, errBadSummary)
	}
	s := string(k) + string(rest) // one allocation for every string of the day
	d.Station, d.Date, d.Version = s[:i], library.Date(s[i+1:len(k)]), version
	d.Items = d.Items[:0]
	r := plannedReader{buf: rest, s: s[len(k):]}
	var start int64
	for range n {
		it := PlannedItem{ID: r.str(), SegmentID: r.uvarint()}
		start += r.varint()
		it.StartMs, it.DurationMs = start, r.varint()
		it.Level, it.Topic, it.Title = library.Level(r.str()), r.str(), r.str()
		d.Items = append(d.Items, it)
	}
	if r.bad || len(r.buf) != 0 {
		return fmt.Errorf("%q: %w", k, errBadSummary)
	}
	return nil
}

// plannedReader reads a summary; s holds the same bytes as buf as a
// string, so strings are sliced from it rather than allocated. After the
// first error it reads zeros and sets bad.
type plannedReader struct {
	buf []byte
	s   string
	bad bool
}

func (r *plannedReader) uvarint() uint64 {
	x, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.bad, r.buf = true, nil
		return 0
	}
	r.advance(n)
	return x
}

func (r *plannedReader) varint() int64 {
	x, n := binary.Varint(r.buf)
	if n <= 0 {
		r.bad, r.buf = true, nil
		return 0
	}
	r.advance(n)
	return x
}

func (r *plannedReader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.buf)) {
		r.bad, r.buf = true, nil
		return ""
	}
	s := r.s[:n]
	r.advance(int(n))
	return s
}

func (r *plannedReader) advance(n int) {
	r.buf = r.buf[n:]
	if len(r.s) >= n {
		r.s = r.s[n:]
	}
}

// backfillPlanned writes the summary of the latest version of every day
// already stored (migration 2; migration 3 adds the counts).
func backfillPlanned(tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketPlanned); err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketPlannedCounts); err != nil {
		return err
	}
	c := tx.Bucket(bucketVersions).Cursor()
	var k, v []byte
	for k, v = c.First(); k != nil; {
		nk, nv := c.Next()
		if nk == nil || !sameDay(k, nk) { // k is its day's latest version
			var pl Playlist
			if err := json.Unmarshal(v, &pl); err != nil {
				return fmt.Errorf("playlist %q: %w", k, err)
			}
			if err := putPlanned(tx, &pl); err != nil {
				return err
			}
		}
		k, v = nk, nv
	}
	return nil
}

// backfillPlannedCounts writes the count of every summary (migration 3).
func backfillPlannedCounts(tx *bbolt.Tx) error {
	counts, err := tx.CreateBucketIfNotExists(bucketPlannedCounts)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketPlanned).ForEach(func(k, v []byte) error {
		_, n, _, err := plannedHeader(v)
		if err != nil {
			return fmt.Errorf("%q: %w", k, err)
		}
		return counts.Put(k, binary.AppendUvarint(nil, n))
	})
}
