package web

import (
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"loa/playlist/ingest"
)

// ttsAnswer is what POST /api/segments/tts answers, success or failure.
type ttsAnswer struct {
	segmentView
	Spoken string `json:"spoken"`
	Error  struct {
		Code, Message, Field string
	} `json:"error"`
	Text string `json:"text"` // the segment's text, or the text given back with an error
}

const ttsText = "UBND phường thông báo: từ ngày 01/12/2026, bộ phận một cửa tiếp nhận hồ sơ TTHC từ 7h30 đến 11h30. Người dân mang theo CCCD."

func needEspeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed")
	}
}

// withEngine points the server's text-to-speech at another command.
func (ts *testServer) withEngine(t *testing.T, command string) {
	t.Helper()
	p, err := ingest.New(ingest.Config{TTS: command}, ts.lib, ts.blobs, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts.web.ingest = p
}

func TestTTSCreatesDraftFromText(t *testing.T) {
	needEspeak(t)
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	editor := ts.signIn(t, "bientap")

	var got ttsAnswer
	resp := editor.json("POST", "/api/segments/tts", map[string]any{
		"title": "Lịch tiếp nhận hồ sơ", "text": ttsText, "topic": "cchc-tthc",
		"valid_from": "01/12/2026", "chime": true,
	}, &got)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("synthesise: %s %+v", resp.Status, got.Error)
	}
	seg := got.Segment
	if seg.Status != "draft" || seg.Title != "Lịch tiếp nhận hồ sơ" || got.Text != ttsText || seg.ValidFrom != "2026-12-01" || !seg.Targets.All {
		t.Fatalf("segment: %+v", seg)
	}
	// Chime, then about 25 s of speech: the audio went through the same
	// analysis as an upload.
	if seg.Audio.Format != "wav" || seg.Audio.DurationMS < 10_000 || seg.Audio.LoudnessLUFS == nil || seg.Audio.SHA256 == "" {
		t.Errorf("audio: %+v", seg.Audio)
	}
	if len(got.Notes) != 0 {
		t.Errorf("synthesised speech has warnings: %+v", got.Notes)
	}
	if !strings.Contains(got.Spoken, "Ủy ban nhân dân phường") || !strings.Contains(got.Spoken, "bảy giờ ba mươi phút") {
		t.Errorf("spoken text %q", got.Spoken)
	}

	if left, _ := os.ReadDir(ts.blobs.TempDir()); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	var stored segmentView
	editor.json("GET", pathOf(got.segmentView, ""), nil, &stored)
	if stored.Text != ttsText || stored.Audio.SHA256 != seg.Audio.SHA256 {
		t.Errorf("stored segment: text %q, audio %s", stored.Text, stored.Audio.SHA256)
	}

	// The audio plays back, and the creation is in the audit log.
	req, _ := http.NewRequest("GET", ts.URL+got.AudioURL, nil)
	audioResp := editor.do(req, nil)
	if audioResp.StatusCode != 200 || audioResp.Header.Get("Content-Type") != "audio/wav" {
		t.Errorf("audio download: %s %s", audioResp.Status, audioResp.Header.Get("Content-Type"))
	}
	admin := ts.signIn(t, "admin")
	var log []AuditEntry
	admin.json("GET", "/api/audit?action=segment.create", nil, &log)
	if len(log) != 1 || log[0].User != "bientap" || log[0].Target != segmentTarget(seg.ID) || !strings.Contains(string(log[0].After), "bộ phận một cửa") {
		t.Errorf("audit: %+v", log)
	}
}

func TestTTSDefaultsTitleAndChecksMetadataFirst(t *testing.T) {
	ts := newTestServer(t)
	ts.withEngine(t, "loa-no-such-tts-engine -w {out}") // never reached
	admin := ts.signIn(t, "admin")
	tests := []struct {
		name   string
		body   map[string]any
		status int
		code   string
		field  string
	}{
		{"no text", map[string]any{"topic": "khac", "text": "  "}, 422, "required", "text"},
		{"text too long", map[string]any{"topic": "khac", "text": strings.Repeat("Thông báo. ", 1000)}, 422, "too_long", "text"},
		{"unknown topic", map[string]any{"topic": "khong-co", "text": ttsText}, 422, "unknown_topic", "topic"},
		{"bad date", map[string]any{"topic": "khac", "text": ttsText, "valid_to": "31/02/2026"}, 422, "invalid", "valid_to"},
		{"no targets", map[string]any{"topic": "khac", "text": ttsText, "targets": map[string]any{"all": false}}, 422, "no_targets", "targets"},
		{"unknown field", map[string]any{"topic": "khac", "text": ttsText, "voice": "nam"}, 400, "bad_json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got ttsAnswer
			resp := admin.json("POST", "/api/segments/tts", tt.body, &got)
			if resp.StatusCode != tt.status || got.Error.Code != tt.code || got.Error.Field != tt.field {
				t.Errorf("got %s %+v, want %d %s on %q", resp.Status, got.Error, tt.status, tt.code, tt.field)
			}
		})
	}
	if got := titleOf("THÔNG BÁO\nNội dung"); got != "THÔNG BÁO" {
		t.Errorf("title from the first line: %q", got)
	}
	long := titleOf(strings.Repeat("Ủy ban nhân dân phường ", 10))
	if n := len([]rune(long)); n > 81 || !strings.HasSuffix(long, " ban…") {
		t.Errorf("long title %q (%d characters)", long, n)
	}
}

func TestTTSEngineProblemsKeepTheTextAndStoreNothing(t *testing.T) {
	tests := []struct {
		name, engine string
		lang         string
		status       int
		code, says   string
	}{
		{"engine missing", "loa-no-such-tts-engine -v vi -w {out}", "", 503, "tts_unavailable", "chưa có phần mềm đọc"},
		{"engine fails", `sh -c "echo 'no voice vi' >&2; exit 2"`, "", 502, "tts_failed", "giữ lại"},
		{"engine writes garbage", `sh -c 'echo xin chao > "$0"' {out}`, "en", 502, "tts_failed", "your text is kept"},
		{"text to speech off", "off", "", 503, "tts_unavailable", "báo quản trị viên"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.withEngine(t, tt.engine)
			admin := ts.signIn(t, "admin")
			admin.lang = tt.lang
			var got ttsAnswer
			resp := admin.json("POST", "/api/segments/tts", map[string]any{"topic": "khac", "text": ttsText}, &got)
			if resp.StatusCode != tt.status || got.Error.Code != tt.code || !strings.Contains(got.Error.Message, tt.says) {
				t.Fatalf("got %s %+v", resp.Status, got.Error)
			}
			if got.Text != ttsText {
				t.Errorf("text given back %q", got.Text)
			}
			var list []segmentView
			admin.json("GET", "/api/segments", nil, &list)
			if len(list) != 0 {
				t.Errorf("%d segments stored", len(list))
			}
			if n, _ := ts.blobs.Collect(nil, farFuture); n != 0 {
				t.Errorf("%d audio files left behind", n)
			}
			if left, _ := os.ReadDir(ts.blobs.TempDir()); len(left) != 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}
