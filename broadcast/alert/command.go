package alert

import (
	"slices"
	"time"

	"loa/broadcast/hub"
	"loa/broadcast/protocol"
)

// playingKinds are the commands that must go on air once delivered.
var playingKinds = map[string]bool{protocol.CommandEmergencyPlay: true, protocol.CommandLiveStart: true}

// NotPlaying returns the commands of one station that must go on air
// (emergency play, live start) and have stayed delivered for within or
// longer at now: the agent has them and is not playing them.
func NotPlaying(now time.Time, within time.Duration, cmds []hub.CommandState) []Command {
	return stuckIn(protocol.StateDelivered, now, within, cmds)
}

// NotAcked returns the commands of one station that must go on air and
// were written to its socket within or longer before now without the
// agent acknowledging them: a link that looks up but carries nothing.
func NotAcked(now time.Time, within time.Duration, cmds []hub.CommandState) []Command {
	return stuckIn(hub.StateSent, now, within, cmds)
}

// stuckIn returns the commands that must go on air and have stayed in
// state for within or longer.
func stuckIn(state string, now time.Time, within time.Duration, cmds []hub.CommandState) []Command {
	var out []Command
	for _, cmd := range cmds {
		if playingKinds[cmd.Kind] && cmd.State == state && now.Sub(cmd.Updated) >= within {
			out = append(out, Command{ID: cmd.ID, Kind: cmd.Kind, State: cmd.State, Since: cmd.Updated})
		}
	}
	return out
}

// notPlaying is the station's stuck commands as one alert, oldest first:
// delivered and not playing, or (while the station is connected) sent and
// never acknowledged. A disconnected station's sent command is sent again
// when it reconnects; the offline alert speaks for it meanwhile.
func (c *Checker) notPlaying(now time.Time, s stationState) (Alert, bool) {
	all := c.src.Hub.Commands(s.st.ID)
	cmds := NotPlaying(now, c.cfg.PlayWithin, all)
	if c.src.Hub.Connected(s.st.ID) {
		cmds = append(cmds, NotAcked(now, c.cfg.PlayWithin, all)...)
	}
	if len(cmds) == 0 {
		return Alert{}, false
	}
	slices.SortStableFunc(cmds, func(a, b Command) int { return a.Since.Compare(b.Since) })
	return Alert{Kind: KindNotPlaying, Station: s.st.ID, StationName: s.st.Name, Count: len(cmds), Since: cmds[0].Since, Commands: cmds}, true
}
