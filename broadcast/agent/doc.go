// Package agent is the station agent's logic: it keeps the playlists of the
// days ahead and their audio in a local cache, plays each item at its
// planned instant through an audio/playback Output (a relay item: a radio
// stream fetched over HTTP for its slot, the library filling in when the
// stream fails), journals every proof of play durably before sending it,
// and keeps the link to the ward server (hello/welcome, clock offset,
// playlists, commands, aired reports, status), reconnecting with backoff.
// It keeps playing from the cache when the server cannot be reached.
//
// It speaks to the server only through broadcast/protocol, HTTP and the
// websocket; it must not import the hub, the ledger, the web layer, stations
// or playlist (the agent binary stays small and free of server code).
//
//loa:forbid loa/broadcast/hub/... loa/broadcast/ledger loa/broadcast/report loa/broadcast/live loa/stations loa/playlist/...
package agent
