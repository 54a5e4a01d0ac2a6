package account

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// An APIToken lets a program (a script that imports recordings every
// night, a monitoring system) use the API with a role, without a person's
// password. The token itself is shown once; only its hash is kept.
type APIToken struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"` // what it is for
	Role      Role      `json:"role"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	Expires   time.Time `json:"expires,omitzero"` // zero: until revoked
}

// TokenPrefix marks API tokens, so they are never confused with the
// stations' tokens and are easy to find in a leaked file.
const TokenPrefix = "loa_api_"

// CreateToken stores t under a new id and returns it with its secret, the
// one time the secret is known.
func (st *Store) CreateToken(t APIToken) (APIToken, string, error) {
	secret := TokenPrefix + RandomToken(32)
	t.ID = RandomToken(9)
	data, err := json.Marshal(t)
	if err != nil {
		return t, "", err
	}
	err = st.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketTokens).Put([]byte(t.ID), data); err != nil {
			return err
		}
		return tx.Bucket(bucketTokenHash).Put(tokenKey(secret), []byte(t.ID))
	})
	return t, secret, err
}

// TokenUser resolves a bearer token to the user it acts as: a user named
// after the token, with the token's role. A token stops working when it
// expires and while the person who created it is disabled or gone
// (ErrNoToken).
func (st *Store) TokenUser(token string, now time.Time) (User, error) {
	var t APIToken
	err := st.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bucketTokenHash).Get(tokenKey(token))
		if id == nil {
			return ErrNoToken
		}
		return json.Unmarshal(tx.Bucket(bucketTokens).Get(id), &t)
	})
	if err != nil {
		return User{}, err
	}
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
		return User{}, ErrNoToken
	}
	creator, err := st.User(t.CreatedBy)
	if errors.Is(err, ErrNoUser) || err == nil && creator.Disabled {
		return User{}, ErrNoToken
	}
	if err != nil {
		return User{}, err
	}
	return User{Name: "token:" + t.Name, DisplayName: t.Name, Role: t.Role}, nil
}

// Tokens lists every API token, oldest first.
func (st *Store) Tokens() ([]APIToken, error) {
	out := []APIToken{}
	err := st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(_, v []byte) error {
			var t APIToken
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b APIToken) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, err
}

// RevokeToken deletes the token id and returns it; requests with it fail
// from then on. ErrNoToken if there is no such token.
func (st *Store) RevokeToken(id string) (APIToken, error) {
	var t APIToken
	err := st.db.Update(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketTokens).Get([]byte(id))
		if data == nil {
			return ErrNoToken
		}
		if err := json.Unmarshal(data, &t); err != nil {
			return err
		}
		index := tx.Bucket(bucketTokenHash)
		var hashes [][]byte // collected first, as in deleteSessions
		index.ForEach(func(k, v []byte) error {
			if string(v) == id {
				hashes = append(hashes, bytes.Clone(k))
			}
			return nil
		})
		for _, k := range hashes {
			if err := index.Delete(k); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketTokens).Delete([]byte(id))
	})
	return t, err
}
