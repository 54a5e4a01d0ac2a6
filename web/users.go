package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
)

// Role is what a person may do. Each role includes the ones before it.
type Role string

const (
	RoleViewer   Role = "viewer"   // reads reports and the library
	RoleEditor   Role = "editor"   // uploads and edits announcements
	RoleApprover Role = "approver" // approves or rejects
	RoleAdmin    Role = "admin"    // stations, schedules, users
)

var roleRank = map[Role]int{RoleViewer: 1, RoleEditor: 2, RoleApprover: 3, RoleAdmin: 4}

// can reports whether role r includes role need.
func (r Role) can(need Role) bool { return roleRank[r] >= roleRank[need] }

// A User is a person who signs in.
type User struct {
	Name         string    `json:"name"` // sign-in name
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	Groups       []string  `json:"groups,omitempty"` // limits an editor or approver to these groups
	Disabled     bool      `json:"disabled,omitempty"`
	PasswordHash string    `json:"password_hash"`
	CreatedAt    time.Time `json:"created_at"`
}

// A session is one signed-in browser or client.
type session struct {
	User    string    `json:"user"`
	Expires time.Time `json:"expires"`
	Created time.Time `json:"created,omitzero"`
	Addr    string    `json:"addr,omitempty"`  // the address it signed in from
	Agent   string    `json:"agent,omitempty"` // the browser's User-Agent, shortened
}

var (
	errNoUser    = errors.New("no such user")
	errNoSession = errors.New("no such session")

	bucketUsers    = []byte("web.users")    // name → JSON User
	bucketSessions = []byte("web.sessions") // sha256(token) → JSON session
)

// usersSchema is the users store's schema version in the meta bucket and its
// migrations in order: migration i brings it to version i+1.
var usersSchema = boltstore.Schema{Name: "web", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error { // 1: users and sessions
		_, err1 := tx.CreateBucketIfNotExists(bucketUsers)
		_, err2 := tx.CreateBucketIfNotExists(bucketSessions)
		return errors.Join(err1, err2)
	},
	func(tx *bbolt.Tx) error { // 2: the audit log
		_, err := tx.CreateBucketIfNotExists(bucketAudit)
		return err
	},
	migrateTokens, // 3: API tokens
	func(tx *bbolt.Tx) error { // 4: the ward's settings (approval_settings.go)
		_, err := tx.CreateBucketIfNotExists(bucketSettings)
		return err
	},
}}

// users keeps people and their sessions in the shared bbolt file.
type users struct {
	db *bbolt.DB
}

func openUsers(db *bbolt.DB) (*users, error) {
	err := db.Update(usersSchema.Migrate)
	if err != nil {
		return nil, fmt.Errorf("open user store: %w", err)
	}
	return &users{db: db}, nil
}

func (u *users) count() (int, error) {
	n := 0
	err := u.db.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bucketUsers).Stats().KeyN
		return nil
	})
	return n, err
}

func (u *users) get(name string) (User, error) {
	var user User
	err := u.db.View(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketUsers).Get([]byte(name))
		if data == nil {
			return errNoUser
		}
		return json.Unmarshal(data, &user)
	})
	return user, err
}

func (u *users) put(user User) error {
	data, err := json.Marshal(user)
	if err != nil {
		return err
	}
	return u.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketUsers).Put([]byte(user.Name), data)
	})
}

// replaceHash sets name's password hash to hash if it is still old: a
// password changed in the meantime stays.
func (u *users) replaceHash(name, old, hash string) error {
	return u.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		var user User
		if data := b.Get([]byte(name)); data == nil {
			return errNoUser
		} else if err := json.Unmarshal(data, &user); err != nil {
			return err
		}
		if user.PasswordHash != old {
			return nil
		}
		user.PasswordHash = hash
		data, err := json.Marshal(user)
		if err != nil {
			return err
		}
		return b.Put([]byte(name), data)
	})
}

func (u *users) list() ([]User, error) {
	var out []User
	err := u.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var user User
			if err := json.Unmarshal(v, &user); err != nil {
				return err
			}
			out = append(out, user)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

// newSession stores a session for name and returns its token; only the
// token's hash is kept.
func (u *users) newSession(name string, expires time.Time) (string, error) {
	return u.addSession(session{User: name, Expires: expires})
}

// addSession stores s and returns its token.
func (u *users) addSession(s session) (string, error) {
	token := randomToken(32)
	s.Expires, s.Created = s.Expires.UTC(), s.Created.UTC()
	data, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	err = u.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).Put(tokenKey(token), data)
	})
	return token, err
}

// sessionUser returns the user a live session belongs to.
func (u *users) sessionUser(token string, now time.Time) (User, error) {
	var s session
	err := u.db.View(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketSessions).Get(tokenKey(token))
		if data == nil {
			return errNoSession
		}
		return json.NewDecoder(bytes.NewReader(data)).Decode(&s)
	})
	if err != nil {
		return User{}, err
	}
	if now.After(s.Expires) {
		return User{}, errNoSession
	}
	user, err := u.get(s.User)
	if err == nil && user.Disabled {
		return User{}, errNoSession
	}
	return user, err
}

func (u *users) endSession(token string) error {
	return u.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).Delete(tokenKey(token))
	})
}

// expireSessions deletes sessions that ended before now. The keys are
// collected first: bbolt documents that deleting under a moving cursor may
// skip the next key.
func (u *users) expireSessions(now time.Time) error {
	return u.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var ended [][]byte
		b.ForEach(func(k, v []byte) error {
			var s session
			if json.Unmarshal(v, &s) != nil || now.After(s.Expires) {
				ended = append(ended, k)
			}
			return nil
		})
		for _, k := range ended {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

func tokenKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
