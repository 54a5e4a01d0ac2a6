package playlist

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
	"loa/playlist/library"
)

// ErrNotFound is returned when no programme or playlist matches.
var ErrNotFound = errors.New("not found in the schedules")

// ErrStale is returned when a programme was changed by someone else since
// the revision the editor saw.
var ErrStale = errors.New("programme changed meanwhile")

var (
	bucketProgrammes = []byte("playlist.programmes") // programme id → JSON Programme
	// station 0x00 date 0x00 version (uint64 BE) → JSON Playlist; every
	// version is kept, so what a station was told to play stays known.
	// The latest version of each day is also summarised for reports
	// (bucketPlanned, store_planned.go).
	bucketVersions = []byte("playlist.versions")
)

// schema is the store's schema version in the meta bucket and its
// migrations in order: migration i brings it to version i+1.
var schema = boltstore.Schema{Name: "playlist", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error { // 1: programmes and playlist versions
		for _, name := range [][]byte{bucketProgrammes, bucketVersions} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	backfillPlanned,       // 2: a summary of every day's latest version, for reports
	backfillPlannedCounts, // 3: the summaries' item counts on their own
	createRules,           // 4: the ward's rules (rules.go)
}}

// Store keeps programmes and every playlist version in a bbolt database
// shared with other packages.
type Store struct {
	db  *bbolt.DB
	now func() time.Time
}

// Open prepares the playlist buckets in db, migrating them to the current schema.
func Open(db *bbolt.DB) (*Store, error) {
	err := db.Update(schema.Migrate)
	if err != nil {
		return nil, fmt.Errorf("open playlist store: %w", err)
	}
	return &Store{db: db, now: time.Now}, nil
}

// Programmes returns every programme, by id.
func (st *Store) Programmes() ([]Programme, error) {
	var out []Programme
	err := st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketProgrammes).ForEach(func(k, v []byte) error {
			var p Programme
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("programme %s: %w", k, err)
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// Programme returns one programme.
func (st *Store) Programme(id string) (Programme, error) {
	var p Programme
	err := st.db.View(func(tx *bbolt.Tx) error {
		return getJSON(tx.Bucket(bucketProgrammes), []byte(id), &p)
	})
	return p, err
}

// PutProgramme validates and stores p, creating it or replacing the stored
// one. revision must be the revision the editor saw (0 for a new programme
// or to skip the check). It returns what was stored and, for the planner,
// the programme as it was before (zero when new).
func (st *Store) PutProgramme(p Programme, revision int) (stored, before Programme, err error) {
	p.normalize()
	if err := p.Validate(); err != nil {
		return Programme{}, Programme{}, err
	}
	err = st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketProgrammes)
		if err := getJSON(b, []byte(p.ID), &before); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if revision != 0 && revision != before.Revision {
			return ErrStale
		}
		p.Revision, p.UpdatedAt = before.Revision+1, st.now().UTC()
		return putJSON(b, []byte(p.ID), p)
	})
	if err != nil {
		return Programme{}, Programme{}, fmt.Errorf("put programme %s: %w", p.ID, err)
	}
	return p, before, nil
}

// DeleteProgramme removes a programme and returns it. Playlists already
// built keep their slots until rebuilt.
func (st *Store) DeleteProgramme(id string) (Programme, error) {
	var p Programme
	err := st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketProgrammes)
		if err := getJSON(b, []byte(id), &p); err != nil {
			return err
		}
		return b.Delete([]byte(id))
	})
	return p, err
}

// SavePlaylists stores each playlist as a new version of its station's day,
// unless its content hash equals the latest version's: then the latest is
// kept and nothing is written. A new version replaces its day's plan
// summary (PlannedBetween) in the same transaction. It returns the
// playlists with Version and Hash set, and whether each one is new. One
// transaction for all.
func (st *Store) SavePlaylists(pls []Playlist) ([]Playlist, []bool, error) {
	changed := make([]bool, len(pls))
	out := slices.Clone(pls)
	err := st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketVersions)
		for i := range out {
			pl := &out[i]
			pl.Hash = pl.ComputeHash()
			latest, err := latestVersion(b, pl.Station, pl.Date)
			if err != nil {
				return err
			}
			if latest.Version != 0 && latest.Hash == pl.Hash {
				out[i] = latest
				continue
			}
			pl.Version, changed[i] = latest.Version+1, true
			if err := b.Put(versionKey(pl.Station, pl.Date, pl.Version), pl.AppendJSON(nil)); err != nil {
				return err
			}
			if err := putPlanned(tx, pl); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("save playlists: %w", err)
	}
	return out, changed, nil
}

// Playlist returns the latest version of a station's day.
func (st *Store) Playlist(station string, d library.Date) (Playlist, error) {
	var pl Playlist
	err := st.db.View(func(tx *bbolt.Tx) error {
		var err error
		pl, err = latestVersion(tx.Bucket(bucketVersions), station, d)
		if err == nil && pl.Version == 0 {
			err = ErrNotFound
		}
		return err
	})
	return pl, err
}

// PlaylistVersion returns one version of a station's day.
func (st *Store) PlaylistVersion(station string, d library.Date, version uint64) (Playlist, error) {
	var pl Playlist
	err := st.db.View(func(tx *bbolt.Tx) error {
		return getJSON(tx.Bucket(bucketVersions), versionKey(station, d, version), &pl)
	})
	return pl, err
}

// A VersionInfo summarises one stored version of a station's day.
type VersionInfo struct {
	Version uint64    `json:"version"`
	Hash    string    `json:"hash"`
	BuiltAt time.Time `json:"built_at"`
	Items   int       `json:"items"`
}

// Versions lists every version of a station's day, oldest first.
func (st *Store) Versions(station string, d library.Date) ([]VersionInfo, error) {
	var out []VersionInfo
	err := st.db.View(func(tx *bbolt.Tx) error {
		prefix := dayPrefix(station, d)
		c := tx.Bucket(bucketVersions).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var pl Playlist
			if err := json.Unmarshal(v, &pl); err != nil {
				return fmt.Errorf("playlist %q: %w", k, err)
			}
			out = append(out, VersionInfo{Version: pl.Version, Hash: pl.Hash, BuiltAt: pl.BuiltAt, Items: len(pl.Items)})
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = ErrNotFound
	}
	return out, err
}

// HadItem reports whether any stored version of the station's day had the
// item id starting at startMs: a station may report an item a later
// version dropped. Newest versions first, and only the versions whose
// stored bytes name the item are decoded, so a day edited all week costs a
// scan of bytes, not hundreds of decodes.
func (st *Store) HadItem(station string, d library.Date, id string, startMs int64) (bool, error) {
	quoted, err := json.Marshal(id)
	if err != nil {
		return false, err
	}
	needle := append([]byte(`"id":`), quoted...)
	found := false
	err = st.db.View(func(tx *bbolt.Tx) error {
		prefix := dayPrefix(station, d)
		c := tx.Bucket(bucketVersions).Cursor()
		k, v := c.Seek(append(slices.Clone(prefix), 0xff))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
			if !bytes.Contains(v, needle) {
				continue
			}
			var pl Playlist
			if err := json.Unmarshal(v, &pl); err != nil {
				return fmt.Errorf("playlist %q: %w", k, err)
			}
			for _, it := range pl.Items {
				if it.ID == id && it.StartMs == startMs {
					found = true
					return nil
				}
			}
		}
		return nil
	})
	return found, err
}

// PlaylistsFor returns the latest version of each of the station's days
// from the local day from on, by date: what the hub sends an agent. Only
// the latest versions are decoded: a day edited all week holds hundreds.
func (st *Store) PlaylistsFor(station string, from library.Date) ([]Playlist, error) {
	var out []Playlist
	err := st.db.View(func(tx *bbolt.Tx) error {
		prefix := append([]byte(station), 0)
		var lastK, lastV []byte // the newest version seen of the current day
		flush := func() error {
			if lastK == nil {
				return nil
			}
			var pl Playlist
			if err := json.Unmarshal(lastV, &pl); err != nil {
				return fmt.Errorf("playlist %q: %w", lastK, err)
			}
			out = append(out, pl)
			return nil
		}
		c := tx.Bucket(bucketVersions).Cursor()
		for k, v := c.Seek(dayPrefix(station, from)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if lastK != nil && !bytes.Equal(k[:len(k)-8], lastK[:len(lastK)-8]) { // a new day
				if err := flush(); err != nil {
					return err
				}
			}
			lastK, lastV = k, v
		}
		return flush()
	})
	return out, err
}

// latestVersion returns the newest version of a day, or a zero Playlist.
func latestVersion(b *bbolt.Bucket, station string, d library.Date) (Playlist, error) {
	var pl Playlist
	prefix := dayPrefix(station, d)
	c := b.Cursor()
	k, v := c.Seek(append(slices.Clone(prefix), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return pl, nil
	}
	err := json.Unmarshal(v, &pl)
	return pl, err
}

func dayPrefix(station string, d library.Date) []byte {
	k := make([]byte, 0, len(station)+len(d)+10)
	k = append(k, station...)
	k = append(k, 0)
	k = append(k, d...)
	return append(k, 0)
}

func versionKey(station string, d library.Date, version uint64) []byte {
	return binary.BigEndian.AppendUint64(dayPrefix(station, d), version)
}

func putJSON(b *bbolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func getJSON(b *bbolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return ErrNotFound
	}
	return json.Unmarshal(data, v)
}
