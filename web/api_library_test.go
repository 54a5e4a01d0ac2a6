package web

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestUploadApproveAndDownload(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	ts.addUser(t, "lanhdao", RoleApprover)
	editor := ts.signIn(t, "bientap")

	var seg segmentView
	resp := editor.upload("mp3/cbr128-stereo.mp3", map[string]string{
		"title": "Thông báo lịch tiếp công dân", "topic": "cchc-tthc", "valid_from": "01/12/2026",
	}, &seg)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %s", resp.Status)
	}
	if seg.Status != "draft" || seg.Audio.DurationMS < 1000 || seg.Audio.SHA256 == "" || seg.ValidFrom != "2026-12-01" {
		t.Fatalf("uploaded segment: %+v", seg.Segment)
	}
	if seg.Audio.OriginalName != "cbr128-stereo.mp3" || seg.Audio.LoudnessLUFS == nil {
		t.Errorf("audio = %+v", seg.Audio)
	}

	// An editor cannot approve; an approver can, once it is submitted.
	var e apiErr
	if resp := editor.json("POST", pathOf(seg, "/approve"), nil, &e); resp.StatusCode != http.StatusForbidden || e.Error.Code != "forbidden" {
		t.Fatalf("editor approves: %s %+v", resp.Status, e)
	}
	editor.json("POST", pathOf(seg, "/submit"), nil, nil)
	approver := ts.signIn(t, "lanhdao")
	var approved segmentView
	if resp := approver.json("POST", pathOf(seg, "/approve"), map[string]string{"comment": "Đồng ý phát"}, &approved); resp.StatusCode != 200 {
		t.Fatalf("approve: %s", resp.Status)
	}
	last := approved.History[len(approved.History)-1]
	if approved.Status != "approved" || last.By != "lanhdao" || last.Comment != "Đồng ý phát" {
		t.Fatalf("after approval: %+v", approved.Segment)
	}

	// The audio comes back byte for byte, and in ranges.
	want, _ := os.ReadFile("../testdata/audio/mp3/cbr128-stereo.mp3")
	req, _ := http.NewRequest("GET", ts.URL+seg.AudioURL, nil)
	req.Header.Set("Range", "bytes=100-199")
	ranged, err := approver.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(ranged.Body)
	ranged.Body.Close()
	if ranged.StatusCode != http.StatusPartialContent || string(part) != string(want[100:200]) {
		t.Fatalf("range: %s, %d bytes", ranged.Status, len(part))
	}
	if ct := ranged.Header.Get("Content-Type"); ct != "audio/mpeg" {
		t.Errorf("content type %q", ct)
	}
}

func pathOf(seg segmentView, suffix string) string {
	return strings.TrimSuffix(seg.AudioURL, "/audio") + suffix
}

func TestUploadRejectsBadInputAndStoresNothing(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	tests := []struct {
		name, file string
		fields     map[string]string
		status     int
		code       string
		field      string
		vi         string // words the Vietnamese message must contain
	}{
		{"no file", "", map[string]string{"topic": "khac"}, 422, "no_file", "file", "chọn tệp"},
		{"unknown topic", "mp3/cbr128-stereo.mp3", map[string]string{"topic": "khong-co"}, 422, "unknown_topic", "topic", "Chủ đề"},
		{"bad date", "mp3/cbr128-stereo.mp3", map[string]string{"topic": "khac", "valid_to": "32/13/2026"}, 422, "invalid", "valid_to", "không hợp lệ"},
		{"dates reversed", "mp3/cbr128-stereo.mp3", map[string]string{"topic": "khac", "valid_from": "2026-12-31", "valid_to": "2026-12-01"}, 422, "date_order", "valid_to", "Ngày kết thúc"},
		{"empty file", "bad/empty.mp3", map[string]string{"topic": "khac"}, 422, "audio_empty", "file", "rỗng"},
		{"truncated", "bad/truncated.mp3", map[string]string{"topic": "khac"}, 422, "audio_truncated", "file", "cắt cụt"},
		{"picture renamed", "bad/image-renamed.mp3", map[string]string{"topic": "khac"}, 422, "audio_unknown_format", "file", "MP3 hoặc WAV"},
		{"m4a without ffmpeg", "other/speech.m4a", map[string]string{"topic": "khac"}, 422, "audio_unsupported_format", "file", "ffmpeg"},
		{"lying wav", "bad/wav-data-too-long.wav", map[string]string{"topic": "khac"}, 422, "", "file", "byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiErr
			resp := admin.upload(tt.file, tt.fields, &e)
			if resp.StatusCode != tt.status || (tt.code != "" && e.Error.Code != tt.code) || e.Error.Field != tt.field {
				t.Fatalf("got %s %+v, want %d %s on %s", resp.Status, e.Error, tt.status, tt.code, tt.field)
			}
			if !strings.Contains(e.Error.Message, tt.vi) {
				t.Errorf("message %q does not say %q", e.Error.Message, tt.vi)
			}
		})
	}
	var list []segmentView
	admin.json("GET", "/api/segments", nil, &list)
	if len(list) != 0 {
		t.Errorf("%d segments stored after rejected uploads", len(list))
	}
	if n, _ := ts.blobs.Collect(nil, farFuture); n != 0 {
		t.Errorf("%d files left behind by rejected uploads", n)
	}
}

func TestUploadTooLarge(t *testing.T) {
	ts := newTestServer(t)
	ts.web.cfg.MaxUploadBytes = 50_000
	admin := ts.signIn(t, "admin")
	admin.lang = "en"
	var e apiErr
	resp := admin.upload("mp3/vbr-stereo.mp3", map[string]string{"topic": "khac"}, &e)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || e.Error.Code != "file_too_large" || !strings.Contains(e.Error.Message, "too large") {
		t.Fatalf("got %s %+v", resp.Status, e.Error)
	}
	if n, _ := ts.blobs.Collect(nil, farFuture); n != 0 {
		t.Errorf("%d files left behind", n)
	}
}

func TestIdenticalUploadsShareOneFile(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var a, b segmentView
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac"}, &a)
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac", "title": "Bản sao"}, &b)
	if a.Audio.SHA256 != b.Audio.SHA256 || b.ID == a.ID {
		t.Fatalf("a=%d %s b=%d %s", a.ID, a.Audio.SHA256, b.ID, b.Audio.SHA256)
	}
	var dup bool
	for _, n := range b.Notes {
		dup = dup || n.Code == "duplicate" && strings.Contains(n.Text, "bản tin số")
	}
	if !dup {
		t.Errorf("second upload has no duplicate note: %+v", b.Notes)
	}
	if a.Title != "cbr64-mono-44k" {
		t.Errorf("default title %q, want the file's name", a.Title)
	}
}

func TestEditKeepsHistoryAndRefusesStale(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var seg segmentView
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac"}, &seg)
	var edited segmentView
	title := "Tiêu đề đã sửa"
	if resp := admin.json("PATCH", pathOf(seg, ""), map[string]any{"revision": seg.Revision, "title": title, "valid_to": "31/12/2026"}, &edited); resp.StatusCode != 200 {
		t.Fatalf("edit: %s", resp.Status)
	}
	if edited.Title != title || edited.ValidTo != "2026-12-31" {
		t.Fatalf("edited: %+v", edited.Segment)
	}
	var e apiErr
	resp := admin.json("PATCH", pathOf(seg, ""), map[string]any{"revision": seg.Revision, "title": "Cũ"}, &e)
	if resp.StatusCode != http.StatusConflict || e.Error.Code != "stale" {
		t.Fatalf("stale edit: %s %+v", resp.Status, e.Error)
	}
	resp = admin.json("PATCH", pathOf(seg, ""), map[string]any{"revision": edited.Revision, "colour": "red"}, &e)
	if resp.StatusCode != http.StatusBadRequest || e.Error.Code != "bad_json" {
		t.Fatalf("unknown field: %s %+v", resp.Status, e.Error)
	}
}

func TestSignInRequiredAndWrongPassword(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)
	var e apiErr
	if resp := anon.json("GET", "/api/segments", nil, &e); resp.StatusCode != 401 || e.Error.Code != "unauthorized" {
		t.Fatalf("anonymous list: %s %+v", resp.Status, e)
	}
	resp := anon.json("POST", "/api/login", map[string]string{"name": "admin", "password": "sai"}, &e)
	if resp.StatusCode != 401 || e.Error.Message != "Sai tên đăng nhập hoặc mật khẩu" {
		t.Fatalf("wrong password: %s %+v", resp.Status, e)
	}
	resp = anon.json("POST", "/api/login", map[string]string{"name": "khong-ai", "password": "sai"}, &e)
	if resp.StatusCode != 401 || e.Error.Code != "login_failed" {
		t.Fatalf("unknown user: %s %+v", resp.Status, e)
	}
	var health map[string]string
	if resp := anon.json("GET", "/healthz", nil, &health); resp.StatusCode != 200 || health["status"] != "ok" {
		t.Fatalf("healthz: %s %v", resp.Status, health)
	}
}

func TestSilentUploadIsWarnedInWords(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var seg segmentView
	if resp := admin.upload("mp3/digital-silence.mp3", map[string]string{"topic": "khac"}, &seg); resp.StatusCode != 201 {
		t.Fatalf("upload: %s", resp.Status)
	}
	for _, n := range seg.Notes {
		if n.Code == "silent" {
			if n.Text != "Tệp không có tiếng nghe được. Hãy kiểm tra tệp và tải lên tệp khác." || n.Detail != "" {
				t.Errorf("silent note %q", n.Text)
			}
			return
		}
	}
	t.Fatalf("no silent note: %+v", seg.Notes)
}
