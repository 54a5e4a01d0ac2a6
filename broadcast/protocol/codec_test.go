package protocol

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func samplePlaylist() Playlist {
	p := Playlist{
		Station: "tdp-05", Date: "2026-11-28", Zone: "Asia/Ho_Chi_Minh", Version: 3,
		Items: []Item{{
			ID: "it-1", SegmentID: "seg-7", Title: "Thông báo cải cách hành chính", Topic: "cchc",
			Level: LevelOrdinary, StartMs: 1795831200000, DurationMs: 120000, CueOutMs: 119500,
			GainDB: -2.5, AudioSHA256: strings.Repeat("ab", 32), AudioSize: 1 << 20, Kind: KindAudio,
		}, {
			ID: "it-2", Title: "Tiếp sóng VOV1", Topic: "news", Level: LevelPriority,
			StartMs: 1795831400000, DurationMs: 1800000, Kind: KindRelay, URL: "https://relay.example/vov1",
		}},
	}
	p.Hash = p.ComputeHash()
	return p
}

func TestRoundTripEveryType(t *testing.T) {
	t.Parallel()
	pl := samplePlaylist()
	clock := ClockSample{EchoMs: 1795831200000, RecvMs: 1795831200010, SendMs: 1795831200011}
	bodies := map[string]any{
		TypeHello:       &Hello{Versions: []int{1}, Agent: "0.1.0", Held: []PlaylistRef{pl.Ref()}, SentMs: clock.EchoMs},
		TypeWelcome:     &Welcome{Version: 1, Station: "tdp-05", PingIntervalMs: 20000, StatusIntervalMs: 30000, MaxAiredBatch: 500, ClockSample: clock},
		TypePing:        &Ping{SentMs: clock.EchoMs},
		TypePong:        &Pong{ClockSample: clock},
		TypePlaylist:    &pl,
		TypePlaylistAck: &PlaylistAck{PlaylistRef: pl.Ref()},
		TypeAired: &Aired{Events: []AiredEvent{{ID: "ev-1", ItemID: "it-1", Title: "x", Topic: "cchc", Level: LevelOrdinary,
			DurationMs: 120000, PlannedMs: 1795831200000, StartedMs: 1795831200003, EndedMs: 1795831320003, PlayedMs: 120000, Outcome: OutcomeCompleted}}},
		TypeAiredAck:   &AiredAck{Ref: 4, Stored: 1},
		TypeStatus:     &Status{PlaylistDays: 3, AudioDays: 3, OutputDB: -18, Volume: 80, FreeDiskBytes: 1 << 30},
		TypeCommand:    &Command{ID: "cmd-1", Kind: CommandEmergencyPlay, Item: &pl.Items[0], Repeat: 2, ExpiresMs: 1795831300000},
		TypeCommandAck: &CommandAck{ID: "cmd-1", State: StateDelivered},
	}
	for typ, body := range bodies {
		frame, err := Encode(typ, 7, body)
		if err != nil {
			t.Fatalf("%s: encode: %v", typ, err)
		}
		m, err := Decode(frame)
		if err != nil {
			t.Fatalf("%s: decode %s: %v", typ, frame, err)
		}
		if m.Type != typ || m.Seq != 7 {
			t.Errorf("%s: got type %q seq %d", typ, m.Type, m.Seq)
		}
		again, _ := Encode(typ, 7, m.Body)
		if string(again) != string(frame) {
			t.Errorf("%s: re-encoded frame differs:\n%s\n%s", typ, frame, again)
		}
	}
}

func TestDecodeRefusesBadFrames(t *testing.T) {
	t.Parallel()
	const ping = `"data":{"sent_ms":1795831200000}`
	cases := []struct {
		name, frame string
		want        error
	}{
		{"not json", `hello`, ErrMalformed},
		{"unknown type", `{"type":"dance","seq":1,` + ping + `}`, ErrUnknownType},
		{"unknown envelope field", `{"type":"ping","seq":1,"x":1,` + ping + `}`, ErrMalformed},
		{"unknown body field", `{"type":"ping","seq":1,"data":{"sent_ms":1795831200000,"evil":true}}`, ErrMalformed},
		{"zero seq", `{"type":"ping","seq":0,` + ping + `}`, ErrInvalid},
		{"negative seq", `{"type":"ping","seq":-1,` + ping + `}`, ErrMalformed},
		{"missing data", `{"type":"ping","seq":1}`, ErrInvalid},
		{"null data", `{"type":"ping","seq":1,"data":null}`, ErrInvalid},
		{"trailing data", `{"type":"ping","seq":1,` + ping + `} {}`, ErrMalformed},
		{"wrong field type", `{"type":"ping","seq":1,"data":{"sent_ms":"now"}}`, ErrMalformed},
		{"instant out of range", `{"type":"ping","seq":1,"data":{"sent_ms":12}}`, ErrInvalid},
		{"bad ack state", `{"type":"command_ack","seq":1,"data":{"id":"c1","state":"maybe"}}`, ErrInvalid},
		{"id with space", `{"type":"command_ack","seq":1,"data":{"id":"c 1","state":"done"}}`, ErrInvalid},
		{"empty aired batch", `{"type":"aired","seq":1,"data":{"events":[]}}`, ErrInvalid},
		{"hello without versions", `{"type":"hello","seq":1,"data":{"versions":[],"agent":"a","held":null,"sent_ms":1795831200000}}`, ErrInvalid},
		{"oversized", `{"type":"ping","seq":1,"data":{"sent_ms":1795831200000},"pad":"` + strings.Repeat("x", MaxMessageBytes) + `"}`, ErrTooLarge},
	}
	for _, c := range cases {
		_, err := Decode([]byte(c.frame))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestDecodeRefusesPlaylistWithWrongHash(t *testing.T) {
	t.Parallel()
	pl := samplePlaylist()
	pl.Items[0].Title = "edited after hashing"
	frame, _ := Encode(TypePlaylist, 1, &pl)
	if _, err := Decode(frame); !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want ErrInvalid", err)
	}
}

func TestHashIgnoresVersion(t *testing.T) {
	t.Parallel()
	a, b := samplePlaylist(), samplePlaylist()
	b.Version = 99
	if a.ComputeHash() != b.ComputeHash() {
		t.Fatal("same content, different versions, different hashes")
	}
	b.Items[1].StartMs += 1000
	if a.ComputeHash() == b.ComputeHash() {
		t.Fatal("moved item, same hash")
	}
}

func TestCloseCode(t *testing.T) {
	t.Parallel()
	_, err := Decode([]byte(strings.Repeat(" ", MaxMessageBytes+1)))
	if CloseCode(err) != CloseTooLarge {
		t.Errorf("oversized: close code %d", CloseCode(err))
	}
	_, err = Decode([]byte(`{}`))
	if CloseCode(err) != CloseBadMessage {
		t.Errorf("malformed: close code %d", CloseCode(err))
	}
}

func TestClockOffsetTrustsShortestRoundTrip(t *testing.T) {
	t.Parallel()
	base := time.UnixMilli(1795831200000)
	// The server is 5 s ahead; the request took 10 ms each way.
	s := ClockSample{EchoMs: base.UnixMilli(), RecvMs: base.UnixMilli() + 5010, SendMs: base.UnixMilli() + 5012}
	off, delay := EstimateOffset(s, base.Add(22*time.Millisecond))
	if off != 5000*time.Millisecond || delay != 20*time.Millisecond {
		t.Fatalf("offset %v delay %v, want 5s and 20ms", off, delay)
	}
	var f ClockFilter
	if _, ok := f.Offset(); ok {
		t.Fatal("offset before any sample")
	}
	f.Add(5200*time.Millisecond, 400*time.Millisecond) // queued on the way back
	f.Add(off, delay)
	f.Add(4800*time.Millisecond, 300*time.Millisecond)
	if got, _ := f.Offset(); got != off {
		t.Fatalf("filter chose %v, want %v", got, off)
	}
}

func TestLiveCommandsAndEventKinds(t *testing.T) {
	t.Parallel()
	live := Live{ID: "live-1", SegmentID: "42", Title: "Thông báo khẩn của UBND phường", Topic: "cchc",
		Path: "/agent/live/live-1", Format: LivePCM16, Rate: 16000, Channels: 1, MaxMs: 3600_000}
	ok := []Command{
		{ID: "cmd-1", Kind: CommandLiveStart, Live: &live, ExpiresMs: 1795831300000},
		{ID: "cmd-2", Kind: CommandLiveStop, Live: &Live{ID: "live-1"}, ExpiresMs: 1795831300000},
	}
	for _, c := range ok {
		frame, err := Encode(TypeCommand, 1, &c)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Decode(frame)
		if err != nil {
			t.Fatalf("%s: %v", frame, err)
		}
		if got := m.Body.(*Command); got.Live == nil || got.Live.ID != "live-1" {
			t.Errorf("%s: live lost: %+v", c.Kind, got)
		}
	}
	bad := map[string]func(l *Live){
		"no path":         func(l *Live) { l.Path = "" },
		"another host":    func(l *Live) { l.Path = "//evil.example/x" },
		"relative path":   func(l *Live) { l.Path = "agent/live/x" },
		"unknown format":  func(l *Live) { l.Format = "opus" },
		"rate too low":    func(l *Live) { l.Rate = 100 },
		"three channels":  func(l *Live) { l.Channels = 3 },
		"longer than 4 h": func(l *Live) { l.MaxMs = 5 * 3600_000 },
		"bad segment id":  func(l *Live) { l.SegmentID = "4 2" },
	}
	for name, spoil := range bad {
		l := live
		spoil(&l)
		frame, _ := Encode(TypeCommand, 1, &Command{ID: "cmd-1", Kind: CommandLiveStart, Live: &l, ExpiresMs: 1795831300000})
		if _, err := Decode(frame); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
	frame, _ := Encode(TypeCommand, 1, &Command{ID: "cmd-1", Kind: CommandLiveStart, ExpiresMs: 1795831300000})
	if _, err := Decode(frame); !errors.Is(err, ErrInvalid) {
		t.Errorf("live_start without live: got %v, want ErrInvalid", err)
	}
	ev := AiredEvent{ID: "ev-1", ItemID: "live-1", Title: "x", Level: LevelEmergency,
		DurationMs: 60000, PlannedMs: 1795831200000, PlayedMs: 60000, Outcome: OutcomeCompleted}
	for kind, want := range map[string]error{"": nil, KindAudio: nil, KindRelay: nil, KindLive: nil, "video": ErrInvalid} {
		ev.Kind = kind
		frame, _ := Encode(TypeAired, 1, &Aired{Events: []AiredEvent{ev}})
		if _, err := Decode(frame); !errors.Is(err, want) {
			t.Errorf("aired kind %q: got %v, want %v", kind, err, want)
		}
	}
}

// A clock that steps between samples (NTP at boot) is followed at once,
// and a sample taken across the step (a negative round trip) is ignored;
// ordinary jitter within the round trips keeps the best sample.
func TestClockFilterFollowsASteppedClock(t *testing.T) {
	var f ClockFilter
	for range 8 {
		f.Add(483*time.Second, 40*time.Millisecond)
	}
	f.Add(483*time.Second+300*time.Millisecond, 900*time.Millisecond) // a slow sample, no step
	if got, _ := f.Offset(); got != 483*time.Second {
		t.Fatalf("jitter moved the estimate to %v", got)
	}
	f.Add(0, -3*time.Second) // taken across the step
	if got, _ := f.Offset(); got != 483*time.Second {
		t.Fatalf("a negative round trip moved the estimate to %v", got)
	}
	f.Add(20*time.Millisecond, 60*time.Millisecond) // the clock was set right
	if got, _ := f.Offset(); got != 20*time.Millisecond {
		t.Fatalf("after the step the estimate is %v, want 20ms", got)
	}
	f.Add(5*time.Millisecond, 30*time.Millisecond)
	if got, _ := f.Offset(); got != 5*time.Millisecond {
		t.Fatalf("after the step the best new sample is not used: %v", got)
	}
}
