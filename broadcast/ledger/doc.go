// Package ledger stores the aired events stations report: each event once
// (deduplicated by station and event id), with a snapshot of what aired
// (title, topic, level, kind, duration, station, groups) so that history never
// changes when content is edited later.
//
// Record returns only after a durable commit, and concurrent callers share
// commits (group commit), so acking after Record is safe and cheap. The
// package knows nothing of websockets or HTTP; reports read it through
// Between, StationsBetween (some stations' events alone, through a
// station index) and the rollups.
//
//loa:forbid net/http github.com/gorilla/websocket
package ledger
