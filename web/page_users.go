package web

import (
	"net/http"

	"loa/web/account"
)

func (s *Server) usersPage(r *http.Request, p *pageData) (string, error) {
	list, err := s.users.List()
	if err != nil {
		return "", err
	}
	live, err := s.users.LiveSessions(s.now())
	if err != nil {
		return "", err
	}
	type row struct {
		User
		Fill     string
		Sessions int // live ones
	}
	rows := make([]row, 0, len(list))
	for _, u := range list {
		rows = append(rows, row{User: u, Sessions: live[u.Name], Fill: mustJSON(map[string]any{
			"display_name": u.DisplayName, "role": u.Role, "groups": u.Groups, "disabled": u.Disabled, "password": "",
		})})
	}
	rules, err := s.approvalRules()
	if err != nil {
		return "", err
	}
	p.Title, p.Data = "users.title", map[string]any{"Users": rows, "Roles": account.Roles(),
		"Names": s.wardNames(p.Lang), "Approval": rules,
		"SelfApproval": []string{account.SelfApprovalAuto, account.SelfApprovalForbidden, account.SelfApprovalAllowed}}
	return "users", nil
}
