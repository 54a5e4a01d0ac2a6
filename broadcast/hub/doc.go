// Package hub is the server end of the agent link: it upgrades a station's
// authenticated request to a websocket, runs one reader and one writer
// goroutine per connection, pushes playlists and commands, stores aired
// reports through the ledger and keeps each station's presence.
//
// It never blocks on a slow agent (bounded queues; a full queue closes that
// connection), never lets a connection act for another station, and knows
// nothing of HTML or sessions: the web layer mounts ServeHTTP and
// AudioHandler and calls Publish, SendCommand and the query methods.
//
//loa:forbid html/template loa/playlist/...
package hub
