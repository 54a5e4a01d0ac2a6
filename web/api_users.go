package web

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"loa/web/account"
)

// userAdminView is a user as the users page sees it.
type userAdminView struct {
	userView
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

func adminViewOf(u User) userAdminView {
	return userAdminView{userView: viewOf(u), Disabled: u.Disabled, CreatedAt: u.CreatedAt}
}

// userForm is the body of POST /api/users and PATCH /api/users/{name}:
// on an edit, absent fields stay as they are and an empty password keeps
// the old one.
type userForm struct {
	Name        string    `json:"name"`
	DisplayName *string   `json:"display_name"`
	Role        *Role     `json:"role"`
	Groups      *[]string `json:"groups"`
	Disabled    *bool     `json:"disabled"`
	Password    string    `json:"password"`
}

const minPasswordLen = 8

var (
	userNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

	errUserExists       = &apiError{http.StatusConflict, "user_exists", "Tên đăng nhập này đã có người dùng", "This user name is taken", "name"}
	errUserName         = &apiError{http.StatusUnprocessableEntity, "user_name", "Tên đăng nhập gồm 2–32 chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới", "A user name is 2–32 lower-case letters, digits, dots, dashes or underscores", "name"}
	errPasswordShort    = &apiError{http.StatusUnprocessableEntity, "password_too_short", "Mật khẩu phải có ít nhất 8 ký tự", "The password needs at least 8 characters", "password"}
	errUnknownRole      = &apiError{http.StatusUnprocessableEntity, "unknown_role", "Vai trò không hợp lệ", "Unknown role", "role"}
	errSelfLockout      = &apiError{http.StatusConflict, "self_lockout", "Bạn không thể tự khoá hoặc hạ quyền tài khoản quản trị của chính mình", "You cannot disable or demote your own admin account", "role"}
	errDisplayNameLong  = &apiError{http.StatusUnprocessableEntity, "too_long", "Nội dung quá dài", "Too long", "display_name"}
	errGroupsOnlyLimits = &apiError{http.StatusUnprocessableEntity, "groups_not_applicable", "Chỉ biên tập viên và lãnh đạo duyệt mới giới hạn theo cụm", "Only editors and approvers are limited to groups", "groups"}
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	list, err := s.users.List()
	if err != nil {
		return err
	}
	out := make([]userAdminView, 0, len(list))
	for _, u := range list {
		out = append(out, adminViewOf(u))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var f userForm
	if err := readJSON(w, r, &f); err != nil {
		return err
	}
	u := User{Name: strings.TrimSpace(f.Name), Role: RoleViewer, CreatedAt: s.now().UTC()}
	if !userNamePattern.MatchString(u.Name) {
		return errUserName
	}
	if _, err := s.users.User(u.Name); err == nil {
		return errUserExists
	} else if !errors.Is(err, account.ErrNoUser) {
		return err
	}
	if utf8.RuneCountInString(f.Password) < minPasswordLen {
		return errPasswordShort
	}
	if err := f.apply(&u); err != nil {
		return err
	}
	if err := s.setPassword(&u, f.Password); err != nil {
		return err
	}
	if err := s.users.Put(u); err != nil {
		return err
	}
	s.log.Info("user created", "name", u.Name, "role", u.Role, "by", currentUser(r).Name)
	s.audit(r, "user.create", "user/"+u.Name, nil, adminViewOf(u))
	writeJSON(w, http.StatusCreated, adminViewOf(u))
	return nil
}

func (s *Server) editUser(w http.ResponseWriter, r *http.Request) error {
	var f userForm
	if err := readJSON(w, r, &f); err != nil {
		return err
	}
	u, err := s.users.User(r.PathValue("name"))
	if errors.Is(err, account.ErrNoUser) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	before := adminViewOf(u)
	if err := f.apply(&u); err != nil {
		return err
	}
	if u.Name == currentUser(r).Name && (u.Disabled || u.Role != RoleAdmin) {
		return errSelfLockout
	}
	if f.Password != "" {
		if utf8.RuneCountInString(f.Password) < minPasswordLen {
			return errPasswordShort
		}
		if err := s.setPassword(&u, f.Password); err != nil {
			return err
		}
	}
	if err := s.users.Put(u); err != nil {
		return err
	}
	if f.Password != "" || u.Disabled {
		// A reset or a disabled account ends the person's sessions (but
		// the admin's own request, when resetting their own password).
		if err := s.users.EndSessionsOf(u.Name, currentSession(r)); err != nil {
			return err
		}
	}
	s.log.Info("user changed", "name", u.Name, "role", u.Role, "disabled", u.Disabled, "by", currentUser(r).Name)
	s.audit(r, "user.edit", "user/"+u.Name, before, adminViewOf(u))
	writeJSON(w, http.StatusOK, adminViewOf(u))
	return nil
}

// apply checks and copies the fields present in f onto u.
func (f userForm) apply(u *User) error {
	if f.DisplayName != nil {
		name := norm.NFC.String(strings.TrimSpace(*f.DisplayName))
		if utf8.RuneCountInString(name) > 100 {
			return errDisplayNameLong
		}
		u.DisplayName = name
	}
	if f.Role != nil {
		if !f.Role.Valid() {
			return errUnknownRole
		}
		u.Role = *f.Role
	}
	if f.Groups != nil {
		u.Groups = cleanGroups(*f.Groups)
	}
	if len(u.Groups) > 0 && u.Role != RoleEditor && u.Role != RoleApprover {
		return errGroupsOnlyLimits
	}
	if f.Disabled != nil {
		u.Disabled = *f.Disabled
	}
	return nil
}

func cleanGroups(in []string) []string {
	var out []string
	for _, g := range in {
		if g = strings.TrimSpace(g); g != "" && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

func (s *Server) setPassword(u *User, password string) error {
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return nil
}
