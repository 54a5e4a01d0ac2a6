// Package account keeps the people who use Loa's web interface and what
// they leave behind: users and their roles, password hashes (argon2id),
// sessions, API tokens, the audit log of every change they make, and the
// ward's settings of who may do what (self-approval, who may send an
// emergency).
//
// It persists to bbolt behind Store, under the buckets and schema name
// ("web") it had when it lived in package web, so databases written before
// open as they were. It knows nothing of HTTP, cookies or the wording of
// errors: web signs people in with it and words its answers. Although its
// folder is web's, it sits on the floor under internal/app, which opens it.
//
//loa:imports loa/internal/boltstore
//loa:forbid net/http
package account
