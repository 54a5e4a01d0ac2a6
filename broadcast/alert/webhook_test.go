package alert

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"loa/internal/testclock"
)

// hook is a webhook receiver that refuses the first fail requests.
type hook struct {
	mu     sync.Mutex
	fail   int
	events []Event
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
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.events = append(h.events, ev)
}

func (h *hook) got() []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Event(nil), h.events...)
}

func (h *hook) failNext(n int) {
	h.mu.Lock()
	h.fail = n
	h.mu.Unlock()
}

func words(a Alert, _ time.Time) (vi, en string) { return "vi " + a.ID, "en " + a.ID }

func TestWebhookOnStartAndClearWithRetries(t *testing.T) {
	h := &hook{fail: 2} // the first event needs a retry
	rx := httptest.NewServer(h)
	defer rx.Close()
	dir := t.TempDir()
	low := int64(1 << 62) // no disk has that much free: the disk alert holds
	alerts := func(now time.Time) ([]Alert, error) {
		return New(Config{DiskLowBytes: low}, Sources{DataDir: dir}, words).Alerts(now)
	}
	w := NewWatch(rx.URL, alerts)
	w.RetryWait = time.Millisecond
	ctx := context.Background()
	now := testclock.Now(t)

	if err := w.Check(ctx, now); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if err := w.Check(ctx, now.Add(time.Minute)); err != nil { // still low: nothing new
		t.Fatal(err)
	}
	evs := h.got()
	if len(evs) != 1 || evs[0].State != "firing" || evs[0].Alert.Kind != KindDiskLow || evs[0].Alert.En != "en disk_low" {
		t.Fatalf("after two runs with the disk low: %+v", evs)
	}

	// The disk is freed while the webhook is down: the event waits.
	low = 1
	h.failNext(100)
	if err := w.Check(ctx, now.Add(2*time.Minute)); err == nil {
		t.Fatal("a webhook that refuses everything gave no error")
	}
	h.failNext(0)
	if err := w.Check(ctx, now.Add(3*time.Minute)); err != nil {
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

// An online station that stays silent fires an overdue alert naming its
// item; when the station reports it, the alert resolves.
func TestWebhookTellsOfASilentStation(t *testing.T) {
	h := &hook{}
	rx := httptest.NewServer(h)
	defer rx.Close()
	now := testclock.Now(t)
	w := newTestWard(t, func(w *testWard) {
		w.addStation(t, "tdp-01", now)
		w.heard(t, "tdp-01", now.Add(-5*time.Second))
	})
	items := w.plan(t, "tdp-01", 2*time.Minute, now.Add(-5*time.Minute))
	c := New(Config{}, Sources{Stations: w.st, Hub: w.hub, Ledger: w.led, Plans: w.pls}, words)
	watch := NewWatch(rx.URL, c.Alerts)
	ctx := context.Background()

	if err := watch.Check(ctx, now.Add(-150*time.Second)); err != nil { // ended 30 s before: within the grace
		t.Fatal(err)
	}
	if evs := h.got(); len(evs) != 0 {
		t.Fatalf("within the grace: %+v", evs)
	}
	if err := watch.Check(ctx, now); err != nil {
		t.Fatal(err)
	}
	evs := h.got()
	if len(evs) != 1 || evs[0].State != "firing" || evs[0].Alert.ID != "item_overdue:tdp-01" || evs[0].Alert.Severity != Critical ||
		len(evs[0].Alert.Items) != 1 || evs[0].Alert.Items[0].Title != items[0].Title || !evs[0].Alert.Items[0].Planned.Equal(now.Add(-5*time.Minute)) {
		t.Fatalf("silent station: %+v", evs)
	}
	w.aired(t, "tdp-01", items[0], "completed") // the agent catches up and reports
	if err := watch.Check(ctx, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if evs = h.got(); len(evs) != 2 || evs[1].State != "resolved" || evs[1].Alert.ID != "item_overdue:tdp-01" {
		t.Fatalf("after the report: %+v", evs)
	}
}
