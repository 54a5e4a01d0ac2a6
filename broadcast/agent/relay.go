package agent

import (
	"context"
	"time"

	"github.com/gopxl/beep/v2"

	"loa/audio/playback"
	"loa/broadcast/protocol"
)

// Reasons of a relay slot (AiredEvent.Reason), stable codes the server's
// UI renders. A relay that played its slot is completed with no reason,
// even when reconnects cost some of it (played_ms says how much).
const (
	ReasonRelayNoStream  = "relay_no_stream"  // no audio came within Config.RelayNoStream of the start
	ReasonRelayBadStream = "relay_bad_stream" // the URL answered, but not with an MP3 stream
	ReasonRelayLost      = "relay_lost"       // the stream went down for Config.RelayDeadAir
	ReasonRelayDeadAir   = "relay_dead_air"   // the stream stayed below Config.RelaySilenceDB for Config.RelayDeadAir
	ReasonRelayFallback  = "relay_fallback"   // an item of the library played in a failed relay's slot
)

// relayBuffer is how far a relay is read ahead: it rides out network
// jitter without delaying the programme much.
const relayBuffer = 2 * time.Second

// relayRun is the relay slot on air, seen by finish (through player.relay)
// so that its proof of play says what was relayed rather than what the
// output played, and its fallback items say why they played.
type relayRun struct {
	eventID string
	stream  *relayStream
}

// playRelay plays a relay item in its slot: the stream from its planned
// start to the slot's end, reconnecting on drops (silence meanwhile). If
// the stream never comes or goes dead, the rest of the slot is filled from
// the library. An emergency cuts it like any item.
func (p *player) playRelay(ctx context.Context, it planned) {
	a := p.a
	ev := scheduledEvent(it.Item)
	end := time.UnixMilli(it.StartMs + it.DurationMs)
	out, err := p.output()
	if err != nil {
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, ReasonOutputError
		p.record(ev)
		return
	}
	// Connecting starts now, PrepareLead before the start, so that the
	// first audio is there on time.
	rs, format := a.connectRelay(it.Item, out.Rate())
	if w, cmd := p.lastStretch(ctx, it, ev); w != wakeDue {
		rs.Close()
		p.runIf(ctx, w, cmd)
		return
	}
	a.mu.Lock()
	vol := float64(a.volume) / 100
	a.mu.Unlock()
	prep, err := playback.PrepareStream(playback.Item{
		Name: it.ID, Planned: time.UnixMilli(it.StartMs), Duration: end.Sub(a.serverNow()),
		GainDB: it.GainDB, Volume: max(vol, 0.0001),
	}, rs, format, out)
	if err != nil { // the slot is already over
		ev.Outcome, ev.Reason = protocol.OutcomeMissed, ReasonLate
		p.record(ev)
		return
	}
	p.relay = &relayRun{eventID: ev.ID, stream: rs}
	defer func() { p.relay = nil }()
	cmd, interrupted := p.play(ctx, prep, ev, false, it.src)
	if !interrupted && rs.reason != "" && ctx.Err() == nil {
		a.log.Warn("relay failed: filling its slot from the library", "item", it.ID, "reason", rs.reason)
		cmd, interrupted = p.relayFallback(ctx, it.Item, ev.ID, end)
	}
	if interrupted {
		p.relay = nil // what the command plays is no part of the relay
		p.runCommand(ctx, cmd)
	}
}

// connectRelay starts reading the relay's stream ahead, at the output's
// rate.
func (a *Agent) connectRelay(it protocol.Item, rate int) (*relayStream, beep.Format) {
	src := newRelaySource(a.cfg.RelayClient, it.URL, "loa-agent/"+a.cfg.Version, rate, a.cfg.RelaySilenceDB, a.log)
	format := beep.Format{SampleRate: beep.SampleRate(rate), NumChannels: 2, Precision: 2}
	return &relayStream{buf: playback.NewBuffered(src, format, relayBuffer), src: src,
		noStream: a.cfg.RelayNoStream, deadAir: a.cfg.RelayDeadAir}, format
}

// settle makes the proof of play of a relay item or one of its fallback
// items (in finish, after the outcome is known): a relay reports as played
// only what it relayed, not the silence of its reconnects, and fails with
// the reason it stopped early; a fallback item that played says why.
func (r *relayRun) settle(ev *protocol.AiredEvent, res playback.Result, err error) {
	if ev.ID != r.eventID {
		if ev.Outcome == protocol.OutcomeCompleted {
			ev.Reason = ReasonRelayFallback
		}
		return
	}
	relayed := max(res.Played-r.stream.buf.Starved(), 0)
	ev.PlayedMs = min(relayed.Milliseconds(), ev.PlayedMs)
	if err == nil && ev.Outcome == protocol.OutcomeCompleted && r.stream.reason != "" {
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, r.stream.reason
	}
}

// relayStream is what the output plays in a relay slot: the buffered
// stream, which it ends early with a reason when the stream never came,
// went down or went silent for longer than the limits. It is checked on
// the output's clock, every chunk, so it needs no goroutine of its own.
type relayStream struct {
	buf               *playback.Buffered
	src               *relaySource
	noStream, deadAir time.Duration
	start             time.Time
	reason            string // why it ended early; "" while it plays
}

func (r *relayStream) Stream(samples [][2]float64) (int, bool) {
	now := time.Now()
	if r.start.IsZero() {
		r.start = now
	}
	if r.reason == "" {
		r.reason = r.verdict(now)
	}
	if r.reason != "" {
		return 0, false
	}
	return r.buf.Stream(samples)
}

// verdict says why the relay should stop now, "" when it should go on.
func (r *relayStream) verdict(now time.Time) string {
	played := now.Sub(r.start)
	switch {
	case r.buf.Received() == 0:
		if played < r.noStream {
			return ""
		}
		if r.src.bad.Load() {
			return ReasonRelayBadStream
		}
		return ReasonRelayNoStream
	case r.buf.SinceData() >= r.deadAir:
		return ReasonRelayLost
	}
	loud := time.Unix(0, r.src.lastLoud.Load())
	if loud.Before(r.start) {
		loud = r.start // the dead-air clock starts with the slot
	}
	if now.Sub(loud) >= r.deadAir {
		return ReasonRelayDeadAir
	}
	return ""
}

// Err is nil: a relay that stops early is not a playback error; its reason
// is reported in the proof of play.
func (r *relayStream) Err() error   { return nil }
func (r *relayStream) Close() error { return r.buf.Close() }
