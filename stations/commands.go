package stations

import (
	"bytes"
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
	StationID string          `json:"station_id"`
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	State     string          `json:"state"`
	Error     string          `json:"error,omitempty"`
	Created   time.Time       `json:"created"`
	Updated   time.Time       `json:"updated"`
	Expires   time.Time       `json:"expires"`
	Body      json.RawMessage `json:"body,omitempty"` // the encoded command, while it may still be sent
}

// CommandKey names one kept command.
type CommandKey struct{ StationID, ID string }

// commandKey is station NUL id: command ids never hold a NUL, so one
// station's commands are one key range.
func commandKey(station, id string) []byte {
	return append(append([]byte(station), 0), id...)
}

// PutCommands stores changed commands and deletes dropped ones in one
// transaction. Commands of stations deleted in the meantime are skipped.
func (s *Store) PutCommands(put []CommandRecord, del []CommandKey) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCommands)
		for _, k := range del {
			if err := b.Delete(commandKey(k.StationID, k.ID)); err != nil {
				return err
			}
		}
		for _, r := range put {
			if tx.Bucket(bucketStations).Get([]byte(r.StationID)) == nil {
				continue
			}
			v, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := b.Put(commandKey(r.StationID, r.ID), v); err != nil {
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
			var r CommandRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode command %q: %w", k, err)
			}
			out[r.StationID] = append(out[r.StationID], r)
			return nil
		})
	})
	for _, list := range out {
		slices.SortStableFunc(list, func(a, b CommandRecord) int { return a.Created.Compare(b.Created) })
	}
	return out, err
}

// deleteCommands removes every kept command of a station.
func deleteCommands(tx *bbolt.Tx, station string) error {
	c := tx.Bucket(bucketCommands).Cursor()
	prefix := commandKey(station, "")
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}
