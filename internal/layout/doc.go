// Package layout checks the import rules of the tree. The rules live in
// the package comments they belong to, as directives beside the prose that
// explains them, and hold for the package and every package below its
// folder:
//
//	//loa:imports PATTERN...  the only packages of ours it may import (none if no pattern)
//	//loa:forbid PATTERN...   packages it must not import, ours or not
//	//loa:deps PATTERN...     the only packages of ours it may link, directly or not
//
// A pattern is an import path, or a path followed by "/..." for that
// package and everything below it. The test (go test ./internal/layout)
// reads every package with `go list -json ./...` and fails on each import
// a rule forbids. This package has no code of its own.
//
//loa:imports
package layout
