package agent

import (
	"context"
	"fmt"
	"time"

	"loa/broadcast/protocol"
)

// runCommand runs an emergency command on the player: play the item Repeat
// times (fetching its audio first when it is not cached), then return to
// the schedule, whose items that passed meanwhile are reported missed.
func (p *player) runCommand(ctx context.Context, cmd protocol.Command) {
	a := p.a
	if cmd.Kind == protocol.CommandLiveStart {
		p.runLive(ctx, cmd)
		return
	}
	if cmd.Kind != protocol.CommandEmergencyPlay {
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone}) // nothing on air to stop
		return
	}
	if a.serverNow().UnixMilli() > cmd.ExpiresMs {
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateFailed, Error: "expired"})
		return
	}
	p.emergency = true
	it := *cmd.Item
	if it.Kind == protocol.KindAudio && !a.cache.Has(it.AudioSHA256) {
		a.log.Info("emergency audio not cached: fetching it first", "command", cmd.ID, "sha256", it.AudioSHA256)
		fctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		err := a.fetch(fctx, it.AudioSHA256)
		cancel()
		if err != nil {
			a.log.Error("fetch emergency audio", "command", cmd.ID, "err", err)
			a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateFailed, Error: "audio fetch failed"})
			return
		}
	}
	a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StatePlaying})
	for i := range max(cmd.Repeat, 1) {
		if ctx.Err() != nil {
			return
		}
		if stopped := p.playEmergency(ctx, cmd, it, i); stopped {
			a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone, Error: "stopped"})
			return
		}
	}
	a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone})
}

// playEmergency plays one repetition now; stopped reports an emergency stop.
func (p *player) playEmergency(ctx context.Context, cmd protocol.Command, it protocol.Item, i int) (stopped bool) {
	a := p.a
	it.StartMs = a.serverNow().UnixMilli()
	ev := protocol.AiredEvent{
		ID: eventID("command", cmd.ID, fmt.Sprint(i)), ItemID: it.ID, SegmentID: it.SegmentID, CommandID: cmd.ID,
		Title: it.Title, Topic: it.Topic, Level: protocol.LevelEmergency, DurationMs: it.DurationMs, PlannedMs: it.StartMs,
	}
	prep, reason := p.prepare(it)
	if prep == nil {
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, reason
		p.record(ev)
		return false
	}
	next, interrupted := p.play(ctx, prep, ev, true, source{})
	if !interrupted {
		return false
	}
	if next.Kind == protocol.CommandEmergencyStop {
		a.ack(protocol.CommandAck{ID: next.ID, State: protocol.StateDone})
		return true
	}
	// A newer emergency replaces this one.
	a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone, Error: "replaced"})
	p.runCommand(ctx, next)
	return true
}
