// Package protocol is the wire protocol between the ward server and its
// station agents: the message types, their strict decoder and encoder,
// playlist hashing and the NTP-style clock offset estimate.
//
// Both the server hub and the agent import it, so it must stay small: it
// must not import the hub, the web layer, storage or any other package of
// ours, and it does no I/O. docs/protocol.md is its human description.
//
//loa:imports
//loa:forbid go.etcd.io/bbolt net/http
package protocol

// Version is the newest protocol version this package speaks; MinVersion the
// oldest it still accepts. They are negotiated in hello/welcome. Version 2
// adds the live_start/live_stop commands and the kind of an aired event; a
// server never sends a v2 command to a connection that negotiated v1.
const (
	Version    = 2
	MinVersion = 1
)

// Limits a conforming peer never exceeds; the decoder refuses anything larger.
const (
	MaxMessageBytes  = 1 << 20 // one websocket text frame
	MaxPlaylistItems = 2000
	MaxAiredBatch    = 1000
	MaxHeld          = 64 // playlists an agent may list in hello
	MaxFaults        = 16
	maxIDLen         = 64
	maxTextLen       = 300
	maxURLLen        = 1000
)

// Close codes used on the websocket close frame (RFC 6455 private range
// 4000–4999, plus the standard 1001 and 1009).
const (
	CloseGoingAway      = 1001 // server shutting down; reconnect with backoff
	CloseTooLarge       = 1009 // a frame above MaxMessageBytes
	CloseBadMessage     = 4000 // malformed JSON, unknown type or invalid field
	CloseBadVersion     = 4001 // no protocol version in common
	CloseOutOfOrder     = 4002 // seq not previous+1, or a message not allowed now
	CloseRevoked        = 4003 // the station's token was revoked or rotated
	CloseReplaced       = 4004 // a newer connection of the same station took over
	CloseTooSlow        = 4005 // the agent did not keep up with its send queue
	CloseStationRemoved = 4006 // the station was deleted or disabled
	CloseTooFast        = 4007 // more messages than the per-station rate allows; reconnect with backoff
	CloseInternal       = 4010 // server-side failure; reconnect with backoff
)
