// Package playlist owns the schedules (programmes of slots) and turns them,
// with the approved segments of the library and what actually aired, into a
// timed playlist for every station and local day: exact UTC start instants,
// a loudness gain per item, and the reason every item is there or was left
// out. It keeps every version of every playlist it built, and runs the
// planner: a nightly gocron job that builds the days ahead, and rebuilds of
// the stations a change concerns, coalesced.
//
// It is pure scheduling logic plus its bbolt store: it must not know about
// HTTP, websockets, the station registry or the agent protocol. Stations
// arrive as plain values (Station), aired history through the History
// interface, and "these stations' playlists changed" leaves through a
// callback that the wiring in cmd/loa connects to the broadcast hub.
//
//loa:imports loa/playlist/... loa/audio/... loa/internal/boltstore loa/internal/ward
//loa:forbid net/http github.com/gorilla/websocket
package playlist
