package stations

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// Group is an area of the ward (for example a former commune) that
// broadcasts and reports can target.
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PutGroup creates a group or renames an existing one.
func (s *Store) PutGroup(g Group) error {
	g.Name = strings.TrimSpace(g.Name)
	if err := validateGroup(&g); err != nil {
		return err
	}
	v, err := json.Marshal(g)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketGroups).Put([]byte(g.ID), v)
	})
	if err != nil {
		return fmt.Errorf("put group %q: %w", g.ID, err)
	}
	return nil
}

// CreateGroup adds a group; its id must be new.
func (s *Store) CreateGroup(g Group) error {
	if _, err := s.Group(g.ID); err == nil {
		return fmt.Errorf("create group %q: %w", g.ID,
			&ValidationError{Problems: []Problem{{Field: "id", Code: CodeGroupIDTaken}}})
	}
	return s.PutGroup(g)
}

// DeleteGroup removes a group no station belongs to any more.
func (s *Store) DeleteGroup(id string) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketGroups).Get([]byte(id)) == nil {
			return fmt.Errorf("%w: %q", ErrGroupNotFound, id)
		}
		c := tx.Bucket(bucketStations).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var r record
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if slices.Contains(r.Groups, id) {
				return &ValidationError{Problems: []Problem{{Field: "id", Code: CodeGroupInUse}}}
			}
		}
		return tx.Bucket(bucketGroups).Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("delete group %q: %w", id, err)
	}
	return nil
}

// Group returns one group or ErrGroupNotFound.
func (s *Store) Group(id string) (Group, error) {
	var g Group
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketGroups).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("%w: %q", ErrGroupNotFound, id)
		}
		return json.Unmarshal(v, &g)
	})
	return g, err
}

// Groups returns every group ordered by id.
func (s *Store) Groups() ([]Group, error) {
	var out []Group
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketGroups).ForEach(func(_, v []byte) error {
			var g Group
			if err := json.Unmarshal(v, &g); err != nil {
				return err
			}
			out = append(out, g)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return out, nil
}
