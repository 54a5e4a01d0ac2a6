package agent

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"loa/audio/playback"
	"loa/broadcast/protocol"
)

// Reasons of live broadcasts.
const (
	ReasonLive       = "live"        // an item cut or skipped by an operator's live broadcast
	ReasonLiveStream = "live_stream" // the live stream could not be opened
	ReasonLiveLost   = "live_lost"   // the live stream broke off before its end
)

// liveBuffer is how far a live broadcast is read ahead. It is small, for
// latency: NewBufferedLatest drops the oldest audio beyond it, so a network
// stall never leaves the speaker further behind the operator's mouth.
const liveBuffer = 150 * time.Millisecond

// liveConnect bounds the wait for the server's answer to the stream request.
const liveConnect = 10 * time.Second

// runLive plays the live broadcast a live_start names: it preempts the
// schedule as an emergency does, plays the server's stream as it comes
// until it ends, a live_stop or an emergency_stop arrives, or MaxMs has
// played, and acks like an emergency. The schedule resumes after it; the
// items that passed meanwhile are reported missed.
func (p *player) runLive(ctx context.Context, cmd protocol.Command) {
	a := p.a
	lv := *cmd.Live
	if a.serverNow().UnixMilli() > cmd.ExpiresMs {
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateFailed, Error: "expired"})
		return
	}
	p.emergency = true
	ev := protocol.AiredEvent{
		ID: eventID("live", cmd.ID), ItemID: lv.ID, SegmentID: lv.SegmentID, CommandID: cmd.ID, Title: lv.Title, Topic: lv.Topic,
		Level: protocol.LevelEmergency, DurationMs: lv.MaxMs, PlannedMs: a.serverNow().UnixMilli(), Kind: protocol.KindLive,
	}
	p.live = lv.ID // a live_stop for it cuts it from now on, even while it connects
	var prep *playback.Prepared
	next, cut, err := p.busy(ctx, true, func(ctx context.Context) (err error) {
		prep, err = p.prepareLive(ctx, lv, ev.PlannedMs)
		return err
	})
	if cut && prep != nil { // it connected just as the cut came
		prep.Close()
	}
	if !cut && err == nil {
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StatePlaying})
		next, cut = p.play(ctx, prep, ev, true, source{})
	}
	p.live = ""
	switch {
	case cut:
		p.cutBy(ctx, cmd, next)
	case err != nil:
		a.log.Error("live broadcast", "live", lv.ID, "command", cmd.ID, "err", err)
		ev.Outcome, ev.Reason, ev.DurationMs = protocol.OutcomeFailed, ReasonLiveStream, 1
		p.record(ev)
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateFailed, Error: "live stream: " + err.Error()})
	default:
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone})
	}
}

// prepareLive opens the live stream from the server (with the station's
// token) and readies it for the output.
func (p *player) prepareLive(ctx context.Context, lv protocol.Live, plannedMs int64) (*playback.Prepared, error) {
	a := p.a
	out, err := p.output()
	if err != nil {
		return nil, err
	}
	body, err := a.openLive(ctx, lv.Path)
	if err != nil {
		return nil, err
	}
	s, format := playback.DecodePCM(body, lv.Rate, lv.Channels)
	a.mu.Lock()
	vol := float64(a.volume) / 100
	a.mu.Unlock()
	return playback.PrepareStream(playback.Item{
		Name: lv.ID, Planned: time.UnixMilli(plannedMs), Duration: time.Duration(lv.MaxMs) * time.Millisecond,
		Volume: max(vol, 0.0001),
	}, playback.NewBufferedLatest(s, format, liveBuffer), format, out)
}

// openLive GETs a live stream. The request has no overall timeout (a live
// broadcast lasts as long as it lasts), only one on the answer; ctx ends
// the connecting, closing the body ends the stream.
func (a *Agent) openLive(ctx context.Context, path string) (*liveBody, error) {
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	req, err := http.NewRequestWithContext(sctx, http.MethodGet, a.cfg.Server+path, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.cfg.Token)
	req.Header.Set("User-Agent", "loa-agent/"+a.cfg.Version)
	late := time.AfterFunc(liveConnect, cancel)
	dropped := context.AfterFunc(ctx, cancel)
	resp, err := (&http.Client{Transport: a.cfg.HTTPClient.Transport}).Do(req)
	timedOut, left := !late.Stop(), !dropped()
	if (timedOut || left) && err == nil {
		err = context.DeadlineExceeded
		if !timedOut {
			err = ctx.Err()
		}
		resp.Body.Close()
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("open live stream: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("open live stream: %s", resp.Status)
	}
	return &liveBody{resp: resp, cancel: cancel}, nil
}

// liveBody is the stream's body; Close also ends its request.
type liveBody struct {
	resp   *http.Response
	cancel context.CancelFunc
}

func (b *liveBody) Read(p []byte) (int, error) { return b.resp.Body.Read(p) }

func (b *liveBody) Close() error {
	b.cancel()
	return b.resp.Body.Close()
}

// cuts reports whether command c ends what plays now: an emergency or a
// live broadcast cuts anything; while an emergency or a live broadcast
// plays, an emergency stop cuts it too, and a live stop cuts the live
// broadcast it names (and nothing else).
func (p *player) cuts(c protocol.Command, emergency bool) bool {
	switch c.Kind {
	case protocol.CommandEmergencyPlay, protocol.CommandLiveStart:
		return true
	case protocol.CommandEmergencyStop:
		return emergency
	case protocol.CommandLiveStop:
		return p.live != "" && c.Live != nil && c.Live.ID == p.live
	}
	return false
}

// settleLive makes the proof of play of a live broadcast (in finish): its
// planned length is what it lasted, since nothing planned it.
func settleLive(ev *protocol.AiredEvent) {
	ev.DurationMs = max(ev.PlayedMs, 1)
}
