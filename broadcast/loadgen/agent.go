package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/protocol"
)

// simAgent is one simulated station: a real protocol client that acks
// playlists and commands and reports aired batches on demand. For the bare
// baseline it only records when a frame arrives.
type simAgent struct {
	idx    int
	token  string
	url    string
	bare   bool
	dialer *websocket.Dialer

	wmu  sync.Mutex // one writer at a time
	ws   *websocket.Conn
	seq  uint64
	held protocol.PlaylistRef

	gotFrame  atomic.Int64 // Unix ns a command (or bare frame) last arrived
	acks      chan protocol.AiredAck
	onAway    atomic.Pointer[func(*simAgent)] // the link ended (set during the storm)
	closeCode atomic.Int64
}

// dialer spreads agents over 127.0.0.1–127.0.0.16 so that 10,000 agents
// and their reconnections never run out of ephemeral ports.
func newDialer(idx int) *websocket.Dialer {
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+idx%16))}
	d := &net.Dialer{LocalAddr: local, Timeout: 30 * time.Second}
	return &websocket.Dialer{
		NetDialContext:   d.DialContext,
		HandshakeTimeout: 30 * time.Second,
		ReadBufferSize:   2048,
		WriteBufferSize:  2048,
	}
}

// connect dials, says hello and waits for the welcome, then starts the
// reader. The bare baseline has no handshake.
func (a *simAgent) connect(ctx context.Context) error {
	h := http.Header{}
	if a.token != "" {
		h.Set("Authorization", "Bearer "+a.token)
	}
	ws, resp, err := a.dialer.DialContext(ctx, a.url, h)
	if err != nil {
		if resp != nil {
			return fmt.Errorf("dial: %w (HTTP %d)", err, resp.StatusCode)
		}
		return fmt.Errorf("dial: %w", err)
	}
	a.wmu.Lock()
	a.ws, a.seq = ws, 0
	a.wmu.Unlock()
	if !a.bare {
		if err := a.handshake(); err != nil {
			ws.Close()
			return err
		}
	}
	go a.read(ws)
	return nil
}

func (a *simAgent) handshake() error {
	var held []protocol.PlaylistRef
	if a.held.Version != 0 {
		held = append(held, a.held)
	}
	if err := a.send(protocol.TypeHello, &protocol.Hello{Versions: []int{protocol.Version}, Agent: "loadgen", Held: held, SentMs: time.Now().UnixMilli()}); err != nil {
		return err
	}
	a.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, frame, err := a.ws.ReadMessage()
	if err != nil {
		return fmt.Errorf("read welcome: %w", err)
	}
	m, err := protocol.Decode(frame)
	if err != nil || m.Type != protocol.TypeWelcome {
		return fmt.Errorf("no welcome: %v", err)
	}
	a.ws.SetReadDeadline(time.Time{})
	return nil
}

func (a *simAgent) send(typ string, body any) error {
	data, err := protocol.EncodeBody(body)
	if err != nil {
		return err
	}
	return a.sendEncoded(typ, data)
}

func (a *simAgent) sendEncoded(typ string, data []byte) error {
	a.wmu.Lock()
	defer a.wmu.Unlock()
	a.seq++
	return a.ws.WriteMessage(websocket.TextMessage, protocol.Frame(typ, a.seq, data))
}

var commandPrefix = []byte(`{"type":"command",`)

func (a *simAgent) read(ws *websocket.Conn) {
	for {
		_, frame, err := ws.ReadMessage()
		if err != nil {
			a.ended(ws, err)
			return
		}
		// Arrival is stamped before anything else, as for the bare baseline.
		// The simulated agents share the server's cores, so they do as
		// little as they can: a real agent decodes and validates a command
		// on its own machine, here it only scans the id and acks.
		if a.bare {
			a.gotFrame.Store(time.Now().UnixNano())
			continue
		}
		if bytes.HasPrefix(frame, commandPrefix) {
			a.gotFrame.Store(time.Now().UnixNano())
			if err := a.ackCommand(frame); err != nil {
				ws.Close()
				return
			}
			continue
		}
		if err := a.handle(frame); err != nil {
			ws.Close()
			return
		}
	}
}

var commandID = []byte(`"data":{"id":"`)

// ackCommand acks a command frame as delivered without decoding it: the id
// is the first field of the command's body (protocol.Command's order).
func (a *simAgent) ackCommand(frame []byte) error {
	_, rest, ok := bytes.Cut(frame, commandID)
	id, _, ok2 := bytes.Cut(rest, []byte(`"`))
	if !ok || !ok2 {
		return fmt.Errorf("command frame without an id: %.80s", frame)
	}
	body := make([]byte, 0, len(id)+32)
	body = append(append(append(body, `{"id":"`...), id...), `","state":"delivered"}`...)
	return a.sendEncoded(protocol.TypeCommandAck, body)
}

func (a *simAgent) handle(frame []byte) error {
	m, err := protocol.Decode(frame)
	if err != nil {
		return err
	}
	switch b := m.Body.(type) {
	case *protocol.Command:
		return a.send(protocol.TypeCommandAck, &protocol.CommandAck{ID: b.ID, State: protocol.StateDelivered})
	case *protocol.Playlist:
		a.held = b.Ref()
		return a.send(protocol.TypePlaylistAck, &protocol.PlaylistAck{PlaylistRef: b.Ref()})
	case *protocol.AiredAck:
		a.acks <- *b
	}
	return nil
}

// ended records how the link ended and, during the storm, reconnects as a
// real agent does after any loss of the link (a close frame may not make it
// out of a loaded server before its socket closes).
func (a *simAgent) ended(ws *websocket.Conn, err error) {
	ws.Close()
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		a.closeCode.Store(int64(ce.Code))
	}
	if f := a.onAway.Load(); f != nil {
		(*f)(a)
	}
}

func (a *simAgent) close() {
	a.wmu.Lock()
	defer a.wmu.Unlock()
	if a.ws != nil {
		a.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		a.ws.Close()
	}
}
