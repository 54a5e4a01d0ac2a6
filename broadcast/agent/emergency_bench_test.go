package agent

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"loa/broadcast/protocol"
)

// BenchmarkEmergencyStart measures, on the real clock, how long an
// emergency takes from the player receiving the command (the link hands it
// over) to its first audio reaching the output (the null output, paced in
// real time): while the player waits for an item three hours away, and
// while an item plays (which fades out first, playback.FadeInterrupt).
// Each iteration is one emergency; the figures are the median and maximum:
//
//	go test -run '^$' -bench EmergencyStart -benchtime 20x ./broadcast/agent
func BenchmarkEmergencyStart(b *testing.B) {
	b.Run("idle", func(b *testing.B) {
		ba := startBubbleAgent(b, time.Now(), testItem(b, "later", jingle, time.Now().Add(3*time.Hour)))
		measureEmergencies(b, ba, func(int) {})
	})
	b.Run("playing", func(b *testing.B) {
		ba := startBubbleAgent(b, time.Now())
		measureEmergencies(b, ba, func(i int) {
			it := testItem(b, fmt.Sprint("item-", i), bulletin, time.Now().Add(700*time.Millisecond).Truncate(time.Millisecond))
			ba.deliver(b, it)
			ba.waitAudio(b, it.ID)
			time.Sleep(300 * time.Millisecond)
		})
	})
}

// measureEmergencies sends b.N emergencies, each after ready(i) set the
// scene, and reports when their audio began.
func measureEmergencies(b *testing.B, ba *bubbleAgent, ready func(i int)) {
	var took []time.Duration
	for i := range b.N {
		ready(i)
		cmd := emergencyCommand(b, fmt.Sprint("em-", i), jingle, ba.now())
		sent := ba.now()
		ba.command(cmd)
		took = append(took, ba.waitAudio(b, cmd.Item.ID).Sub(sent))
		ba.waitAck(b, cmd.ID, protocol.StateDone)
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "ms-max")
}

// waitAudio waits (on the real clock) for the named item's first audio.
func (b *bubbleAgent) waitAudio(t testing.TB, name string) time.Time {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if at, ok := b.out.audioBegan(name); ok {
			return at
		}
	}
	t.Fatalf("no audio of %s within 10 s", name)
	return time.Time{}
}

// waitAck waits for command id to reach state (no link runs: the acks
// stay in the agent's queue).
func (b *bubbleAgent) waitAck(t testing.TB, id, state string) protocol.CommandAck {
	t.Helper()
	limit := time.After(30 * time.Second)
	for {
		select {
		case ack := <-b.a.acks:
			if ack.ID == id && ack.State == state {
				return ack
			}
		case <-limit:
			t.Fatalf("command %s never reached %s", id, state)
		}
	}
}
