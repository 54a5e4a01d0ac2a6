package agent

import (
	"testing"
	"testing/synctest"
	"time"

	"loa/broadcast/protocol"
)

// The waits besides the long one: the last stretch before an item's
// instant, a relay retrying its connection, and what the status says
// about each.

func TestEmergencyInTheLastStretchDropsTheReadiedItem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		nine := testItem(t, "nine", jingle, at(9, 0, 0))
		b := startBubbleAgent(t, at(8, 59, 50), nine)
		b.sleepUntil(at(8, 59, 59).Add(400 * time.Millisecond))
		if b.journaled(nine) {
			t.Fatal("journaled 600 ms before its instant, before its prepare lead")
		}
		b.sleepUntil(at(8, 59, 59).Add(700 * time.Millisecond))
		if !b.journaled(nine) {
			t.Fatal("not journaled 300 ms before its instant: the last stretch did not begin")
		}
		sent := b.now()
		b.command(emergencyCommand(t, "em-1", bulletin, sent))
		synctest.Wait()
		if began, ok := b.out.audioBegan("storm-em-1"); !ok || began.Sub(sent) > 100*time.Millisecond {
			t.Errorf("emergency in the last stretch: audio began %v after (ok %v)", began.Sub(sent), ok)
		}
		b.sleepUntil(at(9, 0, 30))
		if _, ok := b.out.audioBegan("nine"); ok {
			t.Error("the item cut before its instant still played")
		}
		j := b.journal(t)
		if e := j["nine"]; e.Outcome != protocol.OutcomeMissed || e.Reason != ReasonEmergency || e.StartedMs != 0 {
			t.Errorf("nine: %s/%s started %d, want missed/%s", e.Outcome, e.Reason, e.StartedMs, ReasonEmergency)
		}
		if e := j["storm-em-1"]; e.Outcome != protocol.OutcomeCompleted || e.CommandID != "em-1" {
			t.Errorf("emergency: %+v, want completed for em-1", e)
		}
	})
}

func TestPlaylistChangeInTheLastStretch(t *testing.T) {
	t.Run("the item left the plan: never journaled, never played", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			nine := testItem(t, "nine", jingle, at(9, 0, 0))
			b := startBubbleAgent(t, at(8, 59, 50), nine)
			b.sleepUntil(at(8, 59, 59).Add(700 * time.Millisecond))
			later := testItem(t, "later", jingle, at(9, 0, 20))
			b.deliver(t, later)
			b.sleepUntil(at(9, 1, 0))
			if b.journaled(nine) {
				t.Errorf("the removed item is in the journal: %+v", b.journal(t)["nine"])
			}
			if _, ok := b.out.audioBegan("nine"); ok {
				t.Error("the removed item played")
			}
			if e := b.journal(t)["later"]; e.Outcome != protocol.OutcomeCompleted || e.StartedMs != later.StartMs {
				t.Errorf("later: %s started %d, want completed at %d", e.Outcome, e.StartedMs, later.StartMs)
			}
		})
	})
	t.Run("the item is still next: it starts on its instant", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			nine := testItem(t, "nine", jingle, at(9, 0, 0))
			b := startBubbleAgent(t, at(8, 59, 50), nine)
			b.sleepUntil(at(8, 59, 59).Add(700 * time.Millisecond))
			b.deliver(t, nine, testItem(t, "half-past", jingle, at(9, 30, 0)))
			b.sleepUntil(at(9, 0, 5))
			if e := b.journal(t)["nine"]; e.Outcome != protocol.OutcomeCompleted || e.StartedMs != nine.StartMs {
				t.Errorf("nine: %s started %d ms from its instant, want completed on it", e.Outcome, e.StartedMs-nine.StartMs)
			}
		})
	})
}

// A clock set back by NTP in the last stretch (the item readied and
// journaled) takes the item out of the journal until its instant comes
// again on the new clock; then it plays on time.
func TestClockGoingBackInTheLastStretch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		nine := testItem(t, "nine", jingle, at(9, 0, 0))
		b := startBubbleAgent(t, at(8, 59, 50), nine)
		b.sleepUntil(at(8, 59, 59).Add(700 * time.Millisecond))
		if !b.journaled(nine) {
			t.Fatal("not journaled in its last stretch")
		}
		b.setClock(at(7, 59, 59).Add(700 * time.Millisecond))
		b.sleepUntil(at(8, 0, 5))
		if b.journaled(nine) {
			t.Error("still journaled as on air an hour before its instant after the clock went back")
		}
		b.sleepUntil(at(9, 0, 5))
		if e := b.journal(t)["nine"]; e.Outcome != protocol.OutcomeCompleted || e.StartedMs != nine.StartMs {
			t.Errorf("nine: %s started %d ms from its instant, want completed on it", e.Outcome, e.StartedMs-nine.StartMs)
		}
	})
}

// A playlist that changes while an emergency plays is the one the player
// follows when the emergency ends: the new item plays, the removed one is
// never journaled.
func TestPlaylistChangeDuringAnEmergencyIsFollowedAfterIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		removed := testItem(t, "removed", jingle, at(10, 0, 0))
		b := startBubbleAgent(t, at(9, 0, 0), removed)
		b.command(emergencyCommand(t, "em-1", bulletin, b.now()))
		b.sleepUntil(at(9, 0, 2))
		added := testItem(t, "added", jingle, at(9, 0, 15))
		b.deliver(t, added)
		b.sleepUntil(at(10, 1, 0))
		j := b.journal(t)
		if e := j["storm-em-1"]; e.Outcome != protocol.OutcomeCompleted {
			t.Errorf("emergency: %s/%s", e.Outcome, e.Reason)
		}
		if e := j["added"]; e.Outcome != protocol.OutcomeCompleted || e.StartedMs != added.StartMs {
			t.Errorf("added: %s started %d ms from its instant, want completed on it", e.Outcome, e.StartedMs-added.StartMs)
		}
		if b.journaled(removed) {
			t.Errorf("the removed item was journaled: %+v", j["removed"])
		}
		// A stop with nothing on air is done at once, even while waiting.
		b.command(protocol.Command{ID: "stop-1", Kind: protocol.CommandEmergencyStop, ExpiresMs: b.now().Add(time.Minute).UnixMilli()})
		synctest.Wait()
		if ack := b.waitAck(t, "stop-1", protocol.StateDone); ack.Error != "" {
			t.Errorf("stop while idle: %+v", ack)
		}
	})
}

// A relay whose radio is down retries its connection; an emergency cuts it
// as fast as it cuts an item.
func TestEmergencyCutsARelayBetweenRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		relay := protocol.Item{ID: "vov1", Title: "Tiếp sóng VOV1", Level: protocol.LevelOrdinary, Kind: protocol.KindRelay,
			StartMs: at(9, 0, 0).UnixMilli(), DurationMs: time.Minute.Milliseconds(), URL: "http://127.0.0.1:1/vov1.mp3"}
		b := startBubbleAgent(t, at(8, 59, 50), relay)
		b.sleepUntil(at(9, 0, 3))
		sent := b.now()
		b.command(emergencyCommand(t, "em-1", jingle, sent))
		b.sleepUntil(at(9, 0, 10))
		// The relay fades out over playback.FadeInterrupt first.
		if began, ok := b.out.audioBegan("storm-em-1"); !ok || began.Sub(sent) > 600*time.Millisecond {
			t.Errorf("emergency during relay retries: audio began %v after (ok %v)", began.Sub(sent), ok)
		}
		if e := b.journal(t)["vov1"]; e.Outcome != protocol.OutcomeInterrupted || e.Reason != ReasonEmergency {
			t.Errorf("relay: %s/%s, want interrupted/%s", e.Outcome, e.Reason, ReasonEmergency)
		}
	})
}

func TestStatusSaysWhatThePlayerDoes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jingle1730 := testItem(t, "jingle", jingle, at(17, 30, 0))
		b := startBubbleAgent(t, at(6, 37, 50), jingle1730)
		synctest.Wait()
		v1 := b.day
		b.checkStatus(t, "holding v1", nil, &protocol.Waiting{ItemID: "jingle", Title: "jingle",
			PlannedMs: jingle1730.StartMs, Day: "2026-12-07", PlaylistVersion: 1, PlaylistHash: v1.Hash})

		approved := testItem(t, "approved", bulletin, at(6, 39, 9))
		b.deliver(t, approved, jingle1730)
		synctest.Wait()
		v2 := b.day
		b.checkStatus(t, "after v2", nil, &protocol.Waiting{ItemID: "approved", Title: "approved",
			PlannedMs: approved.StartMs, Day: "2026-12-07", PlaylistVersion: 2, PlaylistHash: v2.Hash})

		b.sleepUntil(at(6, 39, 10))
		b.checkStatus(t, "on air", &protocol.NowPlaying{ItemID: "approved", Title: "approved", StartedMs: approved.StartMs,
			PlannedMs: approved.StartMs, Day: "2026-12-07", PlaylistVersion: 2, PlaylistHash: v2.Hash}, nil)

		sent := b.now()
		em := emergencyCommand(t, "em-1", jingle, sent)
		b.command(em)
		b.sleepUntil(at(6, 39, 11))
		st := b.a.Snapshot()
		if np := st.NowPlaying; np == nil || np.CommandID != "em-1" || np.ItemID != em.Item.ID || np.Day != "" {
			t.Errorf("during the emergency: now playing %+v, want em-1's item and no playlist", np)
		}

		b.sleepUntil(at(6, 40, 0))
		b.checkStatus(t, "after the emergency", nil, &protocol.Waiting{ItemID: "jingle", Title: "jingle",
			PlannedMs: jingle1730.StartMs, Day: "2026-12-07", PlaylistVersion: 2, PlaylistHash: v2.Hash})
	})
}

// checkStatus compares what the status says the player does, and checks
// the server's strict decoder takes it.
func (b *bubbleAgent) checkStatus(t *testing.T, when string, np *protocol.NowPlaying, w *protocol.Waiting) {
	t.Helper()
	st := b.a.Snapshot()
	if !equalPtr(st.NowPlaying, np) || !equalPtr(st.Waiting, w) {
		t.Errorf("%s: now playing %+v, waiting %+v; want %+v, %+v", when, st.NowPlaying, st.Waiting, np, w)
	}
	frame, err := protocol.Encode(protocol.TypeStatus, 1, &st)
	if err == nil {
		_, err = protocol.Decode(frame)
	}
	if err != nil {
		t.Errorf("%s: the status does not pass the protocol: %v", when, err)
	}
}
