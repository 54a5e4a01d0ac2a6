package agent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/protocol"
)

// linkLoop keeps a session with the server, reconnecting with exponential
// backoff and full jitter (half the delay fixed, half random) so that a
// ward's stations do not all reconnect at once after an outage.
func (a *Agent) linkLoop(ctx context.Context) error {
	delay := a.cfg.BackoffMin
	for {
		welcomed, err := a.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if welcomed {
			delay = a.cfg.BackoffMin
		}
		wait := delay/2 + a.cfg.Jitter(delay/2)
		a.log.Info("server link down", "err", err, "retry_in", wait.Round(time.Millisecond))
		// Refusals that retrying cannot fix wait the longest backoff.
		switch closeCode(err) {
		case protocol.CloseRevoked, protocol.CloseStationRemoved:
			a.setFault("token_refused", true)
			wait = a.cfg.BackoffMax
		case protocol.CloseBadVersion:
			a.setFault("protocol_version", true)
			a.log.Error("the server speaks no protocol version this agent does: upgrade loa-agent", "agent_versions", fmt.Sprintf("v%d–v%d", protocol.MinVersion, protocol.Version))
			wait = a.cfg.BackoffMax
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		delay = min(delay*2, a.cfg.BackoffMax)
	}
}

func closeCode(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return 0
}

func (a *Agent) linkURL() string {
	u := a.cfg.Server + LinkPath
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(u, "http://")
}

// session is one connection: hello, welcome, then a reader (this goroutine
// after the handshake hands over) and a writer that owns every send.
func (a *Agent) session(ctx context.Context) (welcomed bool, err error) {
	hdr := http.Header{"Authorization": {"Bearer " + a.cfg.Token}}
	dialer := websocket.Dialer{HandshakeTimeout: 15 * time.Second, NetDialContext: a.cfg.Dial}
	ws, resp, err := dialer.DialContext(ctx, a.linkURL(), hdr)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			a.setFault("token_refused", true)
		}
		return false, fmt.Errorf("dial: %w", err)
	}
	defer ws.Close()
	ws.SetReadLimit(protocol.MaxMessageBytes)
	s := &linkSession{a: a, ws: ws, frames: make(chan outFrame, 64), acked: make(chan uint64, 4)}
	w, err := s.handshake()
	if err != nil {
		return false, err
	}
	a.welcomed(w)
	defer a.offline()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	werr := make(chan error, 1)
	go func() { werr <- s.writeLoop(ctx, w) }()
	go func() { <-ctx.Done(); ws.Close() }() // unblocks the reader
	rerr := s.readLoop(ctx)
	cancel()
	ws.Close()
	if err := <-werr; rerr == nil {
		rerr = err
	}
	return true, rerr
}

func (a *Agent) welcomed(w *protocol.Welcome) {
	a.mu.Lock()
	a.station, a.online = w.Station, true
	a.mu.Unlock()
	a.setFault("token_refused", false)
	a.setFault("protocol_version", false)
	a.log.Info("server link up", "station", w.Station, "version", w.Version, "clock_offset_ms", a.offset().Milliseconds())
	kick(a.sendKick)
	kick(a.fetchKick)
}

func (a *Agent) offline() {
	a.mu.Lock()
	a.online = false
	a.mu.Unlock()
}

func (a *Agent) addClockSample(s protocol.ClockSample, recv time.Time) {
	off, delay := protocol.EstimateOffset(s, recv)
	a.mu.Lock()
	a.clock.Add(off, delay)
	a.mu.Unlock()
}

// outFrame is a frame for the writer; the writer numbers it.
type outFrame struct {
	typ  string
	body any
}

type linkSession struct {
	a      *Agent
	ws     *websocket.Conn
	frames chan outFrame // from the reader: acks of playlists and commands
	acked  chan uint64   // aired_ack refs, from the reader
	seq    uint64        // owned by the writer after the handshake
}

func (s *linkSession) write(typ string, body any) error {
	s.seq++
	frame, err := protocol.Encode(typ, s.seq, body)
	if err != nil {
		return err
	}
	s.ws.SetWriteDeadline(time.Now().Add(15 * time.Second))
	return s.ws.WriteMessage(websocket.TextMessage, frame)
}

func (s *linkSession) read(timeout time.Duration) (protocol.Message, time.Time, error) {
	s.ws.SetReadDeadline(time.Now().Add(timeout))
	_, frame, err := s.ws.ReadMessage()
	recv := s.a.cfg.Now()
	if err != nil {
		return protocol.Message{}, recv, err
	}
	m, err := protocol.Decode(frame)
	if err != nil {
		s.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(protocol.CloseCode(err), "bad message"), time.Now().Add(time.Second))
		return m, recv, fmt.Errorf("decode: %w", err)
	}
	return m, recv, nil
}

func (s *linkSession) handshake() (*protocol.Welcome, error) {
	a := s.a
	hello := protocol.Hello{Versions: []int{protocol.Version}, Agent: "loa-agent/" + a.cfg.Version, Held: a.held(), SentMs: a.cfg.Now().UnixMilli()}
	if err := s.write(protocol.TypeHello, &hello); err != nil {
		return nil, fmt.Errorf("hello: %w", err)
	}
	m, recv, err := s.read(15 * time.Second)
	if err != nil {
		return nil, fmt.Errorf("welcome: %w", err)
	}
	w, ok := m.Body.(*protocol.Welcome)
	if !ok {
		return nil, fmt.Errorf("welcome: got %s", m.Type)
	}
	a.addClockSample(w.ClockSample, recv)
	return w, nil
}

// held lists the playlists the agent holds, so the server sends only what
// changed; after a resync command it lists none.
func (a *Agent) held() []protocol.PlaylistRef {
	select {
	case <-a.resync:
		return []protocol.PlaylistRef{}
	default:
	}
	pls, err := a.store.Playlists(a.dayBefore())
	if err != nil {
		a.log.Error("list held playlists", "err", err)
	}
	refs := make([]protocol.PlaylistRef, 0, len(pls))
	for _, p := range pls {
		refs = append(refs, p.Ref())
	}
	return refs[:min(len(refs), protocol.MaxHeld)]
}

// dayBefore is yesterday's UTC date: playlists from it on still matter
// (a local day starts up to 14 h before its UTC date).
func (a *Agent) dayBefore() string {
	return a.serverNow().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
}

func (s *linkSession) readLoop(ctx context.Context) error {
	for ctx.Err() == nil {
		m, recv, err := s.read(90 * time.Second)
		if err != nil {
			return err
		}
		if err := s.handle(ctx, m, recv); err != nil {
			return err
		}
	}
	return nil
}

func (s *linkSession) handle(ctx context.Context, m protocol.Message, recv time.Time) error {
	a := s.a
	switch b := m.Body.(type) {
	case *protocol.Pong:
		a.addClockSample(b.ClockSample, recv)
	case *protocol.Playlist:
		if err := a.receivePlaylist(b); err != nil {
			return err
		}
		return s.send(ctx, protocol.TypePlaylistAck, &protocol.PlaylistAck{PlaylistRef: b.Ref()})
	case *protocol.AiredAck:
		select {
		case s.acked <- b.Ref:
		case <-ctx.Done():
		}
	case *protocol.Command:
		return s.command(ctx, b)
	default:
		return fmt.Errorf("unexpected %s from the server", m.Type)
	}
	return nil
}

func (s *linkSession) send(ctx context.Context, typ string, body any) error {
	select {
	case s.frames <- outFrame{typ, body}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *Agent) receivePlaylist(p *protocol.Playlist) error {
	a.mu.Lock()
	station := a.station
	a.mu.Unlock()
	if p.Station != station {
		return fmt.Errorf("playlist for station %q on %q's link", p.Station, station)
	}
	if err := a.store.PutPlaylist(*p); err != nil {
		return err
	}
	a.log.Info("playlist stored", "date", p.Date, "version", p.Version, "items", len(p.Items))
	kick(a.plChanged)
	kick(a.fetchKick)
	return nil
}

// command acks a command as delivered and runs it once, even when the
// server resends it after a reconnect.
func (s *linkSession) command(ctx context.Context, c *protocol.Command) error {
	a := s.a
	seen, err := a.store.CommandSeen(c.ID)
	if err != nil {
		return err
	}
	if err := s.send(ctx, protocol.TypeCommandAck, &protocol.CommandAck{ID: c.ID, State: protocol.StateDelivered}); err != nil || seen {
		return err
	}
	a.log.Info("command", "id", c.ID, "kind", c.Kind)
	switch c.Kind {
	case protocol.CommandEmergencyPlay, protocol.CommandEmergencyStop, protocol.CommandLiveStart, protocol.CommandLiveStop:
		select {
		case a.commands <- *c:
		default:
			a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateFailed, Error: "agent busy"})
		}
	case protocol.CommandSetVolume:
		a.setVolume(c.Volume)
		a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateDone})
	case protocol.CommandRefresh:
		kick(a.fetchKick)
		kick(a.statusNow)
		a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateDone})
	case protocol.CommandResync:
		kick(a.resync)
		a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateDone})
		return errors.New("resync asked: reconnecting")
	}
	return nil
}

// ack queues a command's progress for the server (dropped when offline and
// the queue is full: the server's command state then stays behind).
func (a *Agent) ack(ack protocol.CommandAck) {
	select {
	case a.acks <- ack:
	default:
		a.log.Warn("command ack dropped", "id", ack.ID, "state", ack.State)
	}
}

func (a *Agent) setVolume(v int) {
	if err := a.store.SetVolume(v); err != nil {
		a.log.Error("store volume", "err", err)
	}
	a.mu.Lock()
	a.volume = v
	a.mu.Unlock()
}

// statusMinGap is the least time between two statuses sent for a change.
const statusMinGap = time.Second

// statusPacer sends a status for a change of what the player does at once,
// but not more than once per statusMinGap: the changes in between go in
// the next one, when later fires.
type statusPacer struct {
	last  time.Time
	later <-chan time.Time
}

func (sp *statusPacer) sent() { sp.last, sp.later = time.Now(), nil }

// changed reports whether a status should go now; if not, later is armed.
func (sp *statusPacer) changed() bool {
	wait := statusMinGap - time.Since(sp.last)
	if wait <= 0 {
		return true
	}
	if sp.later == nil {
		sp.later = time.After(wait)
	}
	return false
}

// writeLoop owns every send after the handshake: pings, status, the aired
// journal (one batch in flight, the next after its ack) and acks.
func (s *linkSession) writeLoop(ctx context.Context, w *protocol.Welcome) error {
	a := s.a
	ping := time.NewTicker(time.Duration(w.PingIntervalMs) * time.Millisecond)
	defer ping.Stop()
	status := time.NewTicker(time.Duration(w.StatusIntervalMs) * time.Millisecond)
	defer status.Stop()
	var inflight uint64
	var ids []string
	sendBatch := func() error {
		if inflight != 0 {
			return nil
		}
		events, err := a.store.Pending(min(w.MaxAiredBatch, protocol.MaxAiredBatch))
		if err != nil || len(events) == 0 {
			return err
		}
		if err := s.write(protocol.TypeAired, &protocol.Aired{Events: events}); err != nil {
			return err
		}
		inflight, ids = s.seq, ids[:0]
		for _, e := range events {
			ids = append(ids, e.ID)
		}
		return nil
	}
	var pace statusPacer
	sendStatus := func() error {
		pace.sent()
		return s.write(protocol.TypeStatus, a.status())
	}
	if err := sendStatus(); err != nil {
		return err
	}
	for {
		var err error
		select {
		case <-ctx.Done():
			return nil
		case f := <-s.frames:
			err = s.write(f.typ, f.body)
		case ack := <-a.acks:
			err = s.write(protocol.TypeCommandAck, &ack)
		case <-ping.C:
			err = s.write(protocol.TypePing, &protocol.Ping{SentMs: a.cfg.Now().UnixMilli()})
		case <-status.C:
			err = sendStatus()
		case <-a.statusNow:
			if pace.changed() {
				err = sendStatus()
			}
		case <-pace.later:
			err = sendStatus()
		case <-a.sendKick:
			err = sendBatch()
		case ref := <-s.acked:
			if ref == inflight {
				if err = a.store.Acked(ids); err == nil {
					a.log.Debug("aired events acked", "events", len(ids))
					inflight = 0
					err = sendBatch()
				}
			}
		}
		if err != nil {
			return err
		}
	}
}
