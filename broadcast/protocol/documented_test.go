package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

// An agent written from docs/protocol.md alone builds the hashed JSON by
// hand, fields in the documented order; a relay item carries
// "segment_id":"" like every item (the documented shape), and the hash it
// computes is the server's.
func TestPlaylistHashAsDocumented(t *testing.T) {
	t.Parallel()
	pl := samplePlaylist()
	sha := strings.Repeat("ab", 32)
	doc := `{"station":"tdp-05","date":"2026-11-28","zone":"Asia/Ho_Chi_Minh","items":[` +
		`{"id":"it-1","segment_id":"seg-7","title":"Thông báo cải cách hành chính","topic":"cchc","level":"ordinary",` +
		`"start_ms":1795831200000,"duration_ms":120000,"cue_in_ms":0,"cue_out_ms":119500,"gain_db":-2.5,` +
		`"audio_sha256":"` + sha + `","audio_size":1048576,"kind":"audio"},` +
		`{"id":"it-2","segment_id":"","title":"Tiếp sóng VOV1","topic":"news","level":"priority",` +
		`"start_ms":1795831400000,"duration_ms":1800000,"cue_in_ms":0,"cue_out_ms":0,"gain_db":0,` +
		`"kind":"relay","url":"https://relay.example/vov1"}]}`
	sum := sha256.Sum256([]byte(doc))
	if got := hex.EncodeToString(sum[:]); got != pl.Hash {
		t.Fatalf("documented shape hashes to %s, the server's hash is %s", got, pl.Hash)
	}

	// The escapes the document lists.
	pl.Items = pl.Items[1:]
	pl.Items[0].Title = "Tin <A> & \"B\"\u2028"
	doc = `{"station":"tdp-05","date":"2026-11-28","zone":"Asia/Ho_Chi_Minh","items":[` +
		`{"id":"it-2","segment_id":"","title":"Tin \u003cA\u003e \u0026 \"B\"\u2028","topic":"news","level":"priority",` +
		`"start_ms":1795831400000,"duration_ms":1800000,"cue_in_ms":0,"cue_out_ms":0,"gain_db":0,` +
		`"kind":"relay","url":"https://relay.example/vov1"}]}`
	sum = sha256.Sum256([]byte(doc))
	if got := hex.EncodeToString(sum[:]); got != pl.ComputeHash() {
		t.Fatalf("escaped title: documented shape hashes to %s, the server's hash is %s", got, pl.ComputeHash())
	}
}

// Texts are valid UTF-8: a frame with invalid bytes (or an escaped lone
// surrogate, which a JSON decoder would turn into U+FFFD) is refused as
// invalid (close 4000), never stored with a replacement character.
func TestDecodeRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	event := func(title string) string {
		return `{"type":"aired","seq":2,"data":{"events":[{"id":"ev-1","item_id":"it-1","segment_id":"7","title":"` + title +
			`","topic":"cchc","level":"ordinary","duration_ms":1000,"planned_ms":1795831200000,"started_ms":1795831200000,` +
			`"ended_ms":1795831201000,"played_ms":1000,"outcome":"completed"}]}}`
	}
	for name, title := range map[string]string{
		"raw byte":            "Th\xf4ng b\xe1o",
		"truncated sequence":  "Thông b\xc3",
		"lone high surrogate": `x\ud800y`,
		"lone low surrogate":  `\udc00`,
		"reversed pair":       `\ude00\ud83d`,
	} {
		_, err := Decode([]byte(event(title)))
		if !errors.Is(err, ErrInvalid) || CloseCode(err) != CloseBadMessage {
			t.Errorf("%s: got %v, want an invalid message (4000)", name, err)
		}
	}
	for name, title := range map[string]string{
		"vietnamese":     "Thông báo",
		"escaped pair":   `\ud83d\ude00`,
		"escaped ascii":  `\u0041\\ud800`, // a backslash, then the letters "ud800"
		"replacement ok": "\uFFFD",
	} {
		if _, err := Decode([]byte(event(title))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// set_volume 0 mutes a station: the volume travels even when it is 0.
func TestSetVolumeZeroIsSent(t *testing.T) {
	t.Parallel()
	frame, err := Encode(TypeCommand, 3, &Command{ID: "cmd-mute", Kind: CommandSetVolume, Volume: 0, ExpiresMs: 1795831300000})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(frame), `"volume":0`) {
		t.Fatalf("set_volume 0 is sent as %s", frame)
	}
	m, err := Decode(frame)
	if err != nil || m.Body.(*Command).Volume != 0 {
		t.Fatalf("decode %s: %v", frame, err)
	}
	other, _ := Encode(TypeCommand, 4, &Command{ID: "cmd-stop", Kind: CommandEmergencyStop, ExpiresMs: 1795831300000})
	if strings.Contains(string(other), "volume") {
		t.Errorf("a command other than set_volume carries a volume: %s", other)
	}
}

// Every command kind in the protocol's table is in docs/protocol.md, with
// the version that brought it where it is newer than v1; an unknown kind
// has no version and is refused.
func TestCommandKindsAsDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	for kind, k := range commandKinds {
		if !strings.Contains(string(doc), "`"+kind+"`") {
			t.Errorf("command %s is not in docs/protocol.md", kind)
		}
		if CommandSince(kind) != k.since || k.since < 1 || k.since > Version {
			t.Errorf("command %s: since v%d (protocol v%d)", kind, CommandSince(kind), Version)
		}
	}
	if CommandSince(CommandLiveStart) != 2 || CommandSince(CommandSetVolume) != 1 || CommandSince("reboot") != 0 {
		t.Errorf("since: live_start v%d, set_volume v%d, reboot v%d", CommandSince(CommandLiveStart), CommandSince(CommandSetVolume), CommandSince("reboot"))
	}
	frame, err := Encode(TypeCommand, 1, &Command{ID: "c", Kind: "reboot", ExpiresMs: 1795831300000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(frame); !errors.Is(err, ErrInvalid) {
		t.Errorf("an unknown kind decodes: %v", err)
	}
}
