package stations

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// tokenPrefix marks Loa station tokens so they are recognisable in configs
// and secret scanners.
const tokenPrefix = "loa_st_"

// newToken returns a fresh 256-bit token and its sha256. A slow password
// hash buys nothing here: the token is random, not chosen by a person.
func newToken() (token string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("new token: %w", err)
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashToken(token), nil
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func hexHash(h []byte) string { return hex.EncodeToString(h) }

func deleteToken(tx *bbolt.Tx, hexHash string) error {
	if hexHash == "" {
		return nil
	}
	h, err := hex.DecodeString(hexHash)
	if err != nil {
		return fmt.Errorf("stored token hash: %w", err)
	}
	return tx.Bucket(bucketTokens).Delete(h)
}

// RotateToken issues a new token for a station, returned only here; the old
// one stops working and its live link is closed.
func (s *Store) RotateToken(id string, now time.Time) (string, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		r, err := getRecord(tx, id)
		if err != nil {
			return err
		}
		if err := deleteToken(tx, r.TokenHash); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Put(hash, []byte(id)); err != nil {
			return err
		}
		r.TokenHash, r.TokenIssuedAt, r.UpdatedAt = hexHash(hash), now.UTC(), now.UTC()
		return putRecord(tx, r)
	})
	if err != nil {
		return "", fmt.Errorf("rotate token of %q: %w", id, err)
	}
	s.notify(Change{StationID: id, Kind: Revoked})
	return token, nil
}

// RevokeToken leaves a station with no valid token and closes its live link.
func (s *Store) RevokeToken(id string, now time.Time) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		r, err := getRecord(tx, id)
		if err != nil {
			return err
		}
		if err := deleteToken(tx, r.TokenHash); err != nil {
			return err
		}
		r.TokenHash, r.TokenIssuedAt, r.UpdatedAt = "", time.Time{}, now.UTC()
		return putRecord(tx, r)
	})
	if err != nil {
		return fmt.Errorf("revoke token of %q: %w", id, err)
	}
	s.notify(Change{StationID: id, Kind: Revoked})
	return nil
}

// Authenticate returns the station a token belongs to: ErrBadToken for an
// unknown, malformed or revoked token, ErrDisabled for a disabled station.
func (s *Store) Authenticate(token string) (Station, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return Station{}, ErrBadToken
	}
	hash := hashToken(token)
	var r record
	err := s.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bucketTokens).Get(hash)
		if id == nil {
			return ErrBadToken
		}
		var err error
		r, err = getRecord(tx, string(id))
		return err
	})
	if err != nil {
		return Station{}, err
	}
	if !r.Enabled {
		return r.Station, ErrDisabled
	}
	return r.Station, nil
}
