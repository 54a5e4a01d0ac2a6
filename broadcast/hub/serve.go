package hub

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/protocol"
	"loa/stations"
)

// TokenHeader is an alternative to "Authorization: Bearer" for agents
// behind proxies that strip Authorization. Tokens never go in the URL.
const TokenHeader = "X-Loa-Token"

func requestToken(r *http.Request) string {
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(r.Header.Get(TokenHeader))
}

// authenticate answers 401 for a missing, unknown or revoked token and 403
// for a disabled station; ok is false when it answered.
func (h *Hub) authenticate(w http.ResponseWriter, r *http.Request) (stations.Station, bool) {
	st, err := h.stations.Authenticate(requestToken(r))
	switch {
	case err == nil:
		return st, true
	case errors.Is(err, stations.ErrDisabled):
		h.log.Warn("agent refused", "station", st.ID, "reason", "disabled", "remote_addr", r.RemoteAddr)
		http.Error(w, "station disabled", http.StatusForbidden)
	case errors.Is(err, stations.ErrBadToken):
		h.log.Warn("agent refused", "reason", "bad token", "remote_addr", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", `Bearer realm="loa-agent"`)
		http.Error(w, "unknown or revoked token", http.StatusUnauthorized)
	default:
		h.log.Error("authenticate agent", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
	return st, false
}

// ServeHTTP upgrades an authenticated agent to the websocket link and starts
// its session (one reader and one writer goroutine, owned by the hub).
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st, ok := h.authenticate(w, r)
	if !ok {
		return
	}
	h.mu.Lock()
	closed := h.closed
	if !closed {
		h.sessions.Add(1) // under mu: never after shutdown began waiting
	}
	h.mu.Unlock()
	if closed {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		h.sessions.Done()
		return // the upgrader has answered
	}
	c := &conn{
		hub: h, ws: ws, stationID: st.ID, station: st, addr: r.RemoteAddr,
		out:  make(chan outMsg, h.cfg.SendQueue),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
		held: map[string]protocol.PlaylistRef{},
	}
	// The session runs in its own goroutine so that the HTTP server's
	// per-request state (buffers, grown stack) is freed now, not held for
	// the life of the link. The hub waits for it on shutdown.
	go func() {
		defer h.sessions.Done()
		c.run()
	}()
}

// run is the connection's reader goroutine, from hello to close.
func (c *conn) run() {
	err := c.session()
	var ec *errClose
	var peer *websocket.CloseError
	switch {
	case errors.As(err, &ec):
		c.close(ec.code, ec.err.Error())
	case errors.As(err, &peer): // the agent closed; the library has answered
		c.drop(peer.Code, peer.Text)
	case err != nil:
		c.close(websocket.CloseAbnormalClosure, "read: "+err.Error())
	}
	c.hub.unregister(c)
	c.hub.disconnected(c)
}

// session runs the handshake, starts the writer and reads until an error.
func (c *conn) session() error {
	c.ws.SetReadDeadline(time.Now().Add(c.hub.cfg.HelloTimeout))
	m, recv, err := c.readMessage()
	if err != nil {
		return err
	}
	hello, ok := m.Body.(*protocol.Hello)
	if !ok {
		return closeErr(protocol.CloseOutOfOrder, "first message is %s, not hello", m.Type)
	}
	if c.version = negotiate(hello.Versions); c.version == 0 {
		return closeErr(protocol.CloseBadVersion, "no common version in %v", hello.Versions)
	}
	for _, ref := range hello.Held {
		c.held[ref.Date] = ref
	}
	if !c.hub.register(c) {
		return closeErr(protocol.CloseGoingAway, "server shutting down")
	}
	c.hub.connected(c, hello.Agent, c.addr, recv)
	// Written before the writer starts, so the welcome is always frame 1.
	welcome := outMsg{typ: protocol.TypeWelcome, clock: &protocol.ClockSample{EchoMs: hello.SentMs, RecvMs: recv.UnixMilli()}}
	if err := c.write(welcome); err != nil {
		return err
	}
	c.ready.Store(true)
	c.hub.sessions.Add(1)
	go func() {
		defer c.hub.sessions.Done()
		c.writeLoop()
	}()
	c.publish()
	c.hub.resendCommands(c)
	c.ws.SetPongHandler(func(string) error {
		c.lastSeen.Store(c.hub.cfg.Now().UnixMilli())
		return c.ws.SetReadDeadline(time.Now().Add(c.hub.cfg.ReadTimeout))
	})
	c.ws.SetReadDeadline(time.Now().Add(c.hub.cfg.ReadTimeout))
	return c.readLoop()
}

// negotiate picks the newest version both sides speak, or 0.
func negotiate(offered []int) int {
	best := 0
	for _, v := range offered {
		if v >= protocol.MinVersion && v <= protocol.Version {
			best = max(best, v)
		}
	}
	return best
}

func (c *conn) readLoop() error {
	for {
		m, recv, err := c.readMessage()
		if err != nil {
			return err
		}
		if !c.hub.allowMessage(c.stationID, recv) {
			return closeErr(protocol.CloseTooFast, "more than %g messages/s (burst %d)", c.hub.cfg.MaxMessageRate, c.hub.cfg.MaxMessageBurst)
		}
		if err := c.handle(m, recv); err != nil {
			return err
		}
	}
}

func (c *conn) handle(m protocol.Message, recv time.Time) error {
	switch b := m.Body.(type) {
	case *protocol.Ping:
		c.enqueue(outMsg{typ: protocol.TypePong, clock: &protocol.ClockSample{EchoMs: b.SentMs, RecvMs: recv.UnixMilli()}})
	case *protocol.PlaylistAck:
		c.logger().Debug("playlist acked", "date", b.Date, "version", b.Version)
	case *protocol.Aired:
		return c.handleAired(m.Seq, b, recv)
	case *protocol.Status:
		c.hub.status(c.stationID, b, recv)
	case *protocol.CommandAck:
		c.hub.commandAcked(c.stationID, b, recv)
	case *protocol.Hello:
		return closeErr(protocol.CloseOutOfOrder, "hello after the handshake")
	}
	return nil
}

func (c *conn) handleAired(seq uint64, a *protocol.Aired, recv time.Time) error {
	if len(a.Events) > c.hub.cfg.MaxAiredBatch {
		return closeErr(protocol.CloseBadMessage, "aired batch of %d above %d", len(a.Events), c.hub.cfg.MaxAiredBatch)
	}
	events, err := c.hub.checkAired(c, a.Events, recv)
	if err != nil {
		c.logger().Error("check aired events", "err", err)
		return closeErr(protocol.CloseInternal, "could not check aired events")
	}
	res, err := c.hub.ledger.Record(events)
	if err != nil {
		c.logger().Error("store aired events", "err", err, "events", len(a.Events))
		return closeErr(protocol.CloseInternal, "could not store aired events")
	}
	data, err := protocol.EncodeBody(&protocol.AiredAck{Ref: seq, Stored: res.Stored, Duplicates: res.Duplicates})
	if err != nil {
		return err
	}
	c.enqueue(outMsg{typ: protocol.TypeAiredAck, data: data})
	return nil
}

func (c *conn) sendPlaylists() {
	if c.hub.playlists == nil {
		return
	}
	c.hub.fetchSem <- struct{}{}
	pls, err := c.hub.playlists.PlaylistsFor(c.stationID, c.hub.cfg.Now())
	<-c.hub.fetchSem
	if err != nil {
		c.logger().Error("playlists for station", "err", err)
		return
	}
	for i := range pls {
		p := &pls[i]
		if p.Station != c.stationID || c.held[p.Date] == p.Ref() {
			continue
		}
		data, err := protocol.EncodeBody(p)
		if err != nil {
			c.logger().Error("encode playlist", "date", p.Date, "err", err)
			continue
		}
		if err := c.write(outMsg{typ: protocol.TypePlaylist, data: data}); err != nil {
			c.close(websocket.CloseAbnormalClosure, "write failed")
			return
		}
		c.held[p.Date] = p.Ref()
	}
}

// Publish tells a station's live connection that its playlists may have
// changed; the hub sends only those whose version or hash differ from what
// the agent holds. Calls coalesce; a station offline gets them on connect.
func (h *Hub) Publish(stationID string) {
	h.mu.Lock()
	c := h.conns[stationID]
	h.mu.Unlock()
	if c != nil {
		c.publish()
	}
}

// PublishAll is Publish for every live connection.
func (h *Hub) PublishAll() {
	h.mu.Lock()
	conns := make([]*conn, 0, len(h.conns))
	for _, c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.publish()
	}
}

// Stations returns the ids of the live connections, sorted.
func (h *Hub) Stations() []string {
	h.mu.Lock()
	ids := make([]string, 0, len(h.conns))
	for id := range h.conns {
		ids = append(ids, id)
	}
	h.mu.Unlock()
	slices.Sort(ids)
	return ids
}
