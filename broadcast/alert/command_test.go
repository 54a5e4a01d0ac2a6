package alert

import (
	"strings"
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

// An emergency written to an online agent's socket and never acked is as
// silent as one acked and not played: past the bound it is stuck, named
// with its state; a sent volume change is not; an offline station's sent
// command waits for the reconnect (the offline alert says the rest).
func TestSentAndNeverAcked(t *testing.T) {
	now := testclock.Now(t)
	cmds := []hub.CommandState{
		{ID: "em-sent", Kind: protocol.CommandEmergencyPlay, State: hub.StateSent, Updated: now.Add(-31 * time.Second)},
		{ID: "em-sent-now", Kind: protocol.CommandEmergencyPlay, State: hub.StateSent, Updated: now.Add(-5 * time.Second)},
		{ID: "vol-sent", Kind: protocol.CommandSetVolume, State: hub.StateSent, Updated: now.Add(-time.Hour)},
	}
	got := NotAcked(now, DefaultPlayWithin, cmds)
	if len(got) != 1 || got[0].ID != "em-sent" || got[0].State != hub.StateSent {
		t.Fatalf("sent and never acked: %+v", got)
	}
}

// Through the real hub: an agent that never acks an emergency raises
// command_not_playing once the bound has passed, and only then.
func TestEmergencyNeverAckedThroughTheLink(t *testing.T) {
	start := testclock.Now(t)
	now := start
	var token string
	w := newTestWard(t, func(w *testWard) {
		w.clock = func() time.Time { return now }
		token = w.addStation(t, "tdp-01", start)
	})
	dialStatusAgent(t, w.serve(t), token)
	for deadline := time.Now().Add(5 * time.Second); !w.hub.Connected("tdp-01"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the agent did not connect")
		}
	}
	item := &protocol.Item{ID: "em", SegmentID: "1", Title: "Bão số 5", Level: protocol.LevelEmergency, StartMs: start.UnixMilli(), DurationMs: 60_000,
		AudioSHA256: strings.Repeat("a", 64), AudioSize: 100, Kind: protocol.KindAudio}
	if err := w.hub.SendCommand(protocol.Command{ID: "cmd-1", Kind: protocol.CommandEmergencyPlay, Item: item, Repeat: 1}, "tdp-01"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if cs := w.hub.Commands("tdp-01"); len(cs) == 1 && cs[0].State == hub.StateSent {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the command was not sent: %+v", cs)
		}
	}
	stuck := func(at time.Time) (Alert, bool) {
		alerts, err := w.checker(Config{}).Alerts(at)
		if err != nil {
			t.Fatal(err)
		}
		a, ok := byID(alerts)["command_not_playing:tdp-01"]
		return a, ok
	}
	if a, ok := stuck(start.Add(10 * time.Second)); ok {
		t.Fatalf("10 s after sending: %+v", a)
	}
	a, ok := stuck(start.Add(31 * time.Second))
	if !ok || a.Severity != Critical || len(a.Commands) != 1 || a.Commands[0].ID != "cmd-1" || a.Commands[0].State != hub.StateSent {
		t.Fatalf("31 s after sending, never acked: %v %+v", ok, a)
	}
}
