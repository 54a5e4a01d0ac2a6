// Package stations owns the registry of speaker stations and groups: their
// validated settings, each station's access token (stored only as a hash)
// and its last known presence.
//
// It persists to bbolt behind Store and knows nothing of HTTP, websockets
// or playlists; the hub reports presence into it and listens for access
// changes (revocation, deletion) through Store.OnChange.
//
//loa:imports loa/internal/boltstore loa/internal/ward
//loa:forbid net/http github.com/gorilla/websocket
package stations
