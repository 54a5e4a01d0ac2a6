package alert

import (
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
	var out []Command
	for _, cmd := range cmds {
		if playingKinds[cmd.Kind] && cmd.State == protocol.StateDelivered && now.Sub(cmd.Updated) >= within {
			out = append(out, Command{ID: cmd.ID, Kind: cmd.Kind, State: cmd.State, Since: cmd.Updated})
		}
	}
	return out
}

// notPlaying is the station's stuck commands as one alert.
func (c *Checker) notPlaying(now time.Time, s stationState) (Alert, bool) {
	cmds := NotPlaying(now, c.cfg.PlayWithin, c.src.Hub.Commands(s.st.ID))
	if len(cmds) == 0 {
		return Alert{}, false
	}
	return Alert{Kind: KindNotPlaying, Station: s.st.ID, StationName: s.st.Name, Count: len(cmds), Since: cmds[0].Since, Commands: cmds}, true
}
