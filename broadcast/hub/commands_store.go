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
			p := &pendingCommand{data: r.Body, stationDty: &sc.dirty, state: CommandState{
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
// forgets on disk those trimmed from a station's list.
func (h *Hub) flushCommands() {
	var put []stations.CommandRecord
	var del []stations.CommandKey
	var written []*pendingCommand
	now := h.cfg.Now()
	h.cmdMu.Lock()
	for id, sc := range h.commands {
		if !sc.dirty.Swap(false) && len(sc.dropped) == 0 {
			continue
		}
		for _, cid := range sc.dropped {
			del = append(del, stations.CommandKey{StationID: id, ID: cid})
		}
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
	if err := h.stations.PutCommands(put, del); err != nil {
		h.log.Error("flush commands", "err", err, "commands", len(put), "dropped", len(del))
		for _, p := range written { // again at the next flush
			p.touch()
		}
	}
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
