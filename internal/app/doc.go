// Package app is Loa's composition root: it opens the data directory (one
// bbolt file, loa.db, and the content-addressed audio files beside it) and
// builds every part of the server from it — the library and the ingest
// pipeline, the station registry, the aired ledger, the playlist store and
// its planner, the agent hub, the live broadcasts' record, the report
// builder and the people who sign in (web/account) — with the adapters
// that connect them. `loa serve`, `loa demo`,
// `loa report`, `loa restore` and the tests build the server through it
// (the HTTP layer takes an *App whole: web.New), so there is one way the
// parts are put together.
//
// It owns the data directory, and so its backup and restore. It holds no
// domain logic of its own and knows nothing of HTTP: the web package sits
// on top of it.
//
//loa:forbid net/http
package app
