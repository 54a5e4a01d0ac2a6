package web

import (
	"net/http"
	"slices"
)

// Who may send an emergency is the ward's setting: the roles listed may
// open the emergency page and send (and stop) an emergency through POST
// /api/commands. A ward expects the leader on duty to be able to, so the
// default is approvers and administrators (account.DefaultEmergencyRoles);
// an administrator always may.

// sender is the access of the routes that send an emergency (routes.go).
const sender access = "sender"

var errEmergencyRoles = &apiError{http.StatusUnprocessableEntity, "invalid",
	"Vai trò không hợp lệ; chọn trong: viewer, editor, approver, admin",
	"Unknown role; choose among viewer, editor, approver, admin", "roles"}

// emergencySettings is the body of GET and PUT /api/settings/emergency.
type emergencySettings struct {
	Roles []Role `json:"roles"` // who may send an emergency; admin always
}

// maySendEmergency reports whether u's role is one the setting lists.
func (s *Server) maySendEmergency(u User) (bool, error) {
	roles, err := s.users.EmergencyRoles()
	return slices.Contains(roles, u.Role), err
}

// requireSender lets through a person the emergency setting allows; the
// route's guard has already signed them in (routes.go).
func (s *Server) requireSender(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ok, err := s.maySendEmergency(currentUser(r))
		if err != nil {
			return err
		}
		if !ok {
			return errForbidden
		}
		return h(w, r)
	}
}

func (s *Server) getEmergencySettings(w http.ResponseWriter, r *http.Request) error {
	roles, err := s.users.EmergencyRoles()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, emergencySettings{Roles: roles})
	return nil
}

func (s *Server) putEmergencySettings(w http.ResponseWriter, r *http.Request) error {
	var req emergencySettings
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	if req.Roles == nil { // an empty list is admin only; a missing one is a mistake
		return errFieldRequired.withField("roles")
	}
	for _, role := range req.Roles {
		if !role.Valid() {
			return errEmergencyRoles
		}
	}
	before, err := s.users.EmergencyRoles()
	if err != nil {
		return err
	}
	roles, err := s.users.SetEmergencyRoles(req.Roles)
	if err != nil {
		return err
	}
	s.audit(r, "settings.emergency", "settings/emergency", emergencySettings{before}, emergencySettings{roles})
	writeJSON(w, http.StatusOK, emergencySettings{Roles: roles})
	return nil
}
