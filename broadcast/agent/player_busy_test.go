package agent

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"loa/broadcast/protocol"
)

// While the player fetches an emergency's audio or connects a live stream
// it still hears commands. These run on the real clock against a server
// that never answers; the bounds only say "at once, not after the fetch's
// two minutes or the connect's ten seconds".

// stalledServer answers nothing until the request is given up.
func stalledServer(t *testing.T) (url string, asked <-chan string) {
	t.Helper()
	ch := make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ch <- r.URL.Path
		<-r.Context().Done()
	}))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return srv.URL, ch
}

func waitAsked(t *testing.T, asked <-chan string, prefix string) {
	t.Helper()
	select {
	case p := <-asked:
		if !strings.HasPrefix(p, prefix) {
			t.Fatalf("the server was asked for %s, want %s…", p, prefix)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the server was never asked for %s…", prefix)
	}
}

func TestCommandsCutAnEmergencyWhoseAudioDownloads(t *testing.T) {
	t.Parallel()
	url, asked := stalledServer(t)
	b := startAgentWith(t, time.Now(), func(c *Config) { c.Server = url })
	uncached := func(id string) protocol.Command {
		c := emergencyCommand(t, id, jingle, b.now())
		c.Item.AudioSHA256 = strings.Repeat("ab", 32)
		return c
	}

	b.command(uncached("em-1"))
	waitAsked(t, asked, AudioPath)
	b.command(protocol.Command{ID: "stop-1", Kind: protocol.CommandEmergencyStop, ExpiresMs: b.now().Add(time.Minute).UnixMilli()})
	b.waitAck(t, "stop-1", protocol.StateDone)
	if ack := b.waitAck(t, "em-1", protocol.StateDone); ack.Error != "stopped" {
		t.Errorf("em-1 ended %q, want stopped", ack.Error)
	}

	b.command(uncached("em-2"))
	waitAsked(t, asked, AudioPath)
	sent := b.now()
	newer := emergencyCommand(t, "em-3", jingle, sent)
	b.command(newer)
	if ack := b.waitAck(t, "em-2", protocol.StateDone); ack.Error != "replaced" {
		t.Errorf("em-2 ended %q, want replaced", ack.Error)
	}
	if d := b.waitAudio(t, newer.Item.ID).Sub(sent); d > 2*time.Second {
		t.Errorf("the newer emergency began %v after it came", d)
	}
	if ack := b.waitAck(t, "em-3", protocol.StateDone); ack.Error != "" {
		t.Errorf("em-3 ended %q", ack.Error)
	}
}

func TestCommandsCutALiveBroadcastThatConnects(t *testing.T) {
	t.Parallel()
	url, asked := stalledServer(t)
	b := startAgentWith(t, time.Now(), func(c *Config) { c.Server = url })
	live := func(id string) protocol.Command {
		return protocol.Command{ID: "cmd-" + id, Kind: protocol.CommandLiveStart, ExpiresMs: b.now().Add(time.Minute).UnixMilli(),
			Live: &protocol.Live{ID: id, Path: "/agent/live/" + id, Format: protocol.LivePCM16, Rate: 16000, Channels: 1, MaxMs: 60_000}}
	}

	b.command(live("live-1"))
	waitAsked(t, asked, "/agent/live/live-1")
	b.command(protocol.Command{ID: "stop-1", Kind: protocol.CommandLiveStop, Live: &protocol.Live{ID: "live-1"},
		ExpiresMs: b.now().Add(time.Minute).UnixMilli()})
	b.waitAck(t, "stop-1", protocol.StateDone)
	b.waitAck(t, "cmd-live-1", protocol.StateDone)

	b.command(live("live-2"))
	waitAsked(t, asked, "/agent/live/live-2")
	sent := b.now()
	em := emergencyCommand(t, "em-1", jingle, sent)
	b.command(em)
	if ack := b.waitAck(t, "cmd-live-2", protocol.StateDone); ack.Error != "replaced" {
		t.Errorf("live-2 ended %q, want replaced", ack.Error)
	}
	if d := b.waitAudio(t, em.Item.ID).Sub(sent); d > 2*time.Second {
		t.Errorf("the emergency began %v after it came", d)
	}
	if e := b.journal(t)["live-2"]; e.Outcome != "" {
		t.Errorf("a live broadcast that never connected was journaled: %+v", e)
	}
}
