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
		next, cut, err := p.busy(ctx, true, func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, emergencyFetch)
			defer cancel()
			return a.fetch(ctx, it.AudioSHA256)
		})
		if cut {
			p.cutBy(ctx, cmd, next)
			return
		}
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
		if next, cut := p.playEmergency(ctx, cmd, it, i); cut {
			p.cutBy(ctx, cmd, next)
			return
		}
	}
	a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone})
}

// emergencyFetch bounds the download of an emergency's audio.
const emergencyFetch = 2 * time.Minute

// busy runs work in a goroutine of its own while the player keeps hearing
// commands, as it does while it plays: a command that cuts what runs (see
// cuts; emergency as for play) cancels work's ctx and is returned once
// work has returned (work must end soon after its ctx); the others are
// answered. Without a cut it returns work's error.
func (p *player) busy(ctx context.Context, emergency bool, work func(context.Context) error) (protocol.Command, bool, error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- work(wctx) }()
	for {
		select {
		case err := <-done:
			return protocol.Command{}, false, err
		case c := <-p.a.commands:
			if p.cuts(c, emergency) {
				cancel()
				<-done
				return c, true, nil
			}
			p.answer(c)
		}
	}
}

// answer acks a command that does not cut what the player does: a stop
// finds nothing of its kind to stop, anything else finds the player busy.
func (p *player) answer(c protocol.Command) {
	if c.Kind == protocol.CommandEmergencyStop || c.Kind == protocol.CommandLiveStop {
		p.a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateDone})
		return
	}
	p.a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateFailed, Error: "agent busy"})
}

// cutBy ends the run of command cmd, cut by next: a stop ends it, a newer
// emergency or live broadcast replaces it and runs now.
func (p *player) cutBy(ctx context.Context, cmd, next protocol.Command) {
	a := p.a
	switch next.Kind {
	case protocol.CommandEmergencyStop:
		a.ack(protocol.CommandAck{ID: next.ID, State: protocol.StateDone})
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone, Error: "stopped"})
	case protocol.CommandLiveStop:
		a.ack(protocol.CommandAck{ID: next.ID, State: protocol.StateDone})
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone})
	default:
		a.ack(protocol.CommandAck{ID: cmd.ID, State: protocol.StateDone, Error: "replaced"})
		p.runCommand(ctx, next)
	}
}

// playEmergency plays one repetition now and returns the command that cut
// it, if one did.
func (p *player) playEmergency(ctx context.Context, cmd protocol.Command, it protocol.Item, i int) (protocol.Command, bool) {
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
		return protocol.Command{}, false
	}
	return p.play(ctx, prep, ev, true, source{})
}
