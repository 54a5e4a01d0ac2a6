package agent

import (
	"context"
	"errors"
	"slices"
	"time"

	"loa/audio/playback"
	"loa/broadcast/protocol"
)

// Reasons on proof-of-play events: stable codes the server's UI renders.
const (
	ReasonAgentDown     = "agent_not_running" // its start passed before the agent ran
	ReasonLate          = "late"              // the player was busy past its start
	ReasonEmergency     = "emergency"         // cut or skipped by an emergency broadcast
	ReasonEmergencyStop = "emergency_stopped"
	ReasonAudioMissing  = "audio_missing"
	ReasonOutputStalled = "output_stalled"
	ReasonOutputError   = "output_error"
	ReasonUnsupported   = "relay_unsupported"
	ReasonRestarted     = "agent_restarted"
	ReasonDecodeError   = "decode_error" // the file could not be decoded (or stopped decoding midway)
)

// SilentDB is the level below which a whole item counts as silent.
const SilentDB = -60

// checkpointEvery is how often the played time of the item on air is saved,
// so a kill -9 loses at most this much of the report's played_ms.
const checkpointEvery = 2 * time.Second

// player owns the output; only the play loop's goroutine uses it.
type player struct {
	a         *Agent
	out       playback.Output
	emergency bool      // an emergency broadcast ran since the last plan
	relay     *relayRun // the relay slot on air, if one is
	live      string    // the live broadcast on air, if one is (live.go)
}

// playLoop plays the schedule until ctx ends.
func (a *Agent) playLoop(ctx context.Context) error {
	p := &player{a: a}
	defer func() {
		if p.out != nil {
			p.out.Close()
		}
	}()
	for ctx.Err() == nil {
		next, err := p.settle()
		if err != nil {
			return err
		}
		if cmd, ok := p.waitUntil(ctx, next); ok {
			p.runCommand(ctx, cmd)
			continue
		}
		if next != nil && ctx.Err() == nil {
			p.playScheduled(ctx, *next)
		}
	}
	return nil
}

// plan returns the items of the playlists held from yesterday on, by start.
func (a *Agent) plan() ([]protocol.Item, error) {
	pls, err := a.store.Playlists(a.dayBefore())
	if err != nil {
		return nil, err
	}
	var items []protocol.Item
	for _, p := range pls {
		items = append(items, p.Items...)
	}
	slices.SortStableFunc(items, func(x, y protocol.Item) int { return int(x.StartMs - y.StartMs) })
	return items, nil
}

// settle reports every unhandled item whose start has passed as missed
// (or, with PlayLate, returns the first one still within its slot) and
// returns the next item to play, nil when there is none.
func (p *player) settle() (*protocol.Item, error) {
	a := p.a
	items, err := a.plan()
	if err != nil {
		return nil, err
	}
	now := a.serverNow().UnixMilli()
	tol := a.cfg.LateTolerance.Milliseconds()
	var missed []protocol.AiredEvent
	var next *protocol.Item
	for i := range items {
		it := items[i]
		if a.store.Handled(scheduledID(it)) {
			continue
		}
		if it.StartMs >= now-tol || (a.cfg.PlayLate && it.StartMs+it.DurationMs > now) {
			next = &it
			break
		}
		missed = append(missed, p.missedEvent(it))
	}
	if len(missed) > 0 {
		if err := a.store.Record(missed...); err != nil {
			return nil, err
		}
		a.log.Warn("items missed", "count", len(missed), "reason", missed[0].Reason)
		kick(a.sendKick)
	}
	p.emergency = false
	return next, nil
}

func (p *player) missedEvent(it protocol.Item) protocol.AiredEvent {
	e := scheduledEvent(it)
	e.Outcome = protocol.OutcomeMissed
	switch {
	case it.StartMs < p.a.started.Add(p.a.offset()).UnixMilli():
		e.Reason = ReasonAgentDown
	case p.emergency:
		e.Reason = ReasonEmergency
	default:
		e.Reason = ReasonLate
	}
	return e
}

func scheduledEvent(it protocol.Item) protocol.AiredEvent {
	return protocol.AiredEvent{
		ID: scheduledID(it), ItemID: it.ID, SegmentID: it.SegmentID, Title: it.Title, Topic: it.Topic,
		Level: it.Level, DurationMs: it.DurationMs, PlannedMs: it.StartMs, Kind: it.Kind,
	}
}

// waitUntil waits for the moment to prepare next (nil: until something
// changes). It sleeps at most a second at a time and re-reads the wall
// clock, so that a clock set by NTP re-plans within a second; a playlist
// change ends the wait early (ok false, next nil: plan again). A command
// ends it with ok true.
func (p *player) waitUntil(ctx context.Context, next *protocol.Item) (protocol.Command, bool) {
	a := p.a
	for {
		step := time.Minute
		if next != nil {
			at := time.UnixMilli(next.StartMs).Add(-a.cfg.PrepareLead)
			step = min(at.Sub(a.serverNow()), time.Second)
			if step <= 0 {
				return protocol.Command{}, false
			}
		}
		t := time.NewTimer(step)
		select {
		case <-ctx.Done():
			t.Stop()
			return protocol.Command{}, false
		case cmd := <-a.commands:
			t.Stop()
			return cmd, true
		case <-a.plChanged:
			t.Stop()
			if next == nil {
				return protocol.Command{}, false
			}
			// Re-plan only when the next item changed.
			if n, err := p.settle(); err != nil || n == nil || *n != *next {
				return protocol.Command{}, false
			}
		case <-t.C:
			if next == nil {
				return protocol.Command{}, false
			}
		}
	}
}

// playScheduled prepares an item, starts it on its planned instant and
// journals the outcome.
func (p *player) playScheduled(ctx context.Context, it protocol.Item) {
	if it.Kind == protocol.KindRelay {
		p.playRelay(ctx, it)
		return
	}
	a := p.a
	ev := scheduledEvent(it)
	prep, reason := p.prepare(it)
	if prep == nil {
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, reason
		p.record(ev)
		return
	}
	// Journaled as on air before the start, so the fsync does not delay it.
	p.begin(ev, it.StartMs)
	// The last stretch: a monotonic timer to the planned instant.
	if d := time.UnixMilli(it.StartMs).Sub(a.serverNow()); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			prep.Close()
			a.store.Forget(ev.ID)
			return
		}
	}
	if cmd, interrupted := p.play(ctx, prep, ev, false); interrupted {
		p.runCommand(ctx, cmd)
	}
}

// prepare opens the item's audio; nil and a reason when it cannot play.
func (p *player) prepare(it protocol.Item) (*playback.Prepared, string) {
	a := p.a
	if it.Kind != protocol.KindAudio {
		return nil, ReasonUnsupported
	}
	if !a.cache.Has(it.AudioSHA256) {
		a.setFault("audio_missing", true)
		kick(a.fetchKick)
		return nil, ReasonAudioMissing
	}
	out, err := p.output()
	if err != nil {
		return nil, ReasonOutputError
	}
	a.mu.Lock()
	vol := float64(a.volume) / 100
	a.mu.Unlock()
	prep, err := playback.Prepare(playback.Item{
		Name: it.ID, Path: a.cache.Path(it.AudioSHA256), Planned: time.UnixMilli(it.StartMs),
		CueIn:    time.Duration(it.CueInMs) * time.Millisecond,
		CueOut:   time.Duration(it.CueOutMs) * time.Millisecond,
		Duration: time.Duration(it.DurationMs) * time.Millisecond,
		GainDB:   it.GainDB, Volume: max(vol, 0.0001),
	}, out)
	if err != nil {
		a.log.Error("prepare item", "item", it.ID, "err", err)
		return nil, ReasonDecodeError
	}
	return prep, ""
}

func (p *player) output() (playback.Output, error) {
	if p.out != nil {
		return p.out, nil
	}
	out, err := p.a.open()
	if err != nil {
		p.a.setFault("output_error", true)
		p.a.log.Error("open output", "err", err)
		return nil, err
	}
	p.a.setFault("output_error", false)
	p.out = out
	return out, nil
}

// play plays prep, journaling it as open first, and returns the command
// that interrupted it, if one did: an emergency play, or for an emergency
// item an emergency stop (elsewhere a stop has nothing to stop).
func (p *player) play(ctx context.Context, prep *playback.Prepared, ev protocol.AiredEvent, emergency bool) (protocol.Command, bool) {
	a := p.a
	ev.StartedMs = a.serverNow().UnixMilli()
	if emergency {
		p.begin(ev, ev.StartedMs)
	}
	a.setNowPlaying(&protocol.NowPlaying{ItemID: ev.ItemID, Title: ev.Title, StartedMs: ev.StartedMs})
	defer a.setNowPlaying(nil)

	playCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	type done struct {
		r   playback.Result
		err error
	}
	ch := make(chan done, 1)
	go func() {
		r, err := prep.Play(playCtx, &a.level)
		ch <- done{r, err}
	}()
	var cmd protocol.Command
	var interrupted bool
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case c := <-a.commands:
			switch {
			case !interrupted && p.cuts(c, emergency):
				cmd, interrupted = c, true
				cancel()
			case c.Kind == protocol.CommandEmergencyStop || c.Kind == protocol.CommandLiveStop:
				a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateDone})
			default:
				a.ack(protocol.CommandAck{ID: c.ID, State: protocol.StateFailed, Error: "agent busy"})
			}
		case <-tick.C:
			played := a.serverNow().UnixMilli() - ev.StartedMs
			a.store.Checkpoint(ev.ID, min(played, ev.DurationMs))
		case d := <-ch:
			p.finish(ctx, ev, d.r, d.err, cmd.Kind)
			return cmd, interrupted
		}
	}
}

// begin journals ev as an open entry: on air from startedMs unless a later
// record closes it (a kill -9 leaves it to Recover).
func (p *player) begin(ev protocol.AiredEvent, startedMs int64) {
	ev.StartedMs = startedMs
	ev.Outcome, ev.Reason = protocol.OutcomeInterrupted, ReasonRestarted
	if err := p.a.store.Begin(ev); err != nil {
		p.a.log.Error("journal item start", "item", ev.ItemID, "err", err)
	}
}

func (a *Agent) setNowPlaying(np *protocol.NowPlaying) {
	a.mu.Lock()
	a.now = np
	a.mu.Unlock()
}

// finish journals how an item ended.
func (p *player) finish(ctx context.Context, ev protocol.AiredEvent, r playback.Result, err error, cutBy string) {
	a := p.a
	off := a.offset()
	if !r.Started.IsZero() {
		ev.StartedMs = r.Started.Add(off).UnixMilli()
	}
	ev.EndedMs = max(ev.StartedMs, a.cfg.Now().Add(off).UnixMilli())
	ev.PlayedMs = min(r.Played.Milliseconds(), 24*3600*1000)
	ev.Reason = ""
	switch {
	case errors.Is(err, playback.ErrStalled):
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, ReasonOutputStalled
	case errors.Is(err, playback.ErrSource) && ev.Kind == protocol.KindLive:
		ev.Outcome, ev.Reason = protocol.OutcomeInterrupted, ReasonLiveLost
	case errors.Is(err, playback.ErrSource):
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, ReasonDecodeError
	case err != nil:
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, ReasonOutputError
	case r.Outcome == playback.Interrupted && cutBy == protocol.CommandEmergencyPlay:
		ev.Outcome, ev.Reason = protocol.OutcomeInterrupted, ReasonEmergency
	case r.Outcome == playback.Interrupted && cutBy == protocol.CommandEmergencyStop:
		ev.Outcome, ev.Reason = protocol.OutcomeInterrupted, ReasonEmergencyStop
	case r.Outcome == playback.Interrupted && cutBy == protocol.CommandLiveStart:
		ev.Outcome, ev.Reason = protocol.OutcomeInterrupted, ReasonLive
	case r.Outcome == playback.Interrupted && cutBy == protocol.CommandLiveStop: // the operator ended it
		ev.Outcome = protocol.OutcomeCompleted
	case r.Outcome == playback.Interrupted: // the agent is stopping: the open entry says so at the next start
		return
	default:
		ev.Outcome = protocol.OutcomeCompleted
	}
	if p.relay != nil {
		p.relay.settle(&ev, r, err)
	}
	if ev.Kind == protocol.KindLive {
		settleLive(&ev)
	}
	if errors.Is(err, playback.ErrSource) { // the output is fine
		a.log.Warn("play", "item", ev.ItemID, "err", err)
	} else if err != nil {
		a.log.Error("play", "item", ev.ItemID, "err", err)
		a.setFault("output_error", true)
		if p.out != nil {
			p.out.Close()
			p.out = nil
		}
	} else {
		a.setFault("output_error", false)
		a.setFault("audio_missing", false)
		// Health is measured on the audio: an item that went out silent
		// (a broken file, a wrong gain) is a fault even though it "played".
		if ev.Outcome == protocol.OutcomeCompleted && r.Played > time.Second {
			a.setFault("output_silent", r.LoudestDB < SilentDB)
		}
	}
	p.record(ev)
	a.log.Info("aired", "item", ev.ItemID, "outcome", ev.Outcome, "reason", ev.Reason,
		"start_error_ms", ev.StartedMs-ev.PlannedMs, "played_ms", ev.PlayedMs)
}

func (p *player) record(ev protocol.AiredEvent) {
	if err := p.a.store.Record(ev); err != nil {
		p.a.log.Error("journal event", "item", ev.ItemID, "err", err)
		return
	}
	kick(p.a.sendKick)
}
