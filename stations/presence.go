package stations

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// DefaultGrace is how long a station stays online after it was last heard
// from, so a reconnecting agent does not flap offline.
const DefaultGrace = 90 * time.Second

// Presence is the last known status of a station's agent.
type Presence struct {
	StationID     string      `json:"station_id"`
	ConnectedAt   time.Time   `json:"connected_at,omitzero"`
	LastSeen      time.Time   `json:"last_seen,omitzero"`
	AgentVersion  string      `json:"agent_version,omitempty"`
	Address       string      `json:"address,omitempty"`
	ClockOffsetMs int64       `json:"clock_offset_ms"`
	NowPlaying    *NowPlaying `json:"now_playing,omitempty"`
	Waiting       *Waiting    `json:"waiting,omitempty"` // at most one of NowPlaying and Waiting
	PlaylistDays  int         `json:"playlist_days"`
	AudioDays     int         `json:"audio_days"`
	OutputDB      float64     `json:"output_db"`
	Volume        int         `json:"volume"`
	Faults        []string    `json:"faults,omitempty"`
	FreeDiskBytes int64       `json:"free_disk_bytes"`
	StatusAt      time.Time   `json:"status_at,omitzero"`
}

// NowPlaying is the item a station reported on air. A scheduled item
// names its planned instant and its playlist (day, version, hash); an
// emergency or a live broadcast its command. Agents before protocol v2
// send none of these.
type NowPlaying struct {
	ItemID          string    `json:"item_id"`
	Title           string    `json:"title"`
	StartedAt       time.Time `json:"started_at,omitzero"`
	PlannedAt       time.Time `json:"planned_at,omitzero"`
	Day             string    `json:"day,omitempty"` // the playlist's local date, YYYY-MM-DD
	PlaylistVersion uint64    `json:"playlist_version,omitempty"`
	PlaylistHash    string    `json:"playlist_hash,omitempty"`
	CommandID       string    `json:"command_id,omitempty"`
}

// Waiting is the scheduled item a station reported it waits for, with
// the playlist it comes from.
type Waiting struct {
	ItemID          string    `json:"item_id"`
	Title           string    `json:"title"`
	PlannedAt       time.Time `json:"planned_at"`
	Day             string    `json:"day"` // the playlist's local date, YYYY-MM-DD
	PlaylistVersion uint64    `json:"playlist_version"`
	PlaylistHash    string    `json:"playlist_hash"`
}

// Online reports whether the station was heard from within grace of now.
func (p Presence) Online(now time.Time, grace time.Duration) bool {
	return !p.LastSeen.IsZero() && now.Sub(p.LastSeen) <= grace
}

// PutPresence stores many presences in one transaction; stations deleted in
// the meantime are skipped.
func (s *Store) PutPresence(ps ...Presence) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPresence)
		for _, p := range ps {
			if tx.Bucket(bucketStations).Get([]byte(p.StationID)) == nil {
				continue
			}
			v, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(p.StationID), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put presence: %w", err)
	}
	return nil
}

// Presence returns a station's last known presence; a station never seen
// has a zero Presence with its id.
func (s *Store) Presence(id string) (Presence, error) {
	p := Presence{StationID: id}
	err := s.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketStations).Get([]byte(id)) == nil {
			return fmt.Errorf("%w: %q", ErrStationNotFound, id)
		}
		if v := tx.Bucket(bucketPresence).Get([]byte(id)); v != nil {
			return json.Unmarshal(v, &p)
		}
		return nil
	})
	return p, err
}

// AllPresence returns the last known presence of every station seen.
func (s *Store) AllPresence() (map[string]Presence, error) {
	out := map[string]Presence{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPresence).ForEach(func(k, v []byte) error {
			var p Presence
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode presence %q: %w", k, err)
			}
			out[string(k)] = p
			return nil
		})
	})
	return out, err
}
