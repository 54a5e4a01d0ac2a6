package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/alert"
	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/testclock"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// wardTime writes t as the pages do: dd/mm/yyyy HH:MM in the ward.
func wardTime(t time.Time) string { return t.In(ward.Zone()).Format("02/01/2006 15:04") }

// A ward with one station of each kind of trouble: tdp-off silent for 20
// minutes, tdp-mute online with a silent output and an item missed today,
// tdp-new just set up and not yet connected although today's playlist was
// built 10 minutes ago, tdp-ghost set up two hours ago and never
// connected, tdp-ok fine, tdp-old disabled and long gone.
func troubledWard(t *testing.T) (*opsWard, time.Time) {
	now := testclock.Now(t)
	w := newOpsWardAt(t, now, func(w *opsWard) {
		for _, id := range []string{"tdp-off", "tdp-mute", "tdp-new", "tdp-ok"} {
			w.addStation(t, id, true)
		}
		w.addStation(t, "tdp-old", false)
		if _, _, err := w.st.Create(stations.Station{ID: "tdp-ghost", Name: "Tổ tdp-ghost", Zone: stations.DefaultZone, Enabled: true}, now.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		err := w.st.PutPresence(
			stations.Presence{StationID: "tdp-off", LastSeen: now.Add(-20 * time.Minute)},
			stations.Presence{StationID: "tdp-mute", LastSeen: now.Add(-10 * time.Second), StatusAt: now.Add(-10 * time.Second), Faults: []string{"output_silent"}},
			stations.Presence{StationID: "tdp-ok", LastSeen: now.Add(-10 * time.Second)},
			stations.Presence{StationID: "tdp-old", LastSeen: now.Add(-30 * 24 * time.Hour)},
		)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.pls.SavePlaylists([]playlist.Playlist{{Station: "tdp-new", Date: library.DateOf(now, ward.Zone()), Zone: stations.DefaultZone, BuiltAt: now.Add(-10 * time.Minute)}}); err != nil {
			t.Fatal(err)
		}
		missed := ledger.Event{StationID: "tdp-mute", ID: "ev-1", ItemID: "it-1", Title: "Thông báo", Duration: time.Minute,
			Planned: now.Add(-time.Second), Outcome: "missed", Received: now}
		if _, err := w.led.Record([]ledger.Event{missed}); err != nil {
			t.Fatal(err)
		}
	})
	return w, now
}

func TestAlertsNameEachTroubledStation(t *testing.T) {
	w, now := troubledWard(t)
	w.srv.cfg.Alerts.DiskLowBytes = 1 << 62 // no disk has that much free
	alerts, err := w.srv.Alerts(now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]alert.Alert{}
	for _, a := range alerts {
		got[a.ID] = a
	}
	want := []string{"station_offline:tdp-off", "output_silent:tdp-mute", "missed_items:tdp-mute", "playlist_not_delivered:tdp-new", "station_offline:tdp-ghost", "disk_low"}
	for _, id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("no alert %s in %+v", id, alerts)
		}
	}
	if len(alerts) != len(want) {
		t.Errorf("%d alerts, want %d: %+v", len(alerts), len(want), alerts)
	}
	if a := got["station_offline:tdp-off"]; a.Vi != "Trạm Tổ tdp-off mất kết nối 20 phút" || a.En != "Station Tổ tdp-off offline for 20 minutes" {
		t.Errorf("offline texts: %q / %q", a.Vi, a.En)
	}
	if a := got["station_offline:tdp-ghost"]; !a.Never || a.En != "Station Tổ tdp-ghost has never connected (set up 120 minutes ago)" {
		t.Errorf("never connected: %+v", a)
	}
	if a := got["missed_items:tdp-mute"]; a.Count != 1 || a.Severity != "warning" {
		t.Errorf("missed: %+v", a)
	}
	if alerts[0].Severity != "critical" || alerts[len(alerts)-1].Severity != "warning" {
		t.Errorf("critical alerts do not come first: %+v", alerts)
	}
}

// viewerSession signs a viewer in directly and returns the session cookie.
func (w *opsWard) viewerSession(t *testing.T) *http.Cookie {
	t.Helper()
	hash, err := hashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	w.srv.users.Put(User{Name: "xem", Role: RoleViewer, PasswordHash: hash})
	session, err := w.srv.users.NewSession("xem", w.srv.now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: sessionCookie, Value: session}
}

// get fetches path as the viewer and returns the status and body.
func (w *opsWard) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", w.url+path, nil)
	req.AddCookie(w.viewerSession(t))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestAlertsAPIInTheReadersLanguage(t *testing.T) {
	w, _ := troubledWard(t)
	code, body := w.get(t, "/api/alerts?lang=en")
	var out []struct {
		ID      string `json:"id"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || code != 200 {
		t.Fatalf("GET /api/alerts: %d %v", code, err)
	}
	msgs := map[string]string{}
	for _, a := range out {
		msgs[a.ID] = a.Message
	}
	if len(out) != 5 || msgs["station_offline:tdp-off"] != "Station Tổ tdp-off offline for 20 minutes" || msgs["missed_items:tdp-mute"] != "Station Tổ tdp-mute missed 1 item today" {
		t.Fatalf("alerts: %+v", out)
	}
}

// silentWard is a ward at now where tdp-quiet is online and has aired
// nothing since its 06:20 item, tdp-away has been offline since 05:00 and
// has not reported its 06:00 item, and tdp-fine reported everything.
func silentWard(t *testing.T, now time.Time) *opsWard {
	return newOpsWardAt(t, now, func(w *opsWard) {
		for _, id := range []string{"tdp-quiet", "tdp-away", "tdp-fine"} {
			w.addStation(t, id, true)
		}
		err := w.st.PutPresence(
			stations.Presence{StationID: "tdp-quiet", LastSeen: now.Add(-10 * time.Second), StatusAt: now.Add(-10 * time.Second)},
			stations.Presence{StationID: "tdp-away", LastSeen: now.Add(-90 * time.Minute)},
			stations.Presence{StationID: "tdp-fine", LastSeen: now.Add(-10 * time.Second)},
		)
		if err != nil {
			t.Fatal(err)
		}
		item := func(at time.Time, title string) playlist.Item {
			return playlist.Item{ID: fmt.Sprintf("%d-7", at.UnixMilli()), SegmentID: 7, Title: title, Level: library.LevelOrdinary, Kind: "audio",
				StartMs: at.UnixMilli(), DurationMs: 90_000}
		}
		day := library.DateOf(now, ward.Zone())
		quiet := item(now.Add(-10*time.Minute), "Thông báo CCHC")
		away := item(now.Add(-30*time.Minute), "Lịch tiêm chủng")
		fine := item(now.Add(-10*time.Minute), "Thông báo CCHC")
		var pls []playlist.Playlist
		for st, it := range map[string]playlist.Item{"tdp-quiet": quiet, "tdp-away": away, "tdp-fine": fine} {
			pls = append(pls, playlist.Playlist{Station: st, Date: day, Zone: stations.DefaultZone, BuiltAt: now.Add(-24 * time.Hour), Items: []playlist.Item{it}})
		}
		if _, _, err := w.pls.SavePlaylists(pls); err != nil {
			t.Fatal(err)
		}
		aired := ledger.Event{StationID: "tdp-fine", ID: "ev-1", ItemID: fine.ID, Title: fine.Title, Duration: 90 * time.Second,
			Planned: fine.Start(), Started: fine.Start(), Ended: fine.Start().Add(90 * time.Second), Played: 90 * time.Second, Outcome: "completed", Received: now}
		if _, err := w.led.Record([]ledger.Event{aired}); err != nil {
			t.Fatal(err)
		}
	})
}

// The overview and the stations page name an online station that stays
// silent (which item, planned when, in the ward's time) as a fault, and an
// offline station's unreported item as something it may still report.
func TestPagesShowAnOverdueStationInWords(t *testing.T) {
	now := testclock.Now(t)
	w := silentWard(t, now)
	quiet, away := wardTime(now.Add(-10*time.Minute)), wardTime(now.Add(-30*time.Minute)) // at 06:30: 07/12/2026 06:20 and 06:00
	for lang, want := range map[string][]string{
		"vi": {"Trạm Tổ tdp-quiet đang kết nối nhưng không phát «Thông báo CCHC» lúc " + quiet,
			"Trạm Tổ tdp-away mất kết nối, chưa báo đã phát «Lịch tiêm chủng» lúc " + away + ": trạm có thể vẫn phát và sẽ báo khi kết nối lại"},
		"en": {"Station Tổ tdp-quiet is online but did not play “Thông báo CCHC” at " + quiet,
			"Station Tổ tdp-away is offline and has not reported “Lịch tiêm chủng” at " + away + ": it may have played and will report when it reconnects"},
	} {
		for _, path := range []string{"/overview", "/stations"} {
			code, body := w.get(t, path+"?lang="+lang)
			if code != 200 {
				t.Fatalf("%s %s: %d", path, lang, code)
			}
			for _, s := range want {
				if !strings.Contains(body, s) {
					t.Errorf("%s %s lacks %q", path, lang, s)
				}
			}
			if strings.Contains(body, "tdp-fine đang kết nối") || strings.Contains(body, `data-alert="item_overdue:tdp-fine"`) {
				t.Errorf("%s %s: the station that reported its item is overdue", path, lang)
			}
			if !strings.Contains(body, `class="bad" data-alert="item_overdue:tdp-quiet">`) || !strings.Contains(body, `class="warn" data-alert="item_overdue_offline:tdp-away">`) {
				t.Errorf("%s %s: the online station's item is not a fault or the offline one's not a warning", path, lang)
			}
		}
	}
}

// GET /api/alerts gives the overdue items with their fields.
func TestAlertsAPIListsOverdueItems(t *testing.T) {
	now := testclock.Now(t)
	w := silentWard(t, now)
	code, body := w.get(t, "/api/alerts")
	var out []struct {
		ID, Kind, Severity, Station, Message string
		Count                                int
		Items                                []struct {
			ItemID     string    `json:"item_id"`
			Title      string    `json:"title"`
			Planned    time.Time `json:"planned"`
			DurationMs int64     `json:"duration_ms"`
		}
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || code != 200 {
		t.Fatalf("GET /api/alerts: %d %v %s", code, err, body)
	}
	got := map[string]int{}
	for i, a := range out {
		got[a.ID] = i
	}
	i, ok := got["item_overdue:tdp-quiet"]
	if !ok {
		t.Fatalf("no overdue alert for tdp-quiet: %s", body)
	}
	q := out[i]
	if q.Kind != "item_overdue" || q.Severity != "critical" || q.Station != "tdp-quiet" || q.Count != 1 || len(q.Items) != 1 ||
		q.Items[0].Title != "Thông báo CCHC" || !q.Items[0].Planned.Equal(now.Add(-10*time.Minute)) || q.Items[0].DurationMs != 90_000 ||
		!strings.Contains(q.Message, "«Thông báo CCHC» lúc "+wardTime(now.Add(-10*time.Minute))) {
		t.Errorf("tdp-quiet: %+v", q)
	}
	if i, ok := got["item_overdue_offline:tdp-away"]; !ok || out[i].Severity != "warning" {
		t.Errorf("tdp-away: %s", body)
	}
	if _, ok := got["item_overdue:tdp-fine"]; ok {
		t.Errorf("tdp-fine is overdue: %s", body)
	}
}

// An emergency the station acknowledged but does not play is an alert
// once the bound has passed, and the emergency page shows it as a
// problem in words: through the real agent link, with the server's clock
// moved past the bound.
func TestEmergencyDeliveredButNotPlayingIsAProblem(t *testing.T) {
	ts, admin, agent, seg := newEmergencyRig(t)
	var sent struct{ ID string }
	if resp := admin.json("POST", "/api/commands", map[string]any{"kind": "emergency_play", "stations": []string{"tdp-01"}, "segment_id": seg, "repeat": 1}, &sent); resp.StatusCode >= 300 {
		t.Fatalf("send the emergency: %s", resp.Status)
	}
	cmd := ackDelivered(t, ts, agent)
	stuck := func() (alert.Alert, bool) {
		alerts, err := ts.web.Alerts(ts.web.now())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range alerts {
			if a.ID == "command_not_playing:tdp-01" {
				return a, true
			}
		}
		return alert.Alert{}, false
	}
	if a, ok := stuck(); ok {
		t.Fatalf("an alert within the bound: %+v", a)
	}

	ts.web.now = func() time.Time { return time.Now().Add(alert.DefaultPlayWithin + time.Second) }
	a, ok := stuck()
	if !ok || a.Severity != "critical" || len(a.Commands) != 1 || a.Commands[0].ID != sent.ID || !strings.Contains(a.Vi, "đã nhận lệnh phát khẩn cấp lúc") ||
		!strings.Contains(a.Vi, "nhưng chưa phát sau 3") {
		t.Fatalf("after the bound: %v %+v", ok, a)
	}
	resp, body := admin.get("/emergency")
	if page := string(body); resp.StatusCode != 200 || !strings.Contains(page, `<ul class="card bad" id="em-stuck" role="alert"><li data-alert="command_not_playing:tdp-01">`+a.Vi[:len("Trạm Tổ dân phố tdp-01 đã nhận")]) {
		t.Errorf("the emergency page does not show the problem in words (%s):\n%s", resp.Status, page)
	}

	frame, _ := protocol.Encode(protocol.TypeCommandAck, 3, &protocol.CommandAck{ID: cmd.ID, State: protocol.StatePlaying})
	if err := agent.WriteMessage(websocket.TextMessage, frame); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, ok := stuck(); !ok {
			break
		} else if time.Now().After(deadline) {
			t.Fatal("the alert stays once the station plays")
		}
	}
}

// newEmergencyRig is a server with station tdp-01, its agent connected
// over the real link (the test speaks for it), an admin signed in and an
// approved emergency item, whose id it returns.
func newEmergencyRig(t *testing.T) (*testServer, *client, *websocket.Conn, uint64) {
	t.Helper()
	ts := newStationServer(t)
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "An Phú"}, nil)
	token := ts.createStation(t, admin, "tdp-01")
	agent, _, err := dialAgent(t, ts, token)
	if err != nil {
		t.Fatal(err)
	}
	readType(t, agent, protocol.TypeWelcome)
	seg, err := ts.lib.Create(library.Segment{Title: "Bão số 9", Topic: "cchc-tthc", Level: library.LevelEmergency, Targets: library.Targets{All: true},
		Audio: library.Audio{SHA256: strings.Repeat("ab", 32), Size: 480_000, Format: "mp3", DurationMS: 30_000}}, "bien-tap")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []library.Action{library.ActionSubmit, library.ActionApprove} {
		if _, err := ts.lib.Do(seg.ID, a, "lanh-dao", ""); err != nil {
			t.Fatal(err)
		}
	}
	return ts, admin, agent, seg.ID
}

// ackDelivered reads the emergency the agent gets, acks it delivered (and
// nothing more) and waits until the hub has taken the ack.
func ackDelivered(t *testing.T, ts *testServer, agent *websocket.Conn) *protocol.Command {
	t.Helper()
	cmd := readType(t, agent, protocol.TypeCommand).Body.(*protocol.Command)
	frame, _ := protocol.Encode(protocol.TypeCommandAck, 2, &protocol.CommandAck{ID: cmd.ID, State: protocol.StateDelivered})
	if err := agent.WriteMessage(websocket.TextMessage, frame); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if cs := ts.web.link.Hub.Commands("tdp-01"); len(cs) == 1 && cs[0].State == protocol.StateDelivered {
			return cmd
		} else if time.Now().After(deadline) {
			t.Fatalf("the hub did not take the ack: %+v", cs)
		}
	}
}

// The two conditions an agent can be silent in without a fault of its
// own to report read as what they are, in the ward's time: an item on air
// that the plan lacks, and an emergency written to a connected station
// and never acknowledged.
func TestAlertWordsForPlayingOffPlanAndNeverAcked(t *testing.T) {
	f := formatter{loc: loadWardZone()}
	now := testclock.Now(t)
	planned := now.Add(-time.Minute)
	vi, en := f.alertWords(alert.Alert{Kind: alert.KindOffPlan, Playing: true, StationName: "Tổ 5",
		Items: []alert.Item{{ItemID: "ghost", Title: "Bản tin cũ", Planned: planned}}}, now)
	if want := "Trạm Tổ 5 đang phát «Bản tin cũ» (lịch " + f.dateTime(planned) + ") nhưng kế hoạch không có bản tin này"; vi != want || !strings.Contains(en, "is playing “Bản tin cũ”") {
		t.Errorf("playing off plan:\n%s\n%s\nwant %s", vi, en, want)
	}
	sent := now.Add(-40 * time.Second)
	vi, en = f.alertWords(alert.Alert{Kind: alert.KindNotPlaying, StationName: "Tổ 5",
		Commands: []alert.Command{{ID: "c", Kind: "emergency_play", State: "sent", Since: sent}}}, now)
	if want := "Trạm Tổ 5 đang kết nối nhưng chưa xác nhận lệnh phát khẩn cấp gửi lúc " + f.clock(sent) + " sau 40 giây"; vi != want || !strings.Contains(en, "has not acknowledged") {
		t.Errorf("never acked:\n%s\n%s\nwant %s", vi, en, want)
	}
}
