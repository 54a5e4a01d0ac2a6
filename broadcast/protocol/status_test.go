package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestStatusSaysWhatThePlayerDoes(t *testing.T) {
	t.Parallel()
	hash := strings.Repeat("ab", 32)
	for name, st := range map[string]*Status{
		"waiting": {Waiting: &Waiting{ItemID: "it-1", Title: "Bản tin CCHC", PlannedMs: 1795831200000,
			Day: "2026-11-28", PlaylistVersion: 3, PlaylistHash: hash}, Volume: 80},
		"playing scheduled": {NowPlaying: &NowPlaying{ItemID: "it-1", Title: "Bản tin", StartedMs: 1795831200004,
			PlannedMs: 1795831200000, Day: "2026-11-28", PlaylistVersion: 3, PlaylistHash: hash}},
		"playing emergency": {NowPlaying: &NowPlaying{ItemID: "storm", StartedMs: 1795831200004, CommandID: "cmd-1"}},
		"v1 agent":          {NowPlaying: &NowPlaying{ItemID: "it-1", StartedMs: 1795831200004}},
		"nothing ahead":     {},
	} {
		frame, err := Encode(TypeStatus, 2, st)
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		m, err := Decode(frame)
		if err != nil {
			t.Fatalf("%s: decode %s: %v", name, frame, err)
		}
		if again, _ := Encode(TypeStatus, 2, m.Body); string(again) != string(frame) {
			t.Errorf("%s: re-encoded frame differs:\n%s\n%s", name, frame, again)
		}
	}
}

func TestStatusRefusesBadPlayerFields(t *testing.T) {
	t.Parallel()
	const hash = `"` + "abababababababababababababababababababababababababababababababab" + `"`
	const waiting = `"item_id":"it-1","title":"x","planned_ms":1795831200000,"day":"2026-11-28","playlist_version":3`
	cases := map[string]string{
		"waiting without hash":         `{"waiting":{` + waiting + `}}`,
		"waiting with a bad day":       `{"waiting":{"item_id":"it-1","title":"x","planned_ms":1795831200000,"day":"28/11/2026","playlist_version":3,"playlist_hash":` + hash + `}}`,
		"waiting without planned_ms":   `{"waiting":{"item_id":"it-1","title":"x","day":"2026-11-28","playlist_version":3,"playlist_hash":` + hash + `}}`,
		"waiting with version 0":       `{"waiting":{"item_id":"it-1","title":"x","planned_ms":1795831200000,"day":"2026-11-28","playlist_version":0,"playlist_hash":` + hash + `}}`,
		"waiting with an unknown key":  `{"waiting":{` + waiting + `,"playlist_hash":` + hash + `,"eta":1}}`,
		"playing and waiting":          `{"now_playing":{"item_id":"a","title":"","started_ms":1795831200000},"waiting":{` + waiting + `,"playlist_hash":` + hash + `}}`,
		"playing a day with no hash":   `{"now_playing":{"item_id":"a","title":"","started_ms":1795831200000,"day":"2026-11-28","playlist_version":3}}`,
		"playing a command and a day":  `{"now_playing":{"item_id":"a","title":"","started_ms":1795831200000,"command_id":"c1","day":"2026-11-28","playlist_version":3,"playlist_hash":` + hash + `}}`,
		"playing a planned_ms of 1970": `{"now_playing":{"item_id":"a","title":"","started_ms":1795831200000,"planned_ms":5}}`,
		"playing a bad command id":     `{"now_playing":{"item_id":"a","title":"","started_ms":1795831200000,"command_id":"c 1"}}`,
	}
	frame := func(body string) []byte {
		return []byte(`{"type":"status","seq":1,"data":` + strings.TrimSuffix(body, "}") +
			`,"playlist_days":1,"audio_days":1,"output_db":-20,"volume":80,"free_disk_bytes":1,"clock_offset_ms":0}}`)
	}
	if _, err := Decode(frame(`{"waiting":{` + waiting + `,"playlist_hash":` + hash + `}}`)); err != nil {
		t.Fatalf("a good waiting status: %v", err)
	}
	for name, body := range cases {
		_, err := Decode(frame(body))
		if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, want a refusal", name, err)
		}
	}
}
