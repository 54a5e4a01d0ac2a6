package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"
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

// maxTokenDays bounds a token's life when it is given one: ten years.
const maxTokenDays = 3650

// apiTokenPrefix marks API tokens, so they are never confused with the
// stations' tokens and are easy to find in a leaked file.
const apiTokenPrefix = "loa_api_"

var (
	bucketTokens    = []byte("web.tokens")       // id → JSON APIToken
	bucketTokenHash = []byte("web.tokens.index") // sha256(token) → id
	errNoToken      = errors.New("no such API token")
	errTokenDays    = &apiError{http.StatusUnprocessableEntity, "token_days", "Thời hạn của mã truy cập là từ 1 đến 3650 ngày", "A token's life is 1 to 3650 days", "expires_in_days"}
)

func migrateTokens(tx *bbolt.Tx) error {
	_, err1 := tx.CreateBucketIfNotExists(bucketTokens)
	_, err2 := tx.CreateBucketIfNotExists(bucketTokenHash)
	return errors.Join(err1, err2)
}

// tokenUser resolves a bearer token to the user it acts as: a user named
// after the token, with the token's role. A token stops working when it
// expires and while the person who created it is disabled or gone.
func (u *users) tokenUser(token string, now time.Time) (User, error) {
	var t APIToken
	err := u.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bucketTokenHash).Get(tokenKey(token))
		if id == nil {
			return errNoToken
		}
		return json.Unmarshal(tx.Bucket(bucketTokens).Get(id), &t)
	})
	if err != nil {
		return User{}, err
	}
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
		return User{}, errNoToken
	}
	creator, err := u.get(t.CreatedBy)
	if errors.Is(err, errNoUser) || err == nil && creator.Disabled {
		return User{}, errNoToken
	}
	if err != nil {
		return User{}, err
	}
	return User{Name: "token:" + t.Name, DisplayName: t.Name, Role: t.Role}, nil
}

type tokenRequest struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// ExpiresInDays gives the token a life of that many days (absent:
	// until revoked).
	ExpiresInDays *int `json:"expires_in_days"`
}

// createToken answers the new token once, with its record.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	req.Name = norm.NFC.String(strings.TrimSpace(req.Name))
	switch {
	case req.Name == "":
		return errFieldRequired.withField("name")
	case utf8.RuneCountInString(req.Name) > 100:
		return errFieldTooLong.withField("name")
	case roleRank[req.Role] == 0:
		return errFieldInvalid.withField("role")
	case req.ExpiresInDays != nil && (*req.ExpiresInDays < 1 || *req.ExpiresInDays > maxTokenDays):
		return errTokenDays
	}
	secret := apiTokenPrefix + randomToken(32)
	now := s.now().UTC()
	t := APIToken{ID: randomToken(9), Name: req.Name, Role: req.Role, CreatedBy: currentUser(r).Name, CreatedAt: now}
	if req.ExpiresInDays != nil {
		t.Expires = now.Add(time.Duration(*req.ExpiresInDays) * 24 * time.Hour)
	}
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	err = s.users.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketTokens).Put([]byte(t.ID), data); err != nil {
			return err
		}
		return tx.Bucket(bucketTokenHash).Put(tokenKey(secret), []byte(t.ID))
	})
	if err != nil {
		return err
	}
	s.audit(r, "token.create", "token/"+t.ID, nil, t)
	writeJSON(w, http.StatusCreated, struct {
		APIToken
		Token string `json:"token"`
	}{t, secret})
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	out := []APIToken{}
	err := s.users.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(_, v []byte) error {
			var t APIToken
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	if err != nil {
		return err
	}
	slices.SortFunc(out, func(a, b APIToken) int { return a.CreatedAt.Compare(b.CreatedAt) })
	writeJSON(w, http.StatusOK, out)
	return nil
}

// revokeToken deletes a token; requests with it fail from then on.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	var t APIToken
	err := s.users.db.Update(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketTokens).Get([]byte(id))
		if data == nil {
			return errNotFound
		}
		if err := json.Unmarshal(data, &t); err != nil {
			return err
		}
		c := tx.Bucket(bucketTokenHash).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if string(v) == id {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bucketTokens).Delete([]byte(id))
	})
	if err != nil {
		return err
	}
	s.audit(r, "token.revoke", "token/"+id, t, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
