package hub

import (
	"errors"
	"fmt"
	"time"

	"loa/broadcast/protocol"
)

// Server-side command states; the agent reports the protocol.State* ones.
// A state only ever moves forward: queued → sent → delivered → playing →
// done | failed (or expired, when it was never delivered in time).
const (
	StateQueued  = "queued"  // the station was offline; sent when it connects
	StateSent    = "sent"    // written to the agent's socket
	StateExpired = "expired" // never delivered before its expiry
)

var stateRank = map[string]int{
	StateQueued: 0, StateSent: 1, protocol.StateDelivered: 2, protocol.StatePlaying: 3,
	protocol.StateDone: 4, protocol.StateFailed: 4, StateExpired: 4,
}

// keepCommands bounds the commands remembered per station.
const keepCommands = 64

// CommandState is one command's delivery to one station.
type CommandState struct {
	ID        string    `json:"id"`
	StationID string    `json:"station_id"`
	Kind      string    `json:"kind"`
	State     string    `json:"state"`
	Error     string    `json:"error,omitempty"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	Expires   time.Time `json:"expires"`
}

type pendingCommand struct {
	state CommandState
	data  []byte // encoded body, kept for resending on reconnect
}

type stationCommands struct {
	list []*pendingCommand // oldest first
}

func (sc *stationCommands) find(id string) *pendingCommand {
	for _, p := range sc.list {
		if p.state.ID == id {
			return p
		}
	}
	return nil
}

// ErrInvalidCommand wraps why a command was refused before sending.
var ErrInvalidCommand = errors.New("invalid command")

// SendCommand delivers cmd to each station: at once to live connections, on
// connect to the others (until it expires). The body is encoded once for
// all stations. A zero ExpiresMs means now + CommandTTL.
func (h *Hub) SendCommand(cmd protocol.Command, stationIDs ...string) error {
	now := h.cfg.Now()
	if cmd.ExpiresMs == 0 {
		cmd.ExpiresMs = now.Add(h.cfg.CommandTTL).UnixMilli()
	}
	frame, err := protocol.Encode(protocol.TypeCommand, 1, &cmd)
	if err == nil {
		_, err = protocol.Decode(frame)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidCommand, err)
	}
	data, _ := protocol.EncodeBody(&cmd)
	h.cmdMu.Lock()
	for _, id := range stationIDs {
		h.addCommand(id, cmd, data, now)
	}
	h.cmdMu.Unlock()
	targets := make([]*conn, 0, len(stationIDs))
	h.mu.Lock()
	for _, id := range stationIDs {
		if c := h.conns[id]; c != nil {
			targets = append(targets, c)
		}
	}
	h.mu.Unlock()
	for _, c := range targets {
		c.enqueue(outMsg{typ: protocol.TypeCommand, data: data, command: cmd.ID})
	}
	return nil
}

func (h *Hub) addCommand(stationID string, cmd protocol.Command, data []byte, now time.Time) {
	sc := h.commands[stationID]
	if sc == nil {
		sc = &stationCommands{}
		h.commands[stationID] = sc
	}
	if sc.find(cmd.ID) != nil {
		return
	}
	if len(sc.list) >= keepCommands {
		sc.list = append(sc.list[:0], sc.list[1:]...)
	}
	sc.list = append(sc.list, &pendingCommand{data: data, state: CommandState{
		ID: cmd.ID, StationID: stationID, Kind: cmd.Kind, State: StateQueued,
		Created: now.UTC(), Updated: now.UTC(), Expires: time.UnixMilli(cmd.ExpiresMs).UTC(),
	}})
}

// advance moves a command's state forward; going back is ignored.
func (h *Hub) advance(stationID, id, state, errText string) {
	sc := h.commands[stationID]
	if sc == nil {
		return
	}
	p := sc.find(id)
	if p == nil || stateRank[state] <= stateRank[p.state.State] {
		return
	}
	p.state.State, p.state.Error, p.state.Updated = state, errText, h.cfg.Now().UTC()
}

func (h *Hub) commandSent(stationID, id string) {
	h.cmdMu.Lock()
	defer h.cmdMu.Unlock()
	h.advance(stationID, id, StateSent, "")
}

func (h *Hub) commandAcked(stationID string, a *protocol.CommandAck, _ time.Time) {
	h.cmdMu.Lock()
	defer h.cmdMu.Unlock()
	h.advance(stationID, a.ID, a.State, a.Error)
}

// resendCommands queues, on a new connection, the commands the station has
// not confirmed yet and that have not expired.
func (h *Hub) resendCommands(c *conn) {
	now := h.cfg.Now()
	var msgs []outMsg
	h.cmdMu.Lock()
	if sc := h.commands[c.stationID]; sc != nil {
		for _, p := range sc.list {
			if stateRank[p.state.State] > stateRank[StateSent] {
				continue
			}
			if now.After(p.state.Expires) {
				p.state.State, p.state.Updated = StateExpired, now.UTC()
				continue
			}
			msgs = append(msgs, outMsg{typ: protocol.TypeCommand, data: p.data, command: p.state.ID})
		}
	}
	h.cmdMu.Unlock()
	for _, m := range msgs[max(0, len(msgs)-(h.cfg.SendQueue-2)):] {
		c.enqueue(m)
	}
}

// Commands returns a station's recent commands, oldest first.
func (h *Hub) Commands(stationID string) []CommandState {
	h.cmdMu.Lock()
	defer h.cmdMu.Unlock()
	sc := h.commands[stationID]
	if sc == nil {
		return nil
	}
	out := make([]CommandState, len(sc.list))
	for i, p := range sc.list {
		out[i] = p.state
	}
	return out
}

// CommandSummary counts, for one command id, how many stations are in each
// state — what an operator watches after an emergency broadcast.
func (h *Hub) CommandSummary(id string) map[string]int {
	h.cmdMu.Lock()
	defer h.cmdMu.Unlock()
	out := map[string]int{}
	for _, sc := range h.commands {
		if p := sc.find(id); p != nil {
			out[p.state.State]++
		}
	}
	return out
}
