package hub

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/protocol"
	"loa/stations"
)

// outMsg is one frame waiting for the writer, which numbers it. data is an
// encoded body, shared between connections for a broadcast.
type outMsg struct {
	typ     string
	data    []byte
	clock   *protocol.ClockSample // set: the writer stamps SendMs and encodes
	command *pendingCommand       // set: marked sent once written
}

// conn is one agent session. The reader runs in the HTTP handler's
// goroutine; writeLoop is the only writer of frames.
type conn struct {
	hub       *Hub
	ws        *websocket.Conn
	stationID string
	version   int
	addr      string

	stMu    sync.Mutex
	station stations.Station // for the ledger snapshot; refreshed on change

	out      chan outMsg
	wake     chan struct{} // playlists may have changed
	dirty    atomic.Bool
	done     chan struct{}
	once     sync.Once
	lastSeen atomic.Int64 // Unix ms of the last frame or pong from the agent

	// wmu serialises frames: the writer goroutine takes it per frame, and a
	// broadcast may take it to write at once when the writer is idle.
	wmu    sync.Mutex
	ready  atomic.Bool // the welcome is out: others may write directly
	outSeq uint64
	held   map[string]protocol.PlaylistRef // by date: what the agent has or was sent (writer only)

	// Owned by the reader goroutine.
	inSeq uint64
}

// logger is built on demand: idle connections hold no logger.
func (c *conn) logger() *slog.Logger {
	return c.hub.log.With("station", c.stationID, "remote_addr", c.addr)
}

func (c *conn) setStation(st stations.Station) {
	c.stMu.Lock()
	c.station = st
	c.stMu.Unlock()
}

func (c *conn) snapshot() stations.Station {
	c.stMu.Lock()
	defer c.stMu.Unlock()
	return c.station
}

// close sends a close frame with code and drops the connection; it is safe
// to call from any goroutine and more than once (the first call wins).
func (c *conn) close(code int, reason string) { c.shut(code, reason, true) }

// drop closes the connection without a close frame, for a socket that
// cannot take one (its send buffer stayed full).
func (c *conn) drop(code int, reason string) { c.shut(code, reason, false) }

func (c *conn) shut(code int, reason string, sendFrame bool) {
	c.once.Do(func() {
		level := slog.LevelInfo
		if code >= protocol.CloseBadMessage && code != protocol.CloseReplaced && code != protocol.CloseRevoked {
			level = slog.LevelWarn
		}
		c.logger().Log(context.Background(), level, "agent link closed", "close_code", code, "reason", reason)
		if sendFrame {
			msg := websocket.FormatCloseMessage(code, reason)
			_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		}
		close(c.done)
		c.ws.Close()
	})
}

// enqueue queues a frame without blocking; a full queue means the agent does
// not keep up, and its connection is dropped so that it cannot hold others.
func (c *conn) enqueue(m outMsg) bool {
	select {
	case c.out <- m:
		return true
	case <-c.done:
		return false
	default:
		c.close(protocol.CloseTooSlow, "send queue full")
		return false
	}
}

// publish marks the playlists dirty and wakes the writer; repeated calls
// before the writer runs coalesce into one fetch.
func (c *conn) publish() {
	c.dirty.Store(true)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *conn) writeLoop() {
	ping := time.NewTicker(c.hub.cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case m := <-c.out:
			if err := c.write(m); err != nil {
				c.close(websocket.CloseAbnormalClosure, "write failed")
				return
			}
		case <-c.wake:
			if c.dirty.Swap(false) {
				c.sendPlaylists()
			}
		case <-ping.C:
			deadline := time.Now().Add(c.hub.cfg.WriteTimeout)
			if err := c.ws.WriteControl(websocket.PingMessage, nil, deadline); err != nil {
				c.close(websocket.CloseAbnormalClosure, "ping failed")
				return
			}
		case <-c.done:
			return
		}
	}
}

func (c *conn) write(m outMsg) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeLocked(m, c.hub.cfg.WriteTimeout)
}

// directWriteTimeout bounds a broadcast's direct write: a socket with room
// takes a frame at once; one full for a second belongs to an agent that is
// too slow. (Not shorter: a deadline is checked before the write, and on a
// loaded machine the writing goroutine may wait that long for a CPU.)
const directWriteTimeout = time.Second

// tryWrite writes m now, from the caller's goroutine, when the connection is
// idle (welcomed, nothing queued, no write under way). A broadcast to 10,000
// agents is then one loop of socket writes instead of 10,000 goroutine
// wake-ups. It reports false when m must be queued instead.
func (c *conn) tryWrite(m outMsg) bool {
	if !c.ready.Load() || len(c.out) > 0 || !c.wmu.TryLock() {
		return false
	}
	defer c.wmu.Unlock()
	if len(c.out) > 0 {
		return false
	}
	if err := c.writeLocked(m, directWriteTimeout); err != nil {
		c.drop(protocol.CloseTooSlow, "socket full")
	}
	return true
}

// framePool holds frame buffers between writes: gorilla copies a frame into
// the connection's own buffer, so a broadcast to 10,000 needs no frame each.
var framePool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func (c *conn) writeLocked(m outMsg, timeout time.Duration) error {
	if m.clock != nil {
		m.clock.SendMs = c.hub.cfg.Now().UnixMilli()
		var body any = &protocol.Pong{ClockSample: *m.clock}
		if m.typ == protocol.TypeWelcome {
			w := c.welcome(*m.clock)
			body = &w
		}
		data, err := protocol.EncodeBody(body)
		if err != nil {
			return err
		}
		m.data = data
	}
	c.outSeq++
	buf := framePool.Get().(*[]byte)
	defer framePool.Put(buf)
	*buf = protocol.AppendFrame((*buf)[:0], m.typ, c.outSeq, m.data)
	c.ws.SetWriteDeadline(time.Now().Add(timeout))
	if err := c.ws.WriteMessage(websocket.TextMessage, *buf); err != nil {
		return err
	}
	if m.command != nil {
		m.command.advance(StateSent, c.hub.cfg.Now())
	}
	return nil
}

func (c *conn) welcome(clock protocol.ClockSample) protocol.Welcome {
	cfg := c.hub.cfg
	return protocol.Welcome{
		Version: c.version, Station: c.stationID,
		PingIntervalMs:   cfg.PingInterval.Milliseconds(),
		StatusIntervalMs: cfg.StatusInterval.Milliseconds(),
		MaxAiredBatch:    cfg.MaxAiredBatch,
		ClockSample:      clock,
	}
}

// errClose carries the close code a reader error should end with.
type errClose struct {
	code int
	err  error
}

func (e *errClose) Error() string { return e.err.Error() }

func closeErr(code int, format string, args ...any) error {
	return &errClose{code: code, err: fmt.Errorf(format, args...)}
}

// readMessage reads and strictly decodes the next frame, checking its seq.
// readFrame reads one frame of at most MaxMessageBytes. The limit is kept
// here rather than by the websocket library, whose own close (1009) would
// carry no reason.
func (c *conn) readFrame() (int, []byte, error) {
	typ, r, err := c.ws.NextReader()
	if err != nil {
		return 0, nil, err
	}
	frame, err := io.ReadAll(io.LimitReader(r, protocol.MaxMessageBytes+1))
	if err != nil {
		return 0, nil, err
	}
	if len(frame) > protocol.MaxMessageBytes {
		return 0, nil, closeErr(protocol.CloseTooLarge, "frame above %d bytes", protocol.MaxMessageBytes)
	}
	return typ, frame, nil
}

func (c *conn) readMessage() (protocol.Message, time.Time, error) {
	typ, frame, err := c.readFrame()
	if err != nil {
		return protocol.Message{}, time.Time{}, err
	}
	recv := c.hub.cfg.Now()
	c.lastSeen.Store(recv.UnixMilli())
	c.ws.SetReadDeadline(time.Now().Add(c.hub.cfg.ReadTimeout))
	if typ != websocket.TextMessage {
		return protocol.Message{}, recv, closeErr(protocol.CloseBadMessage, "binary frame")
	}
	m, err := protocol.Decode(frame)
	if err != nil {
		return m, recv, closeErr(protocol.CloseCode(err), "%v", err)
	}
	if !protocol.FromAgent(m.Type) {
		return m, recv, closeErr(protocol.CloseBadMessage, "%s is not an agent message", m.Type)
	}
	if m.Seq != c.inSeq+1 {
		return m, recv, closeErr(protocol.CloseOutOfOrder, "seq %d after %d", m.Seq, c.inSeq)
	}
	c.inSeq = m.Seq
	return m, recv, nil
}
