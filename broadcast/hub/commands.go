package hub

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"loa/broadcast/protocol"
	"loa/stations"
)

// Server-side command states; the agent reports the protocol.State* ones.
// A state only ever moves forward: queued → sent → delivered → playing →
// done | failed (or expired, when it was never delivered in time).
const (
	StateQueued  = "queued"  // the station was offline; sent when it connects
	StateSent    = "sent"    // written to the agent's socket
	StateExpired = "expired" // never delivered before its expiry
)

// states in order; a state's rank is how far along it is.
var states = []string{StateQueued, StateSent, protocol.StateDelivered, protocol.StatePlaying,
	protocol.StateDone, protocol.StateFailed, StateExpired}

func rank(code int32) int32 { return min(code, 4) } // done, failed and expired are final

func stateCode(state string) int32 {
	for i, s := range states {
		if s == state {
			return int32(i)
		}
	}
	return -1
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

// pendingCommand is one command to one station. Its state moves forward
// with a compare-and-swap, so that 10,000 writers marking it sent take no
// lock; the rest is guarded by Hub.cmdMu.
type pendingCommand struct {
	state   CommandState // State and Updated are not kept here: see code, updated
	code    atomic.Int32 // index in states
	updated atomic.Int64 // Unix ns
	data    []byte       // encoded body, kept for resending on reconnect

	dirty        atomic.Bool  // changed since it was last stored
	stationDirty *atomic.Bool // its station's flag: some command of it changed
}

// advance moves the state forward; going back or sideways is ignored.
func (p *pendingCommand) advance(state string, now time.Time) bool {
	next := stateCode(state)
	for {
		cur := p.code.Load()
		if next < 0 || rank(next) <= rank(cur) {
			return false
		}
		if p.code.CompareAndSwap(cur, next) {
			p.updated.Store(now.UnixNano())
			p.touch()
			return true
		}
	}
}

// touch marks the command for the next flush to disk.
func (p *pendingCommand) touch() {
	p.dirty.Store(true)
	p.stationDirty.Store(true)
}

func (p *pendingCommand) view() CommandState {
	st := p.state
	st.State = states[p.code.Load()]
	st.Updated = time.Unix(0, p.updated.Load()).UTC()
	return st
}

type stationCommands struct {
	list    []*pendingCommand     // oldest first
	dirty   atomic.Bool           // a command changed since the last flush
	dropped []stations.CommandKey // trimmed from list, still on disk
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
	h.lastSend.Store(now.UnixNano())
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
	pending := make([]*pendingCommand, len(stationIDs))
	h.cmdMu.Lock()
	for i, id := range stationIDs {
		pending[i] = h.addCommand(id, cmd, data, now)
	}
	h.cmdMu.Unlock()
	targets := make([]commandTarget, 0, len(stationIDs))
	h.mu.Lock()
	for i, id := range stationIDs {
		if c := h.conns[id]; c != nil {
			targets = append(targets, commandTarget{c, pending[i]})
		}
	}
	h.mu.Unlock()
	fanOut(targets, func(t commandTarget) {
		if h.refuseOld(t.conn, t.cmd, cmd.Kind) {
			return
		}
		m := outMsg{typ: protocol.TypeCommand, data: data, command: t.cmd}
		if !t.conn.tryWrite(m) {
			t.conn.enqueue(m)
		}
	})
	return nil
}

// fanOutShard is the fewest connections worth a goroutine of their own.
const fanOutShard = 256

// fanOut runs send for every target, split between a few goroutines per
// CPU: a socket write is a system call (most of a broadcast's cost), so on
// a multi-core server an emergency reaches the last station sooner; and a
// socket that is full holds up only its own shard (for up to
// directWriteTimeout), not every station after it.
func fanOut[T any](targets []T, send func(T)) {
	n := min(8*runtime.GOMAXPROCS(0), (len(targets)+fanOutShard-1)/fanOutShard)
	if n <= 1 {
		for _, t := range targets {
			send(t)
		}
		return
	}
	var wg sync.WaitGroup
	for i := range n {
		shard := targets[i*len(targets)/n : (i+1)*len(targets)/n]
		wg.Go(func() {
			for _, t := range shard {
				send(t)
			}
		})
	}
	wg.Wait()
}

// refuseOld fails a command the connection's protocol version cannot carry
// (a v1 agent knows no live broadcast) instead of sending it.
func (h *Hub) refuseOld(c *conn, p *pendingCommand, kind string) bool {
	if c.version >= protocol.CommandSince(kind) {
		return false
	}
	h.cmdMu.Lock()
	p.failOld(c.version, h.cfg.Now())
	h.cmdMu.Unlock()
	return true
}

// failOld marks the command failed for want of a newer agent; cmdMu is held.
func (p *pendingCommand) failOld(version int, now time.Time) {
	if p.advance(protocol.StateFailed, now) {
		p.state.Error = fmt.Sprintf("the agent speaks protocol v%d; %s needs v%d: update the agent", version, p.state.Kind, protocol.CommandSince(p.state.Kind))
	}
}

type commandTarget struct {
	conn *conn
	cmd  *pendingCommand
}

func (h *Hub) addCommand(stationID string, cmd protocol.Command, data []byte, now time.Time) *pendingCommand {
	sc := h.commands[stationID]
	if sc == nil {
		sc = &stationCommands{}
		h.commands[stationID] = sc
	}
	if p := sc.find(cmd.ID); p != nil {
		return p
	}
	if len(sc.list) >= keepCommands {
		old := sc.list[0].state
		sc.dropped = append(sc.dropped, stations.CommandKey{StationID: stationID, ID: old.ID, Created: old.Created})
		sc.list = append(sc.list[:0], sc.list[1:]...)
	}
	p := &pendingCommand{data: data, stationDirty: &sc.dirty, state: CommandState{
		ID: cmd.ID, StationID: stationID, Kind: cmd.Kind,
		Created: now.UTC(), Expires: time.UnixMilli(cmd.ExpiresMs).UTC(),
	}}
	p.updated.Store(now.UnixNano())
	p.touch()
	sc.list = append(sc.list, p)
	return p
}

func (h *Hub) commandAcked(stationID string, a *protocol.CommandAck, recv time.Time) {
	h.cmdMu.Lock()
	defer h.cmdMu.Unlock()
	if sc := h.commands[stationID]; sc != nil {
		if p := sc.find(a.ID); p != nil && p.advance(a.State, recv) && a.Error != "" {
			p.state.Error = a.Error
		}
	}
}

// resendCommands queues, on a new connection, the commands the station has
// not confirmed yet and that have not expired.
func (h *Hub) resendCommands(c *conn) {
	now := h.cfg.Now()
	var msgs []outMsg
	h.cmdMu.Lock()
	if sc := h.commands[c.stationID]; sc != nil {
		for _, p := range sc.list {
			if rank(p.code.Load()) > rank(stateCode(StateSent)) {
				continue
			}
			if now.After(p.state.Expires) {
				p.advance(StateExpired, now)
				continue
			}
			if c.version < protocol.CommandSince(p.state.Kind) {
				p.failOld(c.version, now)
				continue
			}
			msgs = append(msgs, outMsg{typ: protocol.TypeCommand, data: p.data, command: p})
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
		out[i] = p.view()
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
			out[states[p.code.Load()]]++
		}
	}
	return out
}
