package web

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"loa/internal/apptest"
	"loa/playlist"
	"loa/playlist/library"
)

// scheduleServer is a real server with the schedule API wired to a real
// playlist store and planner on the same bbolt file.
type scheduleServer struct {
	*testServer
	store   *playlist.Store
	planner *playlist.Planner
}

var hcmZone = mustLoad("Asia/Ho_Chi_Minh")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func newScheduleServer(t *testing.T) *scheduleServer {
	t.Helper()
	cfg := apptest.Config(t)
	cfg.PlannerStations = func() ([]playlist.Station, error) {
		return []playlist.Station{{ID: "to-01", Groups: []string{"khu-1"}, Zone: hcmZone}, {ID: "to-02", Groups: []string{"khu-2"}, Zone: hcmZone}}, nil
	}
	ts := newTestServerWith(t, cfg)
	return &scheduleServer{testServer: ts, store: ts.app.Playlists, planner: ts.app.Planner}
}

// approve puts an approved segment in the library, as editor and approver would.
func (ss *scheduleServer) approve(t *testing.T, title, topic string, seconds int64, level library.Level) {
	t.Helper()
	lufs := -19.0
	s, err := ss.lib.Create(library.Segment{Title: title, Topic: topic, Level: level, Targets: library.Targets{All: true},
		Audio: library.Audio{SHA256: strings.Repeat("ab", 32), Format: "mp3", DurationMS: seconds * 1000, LoudnessLUFS: &lufs, TruePeakDBTP: -6}}, "bien-tap")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []library.Action{library.ActionSubmit, library.ActionApprove} {
		if _, err := ss.lib.Do(s.ID, a, "lanh-dao", ""); err != nil {
			t.Fatal(err)
		}
	}
}

var morning = map[string]any{
	"name": "Bản tin buổi sáng", "targets": map[string]any{"all": true},
	"slots": []map[string]any{{"id": "sang", "kind": "announcements", "days": []int{0, 1, 2, 3, 4, 5, 6}, "start": "06:00", "minutes": 15}},
}

func TestProgrammeAPI(t *testing.T) {
	ss := newScheduleServer(t)
	ss.addUser(t, "xem", RoleViewer)
	admin, viewer := ss.signIn(t, "admin"), ss.signIn(t, "xem")

	var p playlist.Programme
	if resp := admin.json("PUT", "/api/programmes/sang", morning, &p); resp.StatusCode != 200 || p.Revision != 1 || p.Slots[0].Start != playlist.Clock(6, 0) {
		t.Fatalf("create: %s %+v", resp.Status, p)
	}
	var e apiErr
	bad := map[string]any{"name": "Cột", "targets": map[string]any{"all": true},
		"slots": []map[string]any{{"id": "t5", "kind": "column", "days": []int{4}, "start": "19:00", "minutes": 20}}}
	if resp := admin.json("PUT", "/api/programmes/cot", bad, &e); resp.StatusCode != 422 || e.Error.Field != "slots.0.topics" || e.Error.Code != "required" {
		t.Fatalf("column without topics: %s %+v", resp.Status, e)
	}
	stale := map[string]any{"name": "Sáng", "revision": 5, "targets": morning["targets"], "slots": morning["slots"]}
	if resp := admin.json("PUT", "/api/programmes/sang", stale, &e); resp.StatusCode != 409 || e.Error.Code != "programme_stale" {
		t.Fatalf("stale edit: %s %+v", resp.Status, e)
	}
	if resp := viewer.json("PUT", "/api/programmes/sang", morning, nil); resp.StatusCode != 403 {
		t.Fatalf("viewer edits a programme: %s", resp.Status)
	}
	var list struct{ Programmes []playlist.Programme }
	if resp := viewer.json("GET", "/api/programmes", nil, &list); resp.StatusCode != 200 || len(list.Programmes) != 1 {
		t.Fatalf("list: %s %+v", resp.Status, list)
	}
}

func TestPlaylistAPIShowsWhatAStationWasToldAndWhy(t *testing.T) {
	ss := newScheduleServer(t)
	admin := ss.signIn(t, "admin")
	if resp := admin.json("PUT", "/api/programmes/sang", morning, nil); resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
	ss.approve(t, "Thông báo đăng ký tạm trú trực tuyến", "cchc-dvc-truc-tuyen", 90, library.LevelPriority)
	ss.approve(t, "Lịch tiêm chủng", "tin-tuc", 60, library.LevelOrdinary)
	now := time.Date(2026, 11, 30, 17, 30, 0, 0, time.UTC) // 00:30 on 1 December in Vietnam
	if _, err := ss.planner.BuildAhead(context.Background(), now); err != nil {
		t.Fatal(err)
	}

	var pl struct {
		Station, Date string
		Version       uint64
		Items         []struct {
			SegmentID  uint64 `json:"segment_id"`
			StartMs    int64  `json:"start_ms"`
			ReasonText string `json:"reason_text"`
		}
	}
	if resp := admin.json("GET", "/api/playlists/to-01/01%2F12%2F2026", nil, &pl); resp.StatusCode != 200 || pl.Version != 1 || len(pl.Items) != 2 {
		t.Fatalf("playlist: %s %+v", resp.Status, pl)
	}
	if first := pl.Items[0]; first.SegmentID != 1 || first.ReasonText != "Tin ưu tiên: phát đầu khung giờ" ||
		time.UnixMilli(first.StartMs).UTC().Format(time.RFC3339) != "2026-11-30T23:00:00Z" {
		t.Fatalf("first item: %+v", first)
	}
	admin.lang = "en"
	admin.json("GET", "/api/playlists/to-01/2026-12-01", nil, &pl)
	if got := pl.Items[1].ReasonText; got != "Rotation: play 1 this week" && !strings.HasPrefix(got, "Rotation: play") {
		t.Fatalf("English reason: %q", got)
	}

	resp, err := admin.http.Get(ss.URL + "/api/playlists/to-01/2026-12-01?format=text")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(text), "to-01 2026-12-01 (Tuesday) Asia/Ho_Chi_Minh  version 1") || !strings.Contains(string(text), "06:00:00") {
		t.Fatalf("text view:\n%s", text)
	}

	var ws playlist.WeekShare
	if resp := admin.json("GET", "/api/playlists/to-01/2026-12-01/shares", nil, &ws); resp.StatusCode != 200 ||
		ws.From != "2026-11-30" || len(ws.Shares) != 2 || ws.Shares[0].Planned != 6 {
		t.Fatalf("shares: %s %+v", resp.Status, ws)
	}

	// Cancelling the programme makes version 2; version 1 stays readable.
	if resp := admin.json("DELETE", "/api/programmes/sang", nil, nil); resp.StatusCode != 204 {
		t.Fatal(resp.Status)
	}
	if _, err := ss.planner.RebuildPending(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	var versions struct{ Versions []playlist.VersionInfo }
	if resp := admin.json("GET", "/api/playlists/to-01/2026-12-01/versions", nil, &versions); resp.StatusCode != 200 ||
		len(versions.Versions) != 2 || versions.Versions[1].Items != 0 {
		t.Fatalf("versions: %s %+v", resp.Status, versions)
	}
	if admin.json("GET", "/api/playlists/to-01/2026-12-01?version=1", nil, &pl); len(pl.Items) != 2 {
		t.Fatalf("version 1 has %d items", len(pl.Items))
	}
	var e apiErr
	if resp := admin.json("GET", "/api/playlists/to-01/31-02-2026", nil, &e); resp.StatusCode != 400 || e.Error.Code != "bad_date" {
		t.Fatalf("bad date: %s %+v", resp.Status, e)
	}
	if resp := admin.json("GET", "/api/playlists/to-99/2026-12-01", nil, &e); resp.StatusCode != 404 {
		t.Fatalf("unknown station: %s", resp.Status)
	}
	if resp := admin.json("POST", "/api/playlists/rebuild", map[string]any{"stations": []string{"to-02"}}, nil); resp.StatusCode != 202 {
		t.Fatalf("rebuild: %s", resp.Status)
	}
}
