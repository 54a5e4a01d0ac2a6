package agent_test

import (
	"encoding/binary"
	"math"
	"net/http"
	"testing"
	"time"

	"loa/broadcast/hub/agenttest"
	"loa/broadcast/protocol"
)

// A live stream that breaks off (the server dropped the station, the 4G
// link died) is reported interrupted with reason live_lost and the audio
// that did play — not completed, and not a fault of the sound output.
func TestLiveStreamThatBreaksOffIsReportedLost(t *testing.T) {
	t.Parallel()
	srv := agenttest.NewServer(t)
	srv.Handle("GET /agent/live/live-1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		frame := make([]byte, 640) // 20 ms of 16 kHz mono
		for i := range 320 {
			binary.LittleEndian.PutUint16(frame[2*i:], uint16(int16(8000*math.Sin(2*math.Pi*float64(i)/32))))
		}
		for range 50 { // a second, in real time
			w.Write(frame)
			rc.Flush()
			time.Sleep(20 * time.Millisecond)
		}
		panic(http.ErrAbortHandler) // no final chunk: the body breaks off
	}))
	runAgent(t, srv, t.TempDir(), "null")
	deadline := time.Now().Add(20 * time.Second)
	for !srv.Hub.Online(srv.Station) {
		if time.Now().After(deadline) {
			t.Fatal("the agent never came online")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd := protocol.Command{ID: "live-cmd-1", Kind: protocol.CommandLiveStart, Live: &protocol.Live{
		ID: "live-1", Title: "Thông báo trực tiếp", Path: "/agent/live/live-1",
		Format: protocol.LivePCM16, Rate: 16000, Channels: 1, MaxMs: 60_000}}
	if err := srv.Hub.SendCommand(cmd, srv.Station); err != nil {
		t.Fatal(err)
	}
	evs := srv.WaitEvents(t, 1, 30*time.Second)
	e := evs[0]
	if e.ItemID != "live-1" || e.Kind != protocol.KindLive || e.Outcome != protocol.OutcomeInterrupted || e.Reason != "live_lost" {
		t.Fatalf("aired event %+v, want live-1 interrupted with reason live_lost", e)
	}
	if e.Played < 700*time.Millisecond || e.Played > 1500*time.Millisecond {
		t.Errorf("played %v of a stream that lasted a second", e.Played)
	}
}
