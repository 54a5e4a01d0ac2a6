package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// A ward with one station of each kind of trouble: tdp-off silent for 20
// minutes, tdp-mute online with a silent output and an item missed today,
// tdp-new just set up and not yet connected although today's playlist was
// built 10 minutes ago, tdp-ghost set up two hours ago and never
// connected, tdp-ok fine, tdp-old disabled and long gone.
func troubledWard(t *testing.T) (*opsWard, time.Time) {
	now := time.Now()
	w := newOpsWard(t, func(w *opsWard) {
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
		loc, _ := time.LoadLocation(stations.DefaultZone)
		if _, _, err := w.pls.SavePlaylists([]playlist.Playlist{{Station: "tdp-new", Date: library.DateOf(now, loc), Zone: stations.DefaultZone, BuiltAt: now.Add(-10 * time.Minute)}}); err != nil {
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
	got := map[string]Alert{}
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

func TestAlertsAPIInTheReadersLanguage(t *testing.T) {
	w, _ := troubledWard(t)
	hash, err := hashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	w.srv.users.put(User{Name: "xem", Role: RoleViewer, PasswordHash: hash})
	session, err := w.srv.users.newSession("xem", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", w.url+"/api/alerts?lang=en", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []struct {
		ID      string `json:"id"`
		Message string `json:"message"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/alerts: %s %v", resp.Status, err)
	}
	msgs := map[string]string{}
	for _, a := range out {
		msgs[a.ID] = a.Message
	}
	if len(out) != 5 || msgs["station_offline:tdp-off"] != "Station Tổ tdp-off offline for 20 minutes" || msgs["missed_items:tdp-mute"] != "Station Tổ tdp-mute missed 1 item today" {
		t.Fatalf("alerts: %+v", out)
	}
}

// hook is a webhook receiver that refuses the first fail requests.
type hook struct {
	mu     sync.Mutex
	fail   int
	events []AlertEvent
	tries  int
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tries++
	if h.fail > 0 {
		h.fail--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var ev AlertEvent
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.events = append(h.events, ev)
}

func (h *hook) got() []AlertEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]AlertEvent(nil), h.events...)
}

func TestAlertWebhookOnStartAndClearWithRetries(t *testing.T) {
	w := newOpsWard(t, nil) // no stations: only the disk alert, switched by its threshold
	h := &hook{fail: 2}     // the first event needs a retry
	rx := httptest.NewServer(h)
	defer rx.Close()
	s := w.srv
	s.cfg.Alerts.Webhook = rx.URL
	s.watch.retryWait = time.Millisecond
	ctx := context.Background()
	now := time.Now()

	s.cfg.Alerts.DiskLowBytes = 1 << 62
	if err := s.CheckAlerts(ctx, now); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if err := s.CheckAlerts(ctx, now.Add(time.Minute)); err != nil { // still low: nothing new
		t.Fatal(err)
	}
	evs := h.got()
	if len(evs) != 1 || evs[0].State != "firing" || evs[0].Alert.Kind != AlertDiskLow || evs[0].Alert.En == "" {
		t.Fatalf("after two runs with the disk low: %+v", evs)
	}

	// The disk is freed while the webhook is down: the event waits.
	s.cfg.Alerts.DiskLowBytes = 1
	h.mu.Lock()
	h.fail = 100
	h.mu.Unlock()
	if err := s.CheckAlerts(ctx, now.Add(2*time.Minute)); err == nil {
		t.Fatal("a webhook that refuses everything gave no error")
	}
	h.mu.Lock()
	h.fail = 0
	h.mu.Unlock()
	if err := s.CheckAlerts(ctx, now.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	evs = h.got()
	if len(evs) != 2 || evs[1].State != "resolved" || evs[1].Alert.ID != "disk_low" {
		t.Fatalf("after the clear: %+v", evs)
	}
	if evs[0].ID == evs[1].ID {
		t.Errorf("firing and resolved share id %s", evs[0].ID)
	}
}
