package web

import "loa/web/account"

// The people who sign in, their sessions and API tokens, the audit log and
// the ward's settings are kept by package account, which internal/app
// opens (app.App.Accounts); web signs people in with it and words its
// answers. These names are account's, as web's handlers know them.
type (
	Role       = account.Role
	User       = account.User
	AuditEntry = account.AuditEntry
	APIToken   = account.APIToken
)

const (
	RoleViewer   = account.RoleViewer   // reads reports and the library
	RoleEditor   = account.RoleEditor   // uploads and edits announcements
	RoleApprover = account.RoleApprover // approves or rejects
	RoleAdmin    = account.RoleAdmin    // stations, schedules, users
)
