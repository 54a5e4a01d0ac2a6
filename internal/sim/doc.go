// Package sim runs a simulated ward: the real server (stations, library,
// planner, playlist store, hub, ledger, reports, the HTTP API) and a real
// agent per station (its player, store and journal in a temporary
// directory), linked through in-memory pipes inside a testing/synctest
// bubble, so that a week of the ward runs in seconds of wall time.
//
// A seeded random operator acts through the HTTP API as a person would
// (approvals, archives, programme edits, emergencies and their stops) and
// disturbs the ward (links cut, agents killed and restarted, agents' clocks
// jumped); after every step an oracle checks what must always hold: every
// planned item that is due aired once with an outcome, nothing started
// before its instant, emergencies reached every online station in time,
// and the quarterly report equals a recount of the raw events.
//
// One seed gives one history: operator actions at the same virtual
// instants, and each agent's reconnect jitter drawn from the seed; see
// README (Testing) for how to replay one and run a soak.
package sim
