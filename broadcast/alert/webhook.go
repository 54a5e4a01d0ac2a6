package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Webhook delivery: an event when an alert starts ("firing") and when it
// clears ("resolved"). Events wait in order until the webhook accepts them
// (2xx); an event's id is the same on every retry, so a receiver that got
// one whose answer was lost can drop the copy.

// Event is the JSON body POSTed to the webhook.
type Event struct {
	ID    string    `json:"id"`    // alert id, state and start: the same on every retry
	State string    `json:"state"` // firing or resolved
	At    time.Time `json:"at"`
	Alert Alert     `json:"alert"`
}

// Watch is the webhook job's memory: the alerts seen firing and the
// events not yet delivered. It lives in memory: after a restart, the
// alerts that hold are sent once more as firing.
type Watch struct {
	url    string
	alerts func(now time.Time) ([]Alert, error)
	client *http.Client

	// Attempts is how many times one event is tried in one run;
	// RetryWait the wait before the second try, doubled after.
	Attempts  int
	RetryWait time.Duration

	mu      sync.Mutex
	active  map[string]Alert
	firedAt map[string]time.Time
	pending []Event
}

// NewWatch returns the job that reads alerts (Checker.Alerts) on each run
// and tells url ("" tells nobody) of every change.
func NewWatch(url string, alerts func(now time.Time) ([]Alert, error)) *Watch {
	return &Watch{url: url, alerts: alerts, client: &http.Client{Timeout: 10 * time.Second},
		Attempts: 3, RetryWait: time.Second, active: map[string]Alert{}, firedAt: map[string]time.Time{}}
}

// Check is the alert job's body: it computes the alerts at now, queues an
// event for each that started or cleared since the last run, and delivers
// the queue to the webhook. An event the webhook refuses after a few tries
// stays queued, with those after it, for the next run.
func (w *Watch) Check(ctx context.Context, now time.Time) error {
	alerts, err := w.alerts(now)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.diff(alerts, now)
	if w.url == "" {
		w.pending = nil
		return nil
	}
	return w.deliver(ctx)
}

func (w *Watch) diff(alerts []Alert, now time.Time) {
	seen := map[string]bool{}
	for _, a := range alerts {
		seen[a.ID] = true
		if _, ok := w.active[a.ID]; !ok {
			w.firedAt[a.ID] = now.UTC()
			w.pending = append(w.pending, Event{ID: eventID(a.ID, "firing", now), State: "firing", At: now.UTC(), Alert: a})
		}
		w.active[a.ID] = a
	}
	ids := make([]string, 0, len(w.active))
	for id := range w.active {
		if !seen[id] {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		a := w.active[id]
		w.pending = append(w.pending, Event{ID: eventID(id, "resolved", w.firedAt[id]), State: "resolved", At: now.UTC(), Alert: a})
		delete(w.active, id)
		delete(w.firedAt, id)
	}
}

func eventID(alertID, state string, fired time.Time) string {
	return fmt.Sprintf("%s:%s:%d", alertID, state, fired.Unix())
}

func (w *Watch) deliver(ctx context.Context) error {
	for len(w.pending) > 0 {
		if err := w.post(ctx, w.pending[0]); err != nil {
			return fmt.Errorf("alert webhook: %w (%d events wait)", err, len(w.pending))
		}
		w.pending = w.pending[1:]
	}
	return nil
}

// post sends one event, trying again after RetryWait, then twice that.
func (w *Watch) post(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	wait := w.RetryWait
	for try := 1; ; try++ {
		err = w.postOnce(ctx, body)
		if err == nil || try >= w.Attempts {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (w *Watch) postOnce(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}
