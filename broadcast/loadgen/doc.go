// Package loadgen measures the agent link under load: N simulated agents
// over loopback against a real hub (real stations, ledger and bbolt file),
// beside a bare gorilla/websocket broadcast of the same frame to the same N.
//
// The server side (Server) runs in its own process so that its memory per
// connection is measured alone; Run drives it from another process through
// small /bench/ control endpoints. It is a tool for `loa bench`, not part of
// the running server, and must not be imported by it.
package loadgen
