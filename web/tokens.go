package web

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"loa/web/account"
)

// maxTokenDays bounds a token's life when it is given one: ten years.
const maxTokenDays = 3650

var errTokenDays = &apiError{http.StatusUnprocessableEntity, "token_days", "Thời hạn của mã truy cập là từ 1 đến 3650 ngày", "A token's life is 1 to 3650 days", "expires_in_days"}

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
	case !req.Role.Valid():
		return errFieldInvalid.withField("role")
	case req.ExpiresInDays != nil && (*req.ExpiresInDays < 1 || *req.ExpiresInDays > maxTokenDays):
		return errTokenDays
	}
	now := s.now().UTC()
	t := APIToken{Name: req.Name, Role: req.Role, CreatedBy: currentUser(r).Name, CreatedAt: now}
	if req.ExpiresInDays != nil {
		t.Expires = now.Add(time.Duration(*req.ExpiresInDays) * 24 * time.Hour)
	}
	t, secret, err := s.users.CreateToken(t)
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
	out, err := s.users.Tokens()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// revokeToken deletes a token; requests with it fail from then on.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	t, err := s.users.RevokeToken(id)
	if errors.Is(err, account.ErrNoToken) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	s.audit(r, "token.revoke", "token/"+id, t, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
