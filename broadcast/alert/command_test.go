package alert

import (
	"testing"
	"time"

	"loa/broadcast/hub"
	"loa/broadcast/protocol"
	"loa/internal/testclock"
)

// A command that must go on air and stays delivered past the bound is
// stuck; one still within it, one playing, one merely sent and a volume
// change are not.
func TestNotPlayingAfterTheBound(t *testing.T) {
	now := testclock.Now(t)
	cmd := func(id, kind, state string, ago time.Duration) hub.CommandState {
		return hub.CommandState{ID: id, Kind: kind, State: state, Updated: now.Add(-ago)}
	}
	cmds := []hub.CommandState{
		cmd("em-stuck", protocol.CommandEmergencyPlay, protocol.StateDelivered, 31*time.Second),
		cmd("em-fresh", protocol.CommandEmergencyPlay, protocol.StateDelivered, 10*time.Second),
		cmd("em-playing", protocol.CommandEmergencyPlay, protocol.StatePlaying, time.Hour),
		cmd("em-sent", protocol.CommandEmergencyPlay, hub.StateSent, time.Hour),
		cmd("live-stuck", protocol.CommandLiveStart, protocol.StateDelivered, time.Minute),
		cmd("vol", protocol.CommandSetVolume, protocol.StateDelivered, time.Hour),
	}
	got := NotPlaying(now, DefaultPlayWithin, cmds)
	if len(got) != 2 || got[0].ID != "em-stuck" || got[1].ID != "live-stuck" || !got[0].Since.Equal(now.Add(-31*time.Second)) {
		t.Fatalf("stuck commands: %+v", got)
	}
	if got := NotPlaying(now, time.Hour+time.Second, cmds); len(got) != 0 {
		t.Errorf("with a bound of an hour: %+v", got)
	}
}
