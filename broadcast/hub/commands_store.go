package hub

import (
	"time"

	"loa/stations"
)

// Commands are kept on disk (in the station registry) the way presence is:
// written behind, every PresenceFlush, only what changed. A restart then
// loses neither what operators watch nor a command still waiting for an
// offline station; a command that was sent but not yet acknowledged is
// sent again on reconnect, and the agent runs a command id only once.

// loadCommands restores the kept commands; a state this build does not
// know is skipped.
func (h *Hub) loadCommands() error {
	all, err := h.stations.AllCommands()
	if err != nil {
		return err
	}
	for id, recs := range all {
		sc := &stationCommands{}
		for _, r := range recs[max(0, len(recs)-keepCommands):] {
			code := stateCode(r.State)
			if code < 0 {
				continue
			}
			p := &pendingCommand{data: r.Body, stationDirty: &sc.dirty, state: CommandState{
				ID: r.ID, StationID: id, Kind: r.Kind, Error: r.Error,
				Created: r.Created.UTC(), Expires: r.Expires.UTC(),
			}}
			p.code.Store(code)
			p.updated.Store(r.Updated.UnixNano())
			sc.list = append(sc.list, p)
		}
		h.commands[id] = sc
	}
	return nil
}

// flushCommands writes the commands that changed since the last flush, and
// forgets on disk those trimmed from a station's list: at most limit of them
// (0: all), the rest at the next flush.
func (h *Hub) flushCommands(limit int) {
	var put []stations.CommandRecord
	var del []stations.CommandKey
	var written []*pendingCommand
	now := h.cfg.Now()
	h.cmdMu.Lock()
	for _, sc := range h.commands {
		if limit > 0 && len(put) >= limit {
			break
		}
		if !sc.dirty.Swap(false) && len(sc.dropped) == 0 {
			continue
		}
		del = append(del, sc.dropped...)
		sc.dropped = nil
		for _, p := range sc.list {
			if p.dirty.Swap(false) {
				put = append(put, p.record(now))
				written = append(written, p)
			}
		}
	}
	h.cmdMu.Unlock()
	if len(put)+len(del) == 0 {
		return
	}
	if err := h.stations.PutCommands(nil, del); err != nil {
		h.log.Error("flush commands", "err", err, "dropped", len(del))
	}
	// In transactions of flushChunk, so that the aired ledger's commits
	// (the same bbolt file, one writer at a time) wait milliseconds, not
	// the whole flush after an emergency to every station.
	for i := 0; i < len(put); i += flushChunk {
		j := min(i+flushChunk, len(put))
		if err := h.stations.PutCommands(put[i:j], nil); err != nil {
			h.log.Error("flush commands", "err", err, "commands", j-i)
			for _, p := range written[i:j] { // again at the next flush
				p.touch()
			}
		}
	}
}

// flushChunk is how many commands one flush transaction writes at most;
// flushLimit how many one periodic flush writes (an emergency to a
// province's every station is written over a few flushes, not in one burst).
const (
	flushChunk = 1000
	flushLimit = 5_000
)

// flushCommandsNow reports whether the periodic flush should run: not while
// a command is being sent to many stations (the write-behind waits for the
// burst to pass rather than take CPU from it).
func (h *Hub) flushCommandsNow() bool {
	return h.cfg.Now().Sub(time.Unix(0, h.lastSend.Load())) > 2*time.Second
}

// record is the command as kept on disk; its body only while it may still
// have to be sent.
func (p *pendingCommand) record(now time.Time) stations.CommandRecord {
	v := p.view()
	r := stations.CommandRecord{StationID: v.StationID, ID: v.ID, Kind: v.Kind, State: v.State, Error: v.Error,
		Created: v.Created, Updated: v.Updated, Expires: v.Expires}
	if rank(p.code.Load()) <= rank(stateCode(StateSent)) && now.Before(v.Expires) {
		r.Body = p.data
	}
	return r
}
