// Package broadcast holds no code: its folder is the floor between the
// domain packages (audio, playlist, stations) and the web layer. Below it:
// the agent protocol (protocol), the station agent (agent), the server end
// of the agent link (hub), the aired ledger (ledger), live broadcasts
// (live), the period reports (report) and the load generator (loadgen).
// They may use the domain packages and each other, as their own package
// comments allow, but never the web layer or the composition root.
//
//loa:forbid loa/web/... loa/internal/app/...
package broadcast
