// Package boltstore is the one open-and-migrate loop of Loa's bbolt
// stores. Every store (library, playlist, stations, ledger, live, the web
// users, the agent's journal) keeps its schema version under its own key
// in the database's shared "meta" bucket and brings its buckets up to date
// with its own ordered migrations when it opens; a database written by a
// newer version is refused rather than misread.
//
// Each package keeps owning its buckets and its migrations: it describes
// them as a Schema and calls Migrate. Versions reads every store's version
// back (loa doctor). The package imports nothing of Loa's, so the agent
// binary may use it.
//
//loa:imports
package boltstore
