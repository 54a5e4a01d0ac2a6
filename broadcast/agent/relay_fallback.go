package agent

import (
	"context"
	"fmt"
	"slices"
	"time"

	"loa/broadcast/protocol"
)

// relayFallback fills the rest of a failed relay's slot with audio the
// agent holds: the items of the relay's day, priority ones first, then the
// others in their order, each at most once, only those that end before the
// slot does. Each is reported as an unplanned audio item with reason
// relay_fallback. It returns the command that interrupted it, if one did.
func (p *player) relayFallback(ctx context.Context, relay protocol.Item, relayEventID string, end time.Time) (protocol.Command, bool) {
	a := p.a
	cands, err := a.fallbackCandidates(relay)
	if err != nil {
		a.log.Error("relay fallback", "item", relay.ID, "err", err)
		return protocol.Command{}, false
	}
	for n := 1; ctx.Err() == nil; n++ {
		now := a.serverNow()
		// Ending PrepareLead early leaves the next item its time to prepare.
		i := slices.IndexFunc(cands, func(c protocol.Item) bool {
			return !now.Add(time.Duration(c.DurationMs)*time.Millisecond + a.cfg.PrepareLead).After(end)
		})
		if i < 0 {
			return protocol.Command{}, false
		}
		it := cands[i]
		cands = slices.Delete(cands, i, i+1)
		it.StartMs = now.UnixMilli()
		ev := fallbackEvent(relay, relayEventID, n, it)
		prep, reason := p.prepare(it)
		if prep == nil {
			ev.Outcome, ev.Reason = protocol.OutcomeFailed, reason
			p.record(ev)
			continue
		}
		p.begin(ev, it.StartMs)
		if cmd, interrupted := p.play(ctx, prep, ev, false, source{}); interrupted {
			return cmd, true
		}
	}
	return protocol.Command{}, false
}

// fallbackCandidates lists the cached audio items of the relay's day:
// priority items first, then the others, each audio once.
func (a *Agent) fallbackCandidates(relay protocol.Item) ([]protocol.Item, error) {
	pls, err := a.store.Playlists(a.dayBefore())
	if err != nil {
		return nil, err
	}
	var day []protocol.Item
	for _, pl := range pls {
		if slices.ContainsFunc(pl.Items, func(it protocol.Item) bool { return it.ID == relay.ID && it.StartMs == relay.StartMs }) {
			day = slices.Clone(pl.Items)
			break
		}
	}
	slices.SortStableFunc(day, func(x, y protocol.Item) int {
		return fallbackRank(x) - fallbackRank(y)
	})
	seen := map[string]bool{}
	var out []protocol.Item
	for _, it := range day {
		if it.Kind != protocol.KindAudio || it.Level == protocol.LevelEmergency || seen[it.AudioSHA256] ||
			!a.cache.Has(it.AudioSHA256) {
			continue
		}
		seen[it.AudioSHA256] = true
		out = append(out, it)
	}
	return out, nil
}

func fallbackRank(it protocol.Item) int {
	if it.Level == protocol.LevelPriority {
		return 0
	}
	return 1
}

// fallbackEvent is the proof of play of the n-th fallback item of a relay.
// Its item id is its own (the relay's id and n): reports match events to
// the plan by item id, and the library item it repeats has its own slot.
func fallbackEvent(relay protocol.Item, relayEventID string, n int, it protocol.Item) protocol.AiredEvent {
	id := fmt.Sprintf("%s:fallback-%d", relay.ID, n)
	if len(id) > 64 {
		id = "fallback-" + eventID(relay.ID, fmt.Sprint(n))[:32]
	}
	return protocol.AiredEvent{
		ID: eventID("relay_fallback", relayEventID, fmt.Sprint(n)), ItemID: id, SegmentID: it.SegmentID,
		Title: it.Title, Topic: it.Topic, Level: it.Level, DurationMs: it.DurationMs, PlannedMs: it.StartMs,
		Kind: protocol.KindAudio,
	}
}
