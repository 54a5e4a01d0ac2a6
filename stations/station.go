package stations

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Station is one speaker station.
type Station struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Groups        []string  `json:"groups"`
	Zone          string    `json:"zone"`
	Location      *Location `json:"location,omitempty"`
	Volume        int       `json:"volume"`
	Enabled       bool      `json:"enabled"`
	HasToken      bool      `json:"has_token"`
	TokenIssuedAt time.Time `json:"token_issued_at,omitzero"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Location is a station's position (WGS 84 degrees).
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// New returns a station with the defaults an operator expects: the
// Vietnamese zone, volume 80, enabled.
func New(id, name string) Station {
	return Station{ID: id, Name: name, Zone: DefaultZone, Volume: DefaultVolume, Enabled: true}
}

// record is a station as stored: with the hash of its current token.
type record struct {
	Station
	TokenHash string `json:"token_hash,omitempty"`
}

func getRecord(tx *bbolt.Tx, id string) (record, error) {
	var r record
	v := tx.Bucket(bucketStations).Get([]byte(id))
	if v == nil {
		return r, fmt.Errorf("%w: %q", ErrStationNotFound, id)
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("decode station %q: %w", id, err)
	}
	r.HasToken = r.TokenHash != ""
	return r, nil
}

func putRecord(tx *bbolt.Tx, r record) error {
	r.HasToken = r.TokenHash != ""
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketStations).Put([]byte(r.ID), v)
}

// checkStation validates st, including that its groups exist.
func checkStation(tx *bbolt.Tx, st *Station) error {
	normalize(st)
	p := validateStation(st)
	for _, g := range st.Groups {
		if tx.Bucket(bucketGroups).Get([]byte(g)) == nil {
			p.add("groups", CodeStationGroupUnknown)
			break
		}
	}
	return p.err()
}

// Create adds a station and issues its first token, returned only here.
func (s *Store) Create(st Station, now time.Time) (Station, string, error) {
	token, hash, err := newToken()
	if err != nil {
		return Station{}, "", err
	}
	now = now.UTC()
	st.CreatedAt, st.UpdatedAt, st.TokenIssuedAt = now, now, now
	err = s.db.Update(func(tx *bbolt.Tx) error {
		if err := checkStation(tx, &st); err != nil {
			return err
		}
		if tx.Bucket(bucketStations).Get([]byte(st.ID)) != nil {
			return &ValidationError{Problems: []Problem{{Field: "id", Code: CodeStationIDTaken}}}
		}
		if err := tx.Bucket(bucketTokens).Put(hash, []byte(st.ID)); err != nil {
			return err
		}
		return putRecord(tx, record{Station: st, TokenHash: hexHash(hash)})
	})
	if err != nil {
		return Station{}, "", fmt.Errorf("create station %q: %w", st.ID, err)
	}
	st.HasToken = true
	return st, token, nil
}

// Update replaces a station's editable settings (name, groups, zone,
// location, volume, enabled). Disabling it closes its live link.
func (s *Store) Update(st Station, now time.Time) (Station, error) {
	var out Station
	var wasEnabled bool
	err := s.db.Update(func(tx *bbolt.Tx) error {
		r, err := getRecord(tx, st.ID)
		if err != nil {
			return err
		}
		if err := checkStation(tx, &st); err != nil {
			return err
		}
		wasEnabled = r.Enabled
		r.Name, r.Groups, r.Zone, r.Location = st.Name, st.Groups, st.Zone, st.Location
		r.Volume, r.Enabled, r.UpdatedAt = st.Volume, st.Enabled, now.UTC()
		out = r.Station
		return putRecord(tx, r)
	})
	if err != nil {
		return Station{}, fmt.Errorf("update station %q: %w", st.ID, err)
	}
	kind := Updated
	if wasEnabled && !out.Enabled {
		kind = Disabled
	}
	s.notify(Change{StationID: out.ID, Kind: kind})
	return out, nil
}

// Delete removes a station, its token, its presence and its commands.
func (s *Store) Delete(id string) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		r, err := getRecord(tx, id)
		if err != nil {
			return err
		}
		if err := deleteToken(tx, r.TokenHash); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPresence).Delete([]byte(id)); err != nil {
			return err
		}
		if err := deleteCommands(tx, id); err != nil {
			return err
		}
		return tx.Bucket(bucketStations).Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("delete station %q: %w", id, err)
	}
	s.notify(Change{StationID: id, Kind: Deleted})
	return nil
}

// Station returns one station or ErrStationNotFound.
func (s *Store) Station(id string) (Station, error) {
	var r record
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		r, err = getRecord(tx, id)
		return err
	})
	return r.Station, err
}

// Stations returns every station ordered by id.
func (s *Store) Stations() ([]Station, error) {
	var out []Station
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketStations).ForEach(func(k, v []byte) error {
			var r record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode station %q: %w", k, err)
			}
			r.HasToken = r.TokenHash != ""
			out = append(out, r.Station)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list stations: %w", err)
	}
	return out, nil
}

// InGroups returns the stations that belong to any of groups, ordered by id.
func (s *Store) InGroups(groups ...string) ([]Station, error) {
	all, err := s.Stations()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(st Station) bool {
		return !slices.ContainsFunc(st.Groups, func(g string) bool { return slices.Contains(groups, g) })
	}), nil
}

// String is for logs.
func (st Station) String() string {
	return st.ID + " (" + strings.TrimSpace(st.Name) + ")"
}
