// Package live owns an operator's live broadcast while it happens: a
// session takes raw PCM frames from one speaker (the operator's browser),
// hands each frame to every station listening through a bounded
// per-listener queue — a listener that falls behind is dropped, never
// waited for, so one slow station cannot delay the others — and records
// the frames to a WAV file for the library. A Store remembers, after the
// fact, which library segment each session became, so that the aired
// events of a session (item_id = the session id) resolve to it.
//
// It must not know about HTTP, websockets, the library or the hub: the web
// layer feeds sessions, serves listeners and ingests the recording.
//
//loa:forbid net/http github.com/gorilla/websocket loa/playlist/... loa/broadcast/hub
package live
