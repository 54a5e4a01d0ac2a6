// Package alert decides what an operator must look at now: stations
// offline or silent, playlists that did not reach their station, items
// missed today, planned items overdue (their instant and duration passed
// with no aired event: silence is never green), agents whose next item is
// not the plan's, emergency commands delivered but not playing, and a data
// disk running out. One Checker computes them for every reader (the
// overview, GET /api/alerts, /metrics and the webhook), so that all agree.
//
// Every check is a plain function of its inputs and an instant now: no
// check reads the wall clock. Watch is the webhook job's body: it turns
// the alerts of successive runs into "firing" and "resolved" events and
// delivers them in order.
//
// It reads the station registry, the hub's presence and commands, the
// aired ledger and the playlist store, and writes none of them. It must
// not import web nor know of HTML, sessions or the pages: the words a
// person reads come from the caller (Wording). It serves no HTTP; its one
// use of net/http is the webhook's client.
//
//loa:forbid html/template loa/web/... loa/internal/app/...
package alert
