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

// playLoop plays the schedule until ctx ends. Every pass plans afresh
// from the playlists held now: a wait ends for a command or a playlist
// change, never only at the instant it waited for.
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
		a.setWaiting(next)
		until := a.serverNow().Add(idleReplan)
		if next != nil {
			until = time.UnixMilli(next.StartMs).Add(-a.cfg.PrepareLead)
		}
		switch w, cmd := p.wait(ctx, until); {
		case w == wakeCommand:
			p.runCommand(ctx, cmd)
		case w == wakeDue && next != nil:
			p.playScheduled(ctx, *next)
		}
	}
	return nil
}

// idleReplan is how often a player with nothing ahead plans again.
const idleReplan = time.Minute

// source is the playlist a scheduled item came from.
type source struct {
	day     string
	version uint64
	hash    string
}

// planned is an item of the plan and the playlist it came from.
type planned struct {
	protocol.Item
	src source
}

// plan returns the items of the playlists held from yesterday on, by start.
func (a *Agent) plan() ([]planned, error) {
	pls, err := a.store.Playlists(a.dayBefore())
	if err != nil {
		return nil, err
	}
	var items []planned
	for _, p := range pls {
		for _, it := range p.Items {
			items = append(items, planned{it, source{p.Date, p.Version, p.Hash}})
		}
	}
	slices.SortStableFunc(items, func(x, y planned) int { return int(x.StartMs - y.StartMs) })
	return items, nil
}

// settle reports every unhandled item whose start has passed as missed
// (or, with PlayLate, returns the first one still within its slot) and
// returns the next item to play, nil when there is none.
func (p *player) settle() (*planned, error) {
	a := p.a
	items, err := a.plan()
	if err != nil {
		return nil, err
	}
	late, next := p.pick(items, "")
	var missed []protocol.AiredEvent
	for _, it := range late {
		missed = append(missed, p.missedEvent(it.Item))
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

// pick splits the plan at the agent's now: the unhandled items whose start
// has passed, and the next one to play (nil when none). The event id
// except counts as unhandled: the item being readied, already journaled.
func (p *player) pick(items []planned, except string) (late []planned, next *planned) {
	a := p.a
	now := a.serverNow().UnixMilli()
	tol := a.cfg.LateTolerance.Milliseconds()
	for i := range items {
		it := items[i]
		if id := scheduledID(it.Item); id != except && a.store.Handled(id) {
			continue
		}
		if it.StartMs >= now-tol || (a.cfg.PlayLate && it.StartMs+it.DurationMs > now) {
			return late, &it
		}
		late = append(late, it)
	}
	return late, nil
}

// stillNext reports whether it, readied and journaled, is still the next
// item of the playlists held now.
func (p *player) stillNext(it planned) bool {
	items, err := p.a.plan()
	if err != nil {
		return false
	}
	_, next := p.pick(items, scheduledID(it.Item))
	return next != nil && *next == it
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

// wake says why a wait of the player ended.
type wake int

const (
	wakeDue     wake = iota // the instant waited for came
	wakeCommand             // a command came: run it
	wakeReplan              // the playlists changed: plan again from them
	wakeClock               // the agent's clock went back: plan again
	wakeStop                // the agent is stopping
)

// clockBack is how far the agent's clock must go back (NTP, a first clock
// sample from the server) for a wait to end with wakeClock.
const clockBack = time.Second

// wait waits until the agent's clock reads until, or less when something
// needs the player: a command, a playlist change, the clock going back,
// ctx's end. It re-reads the clock at least every Config.ClockCheck, so
// that a clock set by NTP moves the wait within that; below that the wait
// is a monotonic timer. A command or a playlist change already waiting
// goes first, even when the instant has passed.
func (p *player) wait(ctx context.Context, until time.Time) (wake, protocol.Command) {
	a := p.a
	expect := time.Duration(-1) // what should be left of the wait now; -1 before the first step
	for {
		select {
		case <-ctx.Done():
			return wakeStop, protocol.Command{}
		case cmd := <-a.commands:
			return wakeCommand, cmd
		case <-a.plChanged:
			return wakeReplan, protocol.Command{}
		default:
		}
		left := until.Sub(a.serverNow())
		switch {
		case left <= 0:
			return wakeDue, protocol.Command{}
		case expect >= 0 && left > expect+clockBack:
			return wakeClock, protocol.Command{}
		}
		step := min(left, a.cfg.ClockCheck)
		expect = left - step
		t := time.NewTimer(step)
		select {
		case <-ctx.Done():
			t.Stop()
			return wakeStop, protocol.Command{}
		case cmd := <-a.commands:
			t.Stop()
			return wakeCommand, cmd
		case <-a.plChanged:
			t.Stop()
			return wakeReplan, protocol.Command{}
		case <-t.C:
		}
	}
}

// playScheduled prepares an item, starts it on its planned instant and
// journals the outcome.
func (p *player) playScheduled(ctx context.Context, it planned) {
	if it.Kind == protocol.KindRelay {
		p.playRelay(ctx, it)
		return
	}
	ev := scheduledEvent(it.Item)
	prep, reason := p.prepare(it.Item)
	if prep == nil {
		ev.Outcome, ev.Reason = protocol.OutcomeFailed, reason
		p.record(ev)
		return
	}
	if w, cmd := p.lastStretch(ctx, it, ev); w != wakeDue {
		prep.Close()
		p.runIf(ctx, w, cmd)
		return
	}
	if cmd, interrupted := p.play(ctx, prep, ev, false, it.src); interrupted {
		p.runCommand(ctx, cmd)
	}
}

// lastStretch journals a readied item as on air (before its start, so the
// fsync does not delay it) and waits for its instant. A playlist change
// that keeps it next does not end the wait; anything else that ends it
// (a command, the item leaving the plan or no longer next, the clock going
// back, ctx) removes the entry again, and the caller drops the item.
func (p *player) lastStretch(ctx context.Context, it planned, ev protocol.AiredEvent) (wake, protocol.Command) {
	p.begin(ev, it.StartMs)
	for {
		w, cmd := p.wait(ctx, time.UnixMilli(it.StartMs))
		if w == wakeReplan && p.stillNext(it) {
			continue
		}
		if w != wakeDue {
			if err := p.a.store.Forget(ev.ID); err != nil {
				p.a.log.Error("journal: forget an item that did not start", "item", it.ID, "err", err)
			}
		}
		return w, cmd
	}
}

// runIf runs the command that ended a wait, if one did.
func (p *player) runIf(ctx context.Context, w wake, cmd protocol.Command) {
	if w == wakeCommand {
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
// src is the playlist of a scheduled item (zero for anything else).
func (p *player) play(ctx context.Context, prep *playback.Prepared, ev protocol.AiredEvent, emergency bool, src source) (protocol.Command, bool) {
	a := p.a
	ev.StartedMs = a.serverNow().UnixMilli()
	if emergency {
		p.begin(ev, ev.StartedMs)
	}
	a.setPlaying(ev, src)

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
			default:
				p.answer(c)
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

// finish journals how an item ended.
func (p *player) finish(ctx context.Context, ev protocol.AiredEvent, r playback.Result, err error, cutBy string) {
	a := p.a
	// The output stamps its start on the monotonic clock; the report is on
	// the agent's clock, mapped to the server's.
	now := a.serverNow()
	if !r.Started.IsZero() {
		ev.StartedMs = now.Add(-time.Since(r.Started)).UnixMilli()
	}
	ev.EndedMs = max(ev.StartedMs, now.UnixMilli())
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
