package account

import (
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

// Roles are the roles in order, the least first.
func Roles() []Role { return []Role{RoleViewer, RoleEditor, RoleApprover, RoleAdmin} }

// Can reports whether role r includes role need.
func (r Role) Can(need Role) bool { return r.rank() >= need.rank() }

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r.rank() > 0 }

func (r Role) rank() int { return slices.Index(Roles(), r) + 1 }

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

// Sentinel errors; callers test them with errors.Is.
var (
	ErrNoUser    = errors.New("no such user")
	ErrNoSession = errors.New("no such session")
	ErrNoToken   = errors.New("no such API token")
)

// The buckets keep the names they had in package web.
var (
	bucketUsers     = []byte("web.users")        // name → JSON User
	bucketSessions  = []byte("web.sessions")     // sha256(token) → JSON Session
	bucketAudit     = []byte("web.audit")        // time (ns, BE) + sequence → JSON AuditEntry
	bucketTokens    = []byte("web.tokens")       // id → JSON APIToken
	bucketTokenHash = []byte("web.tokens.index") // sha256(token) → id
	bucketSettings  = []byte("web.settings")     // name → value
)

// schema is the store's schema version in the meta bucket (under the name
// "web", as before the store left package web) and its migrations in
// order: migration i brings it to version i+1.
var schema = boltstore.Schema{Name: "web", Migrations: []boltstore.Migration{
	createBuckets(bucketUsers, bucketSessions),   // 1: users and sessions
	createBuckets(bucketAudit),                   // 2: the audit log
	createBuckets(bucketTokens, bucketTokenHash), // 3: API tokens
	createBuckets(bucketSettings),                // 4: the ward's settings
}}

func createBuckets(names ...[]byte) boltstore.Migration {
	return func(tx *bbolt.Tx) error {
		for _, name := range names {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}
}

// Store keeps people, their sessions and tokens, the audit log and the
// ward's settings in the shared bbolt file.
type Store struct {
	db *bbolt.DB
}

// Open opens the store on db, creating or migrating its buckets.
func Open(db *bbolt.DB) (*Store, error) {
	if err := schema.Open(db); err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

// Count is how many people there are.
func (st *Store) Count() (int, error) {
	n := 0
	err := st.db.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bucketUsers).Stats().KeyN
		return nil
	})
	return n, err
}

// User is the person who signs in as name, or ErrNoUser.
func (st *Store) User(name string) (User, error) {
	var user User
	err := st.db.View(func(tx *bbolt.Tx) error {
		var err error
		user, err = getUser(tx, name)
		return err
	})
	return user, err
}

func getUser(tx *bbolt.Tx, name string) (User, error) {
	var user User
	data := tx.Bucket(bucketUsers).Get([]byte(name))
	if data == nil {
		return user, ErrNoUser
	}
	if err := json.Unmarshal(data, &user); err != nil {
		return user, fmt.Errorf("decode user %s: %w", name, err)
	}
	return user, nil
}

func putUser(tx *bbolt.Tx, user User) error {
	data, err := json.Marshal(user)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketUsers).Put([]byte(user.Name), data)
}

// Put stores user, a new one or a change.
func (st *Store) Put(user User) error {
	return st.db.Update(func(tx *bbolt.Tx) error { return putUser(tx, user) })
}

// ReplaceHash sets name's password hash to hash if it is still old: a
// password changed in the meantime stays.
func (st *Store) ReplaceHash(name, old, hash string) error {
	return st.db.Update(func(tx *bbolt.Tx) error {
		user, err := getUser(tx, name)
		if err != nil || user.PasswordHash != old {
			return err
		}
		user.PasswordHash = hash
		return putUser(tx, user)
	})
}

// EnsureAdmin creates the account "admin" in a store without people. It
// returns the password it set (password, or when empty a new random one
// to print once), or "" when people already exist.
func (st *Store) EnsureAdmin(password string, now time.Time) (string, error) {
	if password == "" {
		password = RandomToken(12)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	admin := User{Name: "admin", DisplayName: "Quản trị viên", Role: RoleAdmin, PasswordHash: hash, CreatedAt: now.UTC()}
	created := false
	err = st.db.Update(func(tx *bbolt.Tx) error {
		if k, _ := tx.Bucket(bucketUsers).Cursor().First(); k != nil {
			return nil
		}
		created = true
		return putUser(tx, admin)
	})
	if err != nil || !created {
		return "", err
	}
	return password, nil
}

// List is every person, by name.
func (st *Store) List() ([]User, error) {
	var out []User
	err := st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var user User
			if err := json.Unmarshal(v, &user); err != nil {
				return fmt.Errorf("decode user %s: %w", k, err)
			}
			out = append(out, user)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}
