package stations

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// CommandRecord is an operator's command to one station as the server last
// knew it. The hub keeps these so that the delivery state operators watch,
// and a command still waiting for an offline station, survive a restart.
type CommandRecord struct {
	StationID string
	ID        string
	Kind      string
	State     string
	Error     string
	Created   time.Time
	Updated   time.Time
	Expires   time.Time
	Body      json.RawMessage // the encoded command, while it may still be sent
}

// Key names the record on disk.
func (r CommandRecord) Key() CommandKey {
	return CommandKey{StationID: r.StationID, ID: r.ID, Created: r.Created}
}

// CommandKey names one kept command.
type CommandKey struct {
	StationID, ID string
	Created       time.Time
}

// The key is the creation instant (Unix ms, big-endian), the station, NUL
// and the command id (ids never hold a NUL). Commands are created in time
// order and their states change within seconds, so a flush after an
// emergency to every station appends pages at the end of the bucket
// instead of rewriting pages all over it.
func (k CommandKey) bytes() []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(k.StationID)+1+len(k.ID)), uint64(k.Created.UnixMilli()))
	return append(append(append(b, k.StationID...), 0), k.ID...)
}

func parseCommandKey(b []byte) (CommandKey, bool) {
	if len(b) < 10 {
		return CommandKey{}, false
	}
	station, id, ok := bytes.Cut(b[8:], []byte{0})
	return CommandKey{StationID: string(station), ID: string(id),
		Created: time.UnixMilli(int64(binary.BigEndian.Uint64(b))).UTC()}, ok
}

// A record's value is what the key does not hold, in a small binary form
// (a flush after an emergency writes one per station): the updated and
// expiry instants as Unix ms (8 bytes each, big-endian), then kind, state,
// error and body, each as a uvarint length and its bytes.
func appendCommandValue(b []byte, r CommandRecord) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(r.Updated.UnixMilli()))
	b = binary.BigEndian.AppendUint64(b, uint64(r.Expires.UnixMilli()))
	for _, f := range [][]byte{[]byte(r.Kind), []byte(r.State), []byte(r.Error), r.Body} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

func parseCommandValue(v []byte, r *CommandRecord) bool {
	if len(v) < 16 {
		return false
	}
	r.Updated = time.UnixMilli(int64(binary.BigEndian.Uint64(v))).UTC()
	r.Expires = time.UnixMilli(int64(binary.BigEndian.Uint64(v[8:]))).UTC()
	v = v[16:]
	var fields [4][]byte
	for i := range fields {
		n, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			return false
		}
		fields[i], v = v[k:k+int(n)], v[k+int(n):]
	}
	r.Kind, r.State, r.Error = string(fields[0]), string(fields[1]), string(fields[2])
	if len(fields[3]) > 0 {
		r.Body = bytes.Clone(fields[3])
	}
	return len(v) == 0
}

// PutCommands stores changed commands and deletes dropped ones in one
// transaction. Commands of stations deleted in the meantime are skipped.
func (s *Store) PutCommands(put []CommandRecord, del []CommandKey) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCommands)
		for _, k := range del {
			if err := b.Delete(k.bytes()); err != nil {
				return err
			}
		}
		keys := make([][]byte, len(put))
		order := make([]int, len(put))
		for i, r := range put {
			keys[i], order[i] = r.Key().bytes(), i
		}
		// In key order: a B+tree takes sorted inserts several times faster.
		slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a], keys[b]) })
		known := map[string]bool{}
		for _, i := range order {
			r := put[i]
			ok, seen := known[r.StationID]
			if !seen {
				ok = tx.Bucket(bucketStations).Get([]byte(r.StationID)) != nil
				known[r.StationID] = ok
			}
			if !ok {
				continue
			}
			if err := b.Put(keys[i], appendCommandValue(nil, r)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put commands: %w", err)
	}
	return nil
}

// AllCommands returns every station's kept commands, oldest first.
func (s *Store) AllCommands() (map[string][]CommandRecord, error) {
	out := map[string][]CommandRecord{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketCommands).ForEach(func(k, v []byte) error {
			key, ok := parseCommandKey(k)
			r := CommandRecord{StationID: key.StationID, ID: key.ID, Created: key.Created}
			if !ok || !parseCommandValue(v, &r) {
				return fmt.Errorf("decode command %q: malformed record", k)
			}
			out[key.StationID] = append(out[key.StationID], r)
			return nil
		})
	})
	return out, err
}

// deleteCommands removes every kept command of a station (a full scan:
// deleting a station is rare).
func deleteCommands(tx *bbolt.Tx, station string) error {
	b := tx.Bucket(bucketCommands)
	var doomed [][]byte
	err := b.ForEach(func(k, _ []byte) error {
		if key, ok := parseCommandKey(k); ok && key.StationID == station {
			doomed = append(doomed, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range doomed {
		if err == nil {
			err = b.Delete(k)
		}
	}
	return err
}
