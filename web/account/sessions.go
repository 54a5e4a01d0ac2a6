package account

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// A Session is one signed-in browser or client. Only a hash of its token
// is stored: the store cannot act as the session it keeps.
type Session struct {
	User    string    `json:"user"`
	Expires time.Time `json:"expires"`
	Created time.Time `json:"created,omitzero"`
	Addr    string    `json:"addr,omitempty"`  // the address it signed in from
	Agent   string    `json:"agent,omitempty"` // the browser's User-Agent, shortened
}

// SessionInfo is a live session as its owner or an admin sees it. ID names
// the session (SessionID of its token) without being able to act as it.
type SessionInfo struct {
	ID string
	Session
}

// SessionID is the id of the session whose token is token.
func SessionID(token string) string {
	return base64.RawURLEncoding.EncodeToString(tokenKey(token))
}

func tokenKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// NewSession stores a session for name and returns its token.
func (st *Store) NewSession(name string, expires time.Time) (string, error) {
	return st.AddSession(Session{User: name, Expires: expires})
}

// AddSession stores s and returns its token.
func (st *Store) AddSession(s Session) (string, error) {
	token := RandomToken(32)
	s.Expires, s.Created = s.Expires.UTC(), s.Created.UTC()
	data, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	err = st.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).Put(tokenKey(token), data)
	})
	return token, err
}

// SessionUser returns the user a live session belongs to: ErrNoSession
// when the session is unknown, expired, or its person disabled.
func (st *Store) SessionUser(token string, now time.Time) (User, error) {
	var s Session
	err := st.db.View(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketSessions).Get(tokenKey(token))
		if data == nil {
			return ErrNoSession
		}
		return json.NewDecoder(bytes.NewReader(data)).Decode(&s)
	})
	if err != nil {
		return User{}, err
	}
	if now.After(s.Expires) {
		return User{}, ErrNoSession
	}
	user, err := st.User(s.User)
	if err == nil && user.Disabled {
		return User{}, ErrNoSession
	}
	return user, err
}

// EndSession ends the session whose token is token.
func (st *Store) EndSession(token string) error {
	return st.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).Delete(tokenKey(token))
	})
}

// ExpireSessions deletes the sessions that ended before now.
func (st *Store) ExpireSessions(now time.Time) error {
	return st.deleteSessions(func(_ []byte, s Session, ok bool) bool { return !ok || now.After(s.Expires) })
}

// deleteSessions deletes the sessions doomed says to (ok: the session
// decoded). The keys are collected first: bbolt documents that deleting
// under a moving cursor may skip the next key.
func (st *Store) deleteSessions(doomed func(k []byte, s Session, ok bool) bool) error {
	return st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var s Session
			ok := json.Unmarshal(v, &s) == nil
			if doomed(k, s, ok) {
				keys = append(keys, bytes.Clone(k))
			}
			return nil
		})
		for _, k := range keys {
			err = errors.Join(err, b.Delete(k))
		}
		return err
	})
}

// SessionsOf lists name's live sessions, oldest first.
func (st *Store) SessionsOf(name string, now time.Time) ([]SessionInfo, error) {
	out := []SessionInfo{}
	err := st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var s Session
			if err := json.NewDecoder(bytes.NewReader(v)).Decode(&s); err != nil || s.User != name || now.After(s.Expires) {
				return nil
			}
			out = append(out, SessionInfo{ID: base64.RawURLEncoding.EncodeToString(k), Session: s})
			return nil
		})
	})
	slices.SortFunc(out, func(a, b SessionInfo) int { return a.Created.Compare(b.Created) })
	return out, err
}

// LiveSessions counts each person's live sessions.
func (st *Store) LiveSessions(now time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(_, v []byte) error {
			var s Session
			if json.Unmarshal(v, &s) == nil && !now.After(s.Expires) {
				out[s.User]++
			}
			return nil
		})
	})
	return out, err
}

// EndSessionsOf ends name's sessions but the one whose token is keep ("":
// all of them).
func (st *Store) EndSessionsOf(name, keep string) error {
	var keepKey []byte
	if keep != "" {
		keepKey = tokenKey(keep)
	}
	return st.deleteSessions(func(k []byte, s Session, ok bool) bool {
		return ok && s.User == name && !bytes.Equal(k, keepKey)
	})
}

// EndSessionByID ends the session id if it belongs to owner ("": anyone's);
// ErrNoSession if there is no such session of owner's.
func (st *Store) EndSessionByID(id, owner string) error {
	key, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return ErrNoSession
	}
	return st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var s Session
		if data := b.Get(key); data == nil || json.Unmarshal(data, &s) != nil || owner != "" && s.User != owner {
			return ErrNoSession
		}
		return b.Delete(key)
	})
}
