package hub

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/stations"
)

func TestAgentGetsPlaylistAndAiredEventsAreStoredOnce(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	token := s.addStation(t, "tdp-05")
	s.playlists.set("tdp-05", playlistFor("tdp-05", "2026-11-28", 1, "Bản tin sáng", "Cải cách hành chính"))

	a, w := connectAgent(t, s, token)
	if w.Station != "tdp-05" || w.Version != protocol.Version || w.MaxAiredBatch != DefaultMaxAiredBatch {
		t.Fatalf("welcome %+v", w)
	}
	if off, _ := protocol.EstimateOffset(w.ClockSample, time.Now()); off.Abs() > time.Second {
		t.Fatalf("clock offset on loopback %v", off)
	}
	m, _ := a.recvType(protocol.TypePlaylist)
	pl := m.Body.(*protocol.Playlist)
	if pl.Station != "tdp-05" || len(pl.Items) != 2 || pl.Items[1].Title != "Cải cách hành chính" {
		t.Fatalf("playlist %+v", pl)
	}
	a.send(protocol.TypePlaylistAck, &protocol.PlaylistAck{PlaylistRef: pl.Ref()})

	relay := airedEvent("ev-2", day.Add(2*time.Hour))
	relay.Kind = protocol.KindRelay
	batch := &protocol.Aired{Events: []protocol.AiredEvent{airedEvent("ev-1", day.Add(time.Hour)), relay}}
	a.send(protocol.TypeAired, batch)
	first := a.seq
	ack, _ := a.recvType(protocol.TypeAiredAck)
	if got := *ack.Body.(*protocol.AiredAck); got != (protocol.AiredAck{Ref: first, Stored: 2}) {
		t.Fatalf("first ack %+v", got)
	}
	a.send(protocol.TypeAired, batch) // the agent did not see the ack: it resends
	ack, _ = a.recvType(protocol.TypeAiredAck)
	if got := *ack.Body.(*protocol.AiredAck); got != (protocol.AiredAck{Ref: first + 1, Duplicates: 2}) {
		t.Fatalf("second ack %+v", got)
	}

	var stored []ledger.Event
	s.ledger.Between(day, day.Add(24*time.Hour), func(e ledger.Event) error { stored = append(stored, e); return nil })
	if len(stored) != 2 {
		t.Fatalf("%d events stored, want 2", len(stored))
	}
	if e := stored[0]; e.StationID != "tdp-05" || !slices.Equal(e.Groups, []string{"an-phu"}) ||
		e.Title != "Thông báo lịch tiếp dân" || e.Played != time.Minute || e.Kind != "" {
		t.Fatalf("stored %+v", e)
	}
	if stored[1].Kind != protocol.KindRelay {
		t.Fatalf("the relay's kind was not stored: %+v", stored[1])
	}
}

func TestReconnectReceivesOnlyChangedPlaylists(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	token := s.addStation(t, "tdp-01")
	today := playlistFor("tdp-01", "2026-11-28", 4, "A", "B")
	tomorrow := playlistFor("tdp-01", "2026-11-29", 1, "C")
	s.playlists.set("tdp-01", today, tomorrow)

	a, _ := connectAgent(t, s, token, today.Ref())
	m, skipped := a.recvType(protocol.TypePlaylist)
	for _, sk := range append(skipped, m) {
		if sk.Type == protocol.TypePlaylist && sk.Body.(*protocol.Playlist).Date == today.Date {
			t.Fatal("the playlist the agent holds was sent again")
		}
	}
	if got := m.Body.(*protocol.Playlist).Ref(); got != tomorrow.Ref() {
		t.Fatalf("got %+v, want tomorrow", got)
	}

	edited := playlistFor("tdp-01", "2026-11-28", 5, "A", "B đã sửa")
	s.playlists.set("tdp-01", edited, tomorrow)
	for range 5 { // coalesced into one fetch; still only today changes
		s.hub.Publish("tdp-01")
	}
	m, _ = a.recvType(protocol.TypePlaylist)
	if got := m.Body.(*protocol.Playlist).Ref(); got != edited.Ref() {
		t.Fatalf("got %+v, want the edited day", got)
	}
}

func TestRefusedTokens(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	token := s.addStation(t, "tdp-02")
	for name, tok := range map[string]string{"none": "", "unknown": "loa_st_nope", "tampered": token + "x"} {
		if _, resp, err := dial(t, s, tok); err == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s token: err %v", name, err)
		}
	}
	st, _ := s.stations.Station("tdp-02")
	st.Enabled = false
	s.stations.Update(st, day)
	if _, resp, err := dial(t, s, token); err == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("disabled station: err %v", err)
	}
}

func TestRevocationClosesLiveConnection(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	token := s.addStation(t, "tdp-03")
	a, _ := connectAgent(t, s, token)
	if err := s.stations.RevokeToken("tdp-03", day); err != nil {
		t.Fatal(err)
	}
	if code := a.closeCode(); code != protocol.CloseRevoked {
		t.Fatalf("close code %d, want %d", code, protocol.CloseRevoked)
	}
	if _, resp, err := dial(t, s, token); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked token reconnected: %v", err)
	}
}

func TestBadMessagesCloseOnlyTheirConnection(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	good, _ := connectAgent(t, s, s.addStation(t, "tdp-10"))
	cases := []struct {
		name  string
		frame func(a *agent) []byte
		code  int
	}{
		{"malformed", func(*agent) []byte { return []byte(`{"type":"status",`) }, protocol.CloseBadMessage},
		{"unknown type", func(a *agent) []byte { return []byte(`{"type":"reboot","seq":2,"data":{}}`) }, protocol.CloseBadMessage},
		{"server-only type", func(a *agent) []byte {
			f, _ := protocol.Encode(protocol.TypeAiredAck, a.seq+1, &protocol.AiredAck{Ref: 1})
			return f
		}, protocol.CloseBadMessage},
		{"out of order", func(a *agent) []byte {
			f, _ := protocol.Encode(protocol.TypePing, a.seq+2, &protocol.Ping{SentMs: time.Now().UnixMilli()})
			return f
		}, protocol.CloseOutOfOrder},
		{"second hello", func(a *agent) []byte {
			f, _ := protocol.Encode(protocol.TypeHello, a.seq+1, &protocol.Hello{Versions: []int{1}, SentMs: time.Now().UnixMilli()})
			return f
		}, protocol.CloseOutOfOrder},
		{"oversized", func(*agent) []byte { return bytes.Repeat([]byte(" "), protocol.MaxMessageBytes+10) }, 1009},
	}
	for i, c := range cases {
		id := "tdp-2" + string(rune('0'+i))
		bad, _ := connectAgent(t, s, s.addStation(t, id))
		bad.raw(c.frame(bad))
		if code := bad.closeCode(); code != c.code {
			t.Errorf("%s: close code %d, want %d", c.name, code, c.code)
		}
	}
	good.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	if m, _ := good.recvType(protocol.TypePong); m.Body.(*protocol.Pong).EchoMs == 0 {
		t.Fatal("pong without echo")
	}
	if !s.hub.Connected("tdp-10") {
		t.Fatal("the well-behaved agent was disconnected")
	}
}

func TestUnsupportedVersionRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ws, _, err := dial(t, s, s.addStation(t, "tdp-04"))
	if err != nil {
		t.Fatal(err)
	}
	a := &agent{t: t, ws: ws}
	a.send(protocol.TypeHello, &protocol.Hello{Versions: []int{99}, SentMs: time.Now().UnixMilli()})
	if code := a.closeCode(); code != protocol.CloseBadVersion {
		t.Fatalf("close code %d", code)
	}
}

func TestNewerConnectionReplacesOlder(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	token := s.addStation(t, "tdp-06")
	old, _ := connectAgent(t, s, token)
	connectAgent(t, s, token)
	if code := old.closeCode(); code != protocol.CloseReplaced {
		t.Fatalf("close code %d", code)
	}
}

func TestCommandDeliveryStates(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	onlineToken := s.addStation(t, "tdp-07")
	offlineToken := s.addStation(t, "tdp-08")
	a, _ := connectAgent(t, s, onlineToken)
	item := playlistFor("tdp-07", "2026-11-28", 1, "Cảnh báo bão").Items[0]
	item.Level = protocol.LevelEmergency
	cmd := protocol.Command{ID: "em-1", Kind: protocol.CommandEmergencyPlay, Item: &item, Repeat: 2}
	if err := s.hub.SendCommand(cmd, "tdp-07", "tdp-08"); err != nil {
		t.Fatal(err)
	}
	m, _ := a.recvType(protocol.TypeCommand)
	got := m.Body.(*protocol.Command)
	if got.ID != "em-1" || got.Item.Title != "Cảnh báo bão" || got.ExpiresMs == 0 {
		t.Fatalf("command %+v", got)
	}
	for _, st := range []string{protocol.StateDelivered, protocol.StatePlaying, protocol.StateDone, protocol.StateDelivered} {
		a.send(protocol.TypeCommandAck, &protocol.CommandAck{ID: "em-1", State: st})
	}
	a.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	a.recvType(protocol.TypePong) // acks before the ping are handled
	if st := s.hub.Commands("tdp-07"); len(st) != 1 || st[0].State != protocol.StateDone {
		t.Fatalf("online station: %+v", st)
	}
	if st := s.hub.Commands("tdp-08"); len(st) != 1 || st[0].State != StateQueued {
		t.Fatalf("offline station: %+v", st)
	}
	b, _ := connectAgent(t, s, offlineToken)
	if m, _ := b.recvType(protocol.TypeCommand); m.Body.(*protocol.Command).ID != "em-1" {
		t.Fatal("queued command not sent on connect")
	}
	b.send(protocol.TypeCommandAck, &protocol.CommandAck{ID: "em-1", State: protocol.StateFailed, Error: "no output"})
	b.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	b.recvType(protocol.TypePong)
	if sum := s.hub.CommandSummary("em-1"); sum[protocol.StateDone] != 1 || sum[protocol.StateFailed] != 1 {
		t.Fatalf("summary %v", sum)
	}
	if err := s.hub.SendCommand(protocol.Command{ID: "bad id", Kind: protocol.CommandRefresh}, "tdp-07"); err == nil {
		t.Fatal("invalid command accepted")
	}
}

func TestPresenceIsStoredAndSurvivesRestart(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	a, _ := connectAgent(t, s, s.addStation(t, "tdp-09"))
	a.send(protocol.TypeStatus, &protocol.Status{
		NowPlaying:   &protocol.NowPlaying{ItemID: "it-1", Title: "Bản tin", StartedMs: day.UnixMilli()},
		PlaylistDays: 3, AudioDays: 2, OutputDB: -19.5, Volume: 70, Faults: []string{"output_silent"},
		FreeDiskBytes: 4 << 30, ClockOffsetMs: 35,
	})
	a.send(protocol.TypePing, &protocol.Ping{SentMs: time.Now().UnixMilli()})
	a.recvType(protocol.TypePong)
	if !s.hub.Online("tdp-09") {
		t.Fatal("connected station not online")
	}
	s.stop() // Run flushes presence on shutdown

	reopened, err := stations.Open(s.db)
	if err != nil {
		t.Fatal(err)
	}
	p, err := reopened.Presence("tdp-09")
	if err != nil {
		t.Fatal(err)
	}
	if p.AgentVersion != "test-0.1" || p.AudioDays != 2 || p.NowPlaying == nil || p.NowPlaying.Title != "Bản tin" ||
		p.ClockOffsetMs != 35 || p.Faults[0] != "output_silent" || p.LastSeen.IsZero() {
		t.Fatalf("stored presence %+v", p)
	}
}

func TestAudioDownloadWithRange(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	token := s.addStation(t, "tdp-11")
	s.playlists.set("tdp-11", playlistFor("tdp-11", "2026-12-07", 1, "Bản tin")) // a station gets only what it was sent
	get := func(token, sum, rng string) *http.Response {
		req, _ := http.NewRequest("GET", s.url+"/agent/v1/audio/"+sum, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	sum := strings.Repeat("ab", 32)
	resp := get(token, sum, "bytes=10-")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusPartialContent || string(body) != testAudio[10:] || resp.Header.Get("ETag") != `"`+sum+`"` {
		t.Fatalf("range: %d %q", resp.StatusCode, body)
	}
	if resp := get("", sum, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: %d", resp.StatusCode)
	}
	if resp := get(token, strings.Repeat("cd", 32), ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing: %d", resp.StatusCode)
	}
	if resp := get(token, "../etc/passwd", ""); resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusNotFound {
		t.Fatalf("bad id: %d", resp.StatusCode)
	}
}
