package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist/library"
	"loa/stations"
)

// Alerts are what an operator must look at now: one function (Alerts)
// computes them for the overview, GET /api/alerts and the webhook job
// (CheckAlerts), so that all three agree.

// AlertConfig sets the thresholds and the webhook. Zero values mean the
// Default* constants; an empty Webhook sends nothing.
type AlertConfig struct {
	OfflineAfter time.Duration // a station silent this long is an alert
	DiskLowBytes int64         // free space below this on the data directory's disk
	Webhook      string        // URL that gets a JSON POST when an alert starts and clears
}

// Alert thresholds.
const (
	DefaultOfflineAfter = 15 * time.Minute
	DefaultDiskLowBytes = 1 << 30
	// deliverWithin is how long a new playlist version may wait for its
	// station before it counts as not delivered.
	deliverWithin = 5 * time.Minute
)

// Alert kinds.
const (
	AlertStationOffline  = "station_offline"
	AlertOutputSilent    = "output_silent"
	AlertPlaylistPending = "playlist_not_delivered"
	AlertDiskLow         = "disk_low"
	AlertMissedItems     = "missed_items"
)

// An Alert is one condition that holds now. ID is stable while it lasts
// (kind and station), so that a change of its count is no new alert.
type Alert struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Severity    string    `json:"severity"` // critical or warning
	Station     string    `json:"station,omitempty"`
	StationName string    `json:"station_name,omitempty"`
	Since       time.Time `json:"since,omitzero"`            // when the condition began, if known
	Never       bool      `json:"never_connected,omitempty"` // station_offline: set up but never heard from
	Count       int       `json:"count,omitempty"`
	FreeBytes   int64     `json:"free_bytes,omitempty"`
	Vi          string    `json:"message_vi"`
	En          string    `json:"message_en"`
}

func (c AlertConfig) withDefaults() AlertConfig {
	if c.OfflineAfter <= 0 {
		c.OfflineAfter = DefaultOfflineAfter
	}
	if c.DiskLowBytes <= 0 {
		c.DiskLowBytes = DefaultDiskLowBytes
	}
	return c
}

// Alerts returns every alert that holds at now: critical ones first, then
// by station.
func (s *Server) Alerts(now time.Time) ([]Alert, error) {
	cfg := s.cfg.Alerts.withDefaults()
	var out []Alert
	if err := s.stationAlerts(now, cfg, &out); err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	if s.blobs != nil {
		if free, err := freeBytes(s.blobs.TempDir()); err == nil && free < uint64(cfg.DiskLowBytes) {
			out = append(out, Alert{Kind: AlertDiskLow, FreeBytes: int64(free)})
		}
	}
	for i := range out {
		a := &out[i]
		a.ID = a.Kind
		if a.Station != "" {
			a.ID += ":" + a.Station
		}
		a.Severity = severity(a.Kind)
		a.Vi, a.En = alertText(*a, now)
	}
	slices.SortStableFunc(out, func(a, b Alert) int {
		return rank(a) - rank(b)
	})
	return out, nil
}

func rank(a Alert) int {
	if a.Severity == "critical" {
		return 0
	}
	return 1
}

func severity(kind string) string {
	switch kind {
	case AlertStationOffline, AlertOutputSilent, AlertDiskLow:
		return "critical"
	}
	return "warning"
}

// stationAlerts checks every enabled station: offline too long, silent
// output, today's playlist not delivered, items missed today.
func (s *Server) stationAlerts(now time.Time, cfg AlertConfig, out *[]Alert) error {
	l, err := s.stationLink()
	if err != nil {
		return nil
	}
	all, err := l.Stations.Stations()
	if err != nil {
		return err
	}
	missed := map[string][ledger.NumStatuses]int{}
	if s.report != nil && s.report.Builder != nil && s.report.Builder.Ledger != nil {
		if missed, err = todayCounts(s.report.Builder.Ledger, now, s.fmt.loc); err != nil {
			return err
		}
	}
	for _, st := range all {
		if !st.Enabled {
			continue
		}
		base := Alert{Station: st.ID, StationName: st.Name}
		p := l.Hub.Presence(st.ID)
		online := l.Hub.Online(st.ID)
		// A station never heard from counts from when it was set up.
		heard := p.LastSeen
		if heard.IsZero() {
			heard = st.CreatedAt
		}
		offline := !online && !heard.IsZero() && now.Sub(heard) >= cfg.OfflineAfter
		if offline {
			a := base
			a.Kind, a.Since, a.Never = AlertStationOffline, heard, p.LastSeen.IsZero()
			*out = append(*out, a)
		}
		if online && slices.Contains(p.Faults, "output_silent") {
			a := base
			a.Kind, a.Since = AlertOutputSilent, p.StatusAt
			*out = append(*out, a)
		}
		if !offline {
			if built, ok := s.undelivered(l, st, p, now); ok {
				a := base
				a.Kind, a.Since = AlertPlaylistPending, built
				*out = append(*out, a)
			}
		}
		if c := missed[st.ID]; c[ledger.StatusMissed]+c[ledger.StatusFailed] > 0 {
			a := base
			a.Kind, a.Count = AlertMissedItems, c[ledger.StatusMissed]+c[ledger.StatusFailed]
			*out = append(*out, a)
		}
	}
	return nil
}

// undelivered reports whether the station's latest playlist for its today
// was built more than deliverWithin ago and the station has not been
// connected since: the hub sends a new version to a live connection at
// once, so one built after the station was last heard from has not reached
// it. It returns when that version was built.
func (s *Server) undelivered(l *StationLink, st stations.Station, p stations.Presence, now time.Time) (time.Time, bool) {
	if s.sched == nil || s.sched.Store == nil || l.Hub.Connected(st.ID) {
		return time.Time{}, false
	}
	loc, err := time.LoadLocation(st.Zone)
	if err != nil {
		loc = s.fmt.loc
	}
	pl, err := s.sched.Store.Playlist(st.ID, library.DateOf(now, loc))
	if err != nil {
		return time.Time{}, false // none built for today (or unreadable: the planner logs it)
	}
	if now.Sub(pl.BuiltAt) < deliverWithin || p.LastSeen.After(pl.BuiltAt) {
		return time.Time{}, false
	}
	return pl.BuiltAt, true
}

// alertText is the alert in Vietnamese and in English.
func alertText(a Alert, now time.Time) (vi, en string) {
	name := a.StationName
	if name == "" {
		name = a.Station
	}
	mins := int(now.Sub(a.Since).Minutes())
	switch a.Kind {
	case AlertStationOffline:
		if a.Never {
			return fmt.Sprintf("Trạm %s chưa từng kết nối (tạo %d phút trước)", name, mins),
				fmt.Sprintf("Station %s has never connected (set up %d minutes ago)", name, mins)
		}
		return fmt.Sprintf("Trạm %s mất kết nối %d phút", name, mins),
			fmt.Sprintf("Station %s offline for %d minutes", name, mins)
	case AlertOutputSilent:
		return fmt.Sprintf("Trạm %s đang phát nhưng không có tiếng (mất tín hiệu ra loa)", name),
			fmt.Sprintf("Station %s is playing but its output is silent", name)
	case AlertPlaylistPending:
		return fmt.Sprintf("Trạm %s chưa nhận danh sách phát mới nhất hôm nay (tạo %d phút trước)", name, mins),
			fmt.Sprintf("Station %s has not received today's latest playlist (built %d minutes ago)", name, mins)
	case AlertMissedItems:
		return fmt.Sprintf("Trạm %s bỏ lỡ %d bản tin hôm nay", name, a.Count),
			fmt.Sprintf("Station %s missed %d %s today", name, a.Count, map[bool]string{true: "item", false: "items"}[a.Count == 1])
	case AlertDiskLow:
		mb := a.FreeBytes >> 20
		return fmt.Sprintf("Ổ đĩa dữ liệu sắp đầy: còn %d MB", mb),
			fmt.Sprintf("Data disk low: %d MB free", mb)
	}
	return a.Kind, a.Kind
}

// freeBytes is the space an unprivileged process may still use on dir's
// file system.
func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("free space of %s: %w", dir, err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

// listAlerts is GET /api/alerts: the alerts now, each with its message in
// the client's language.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) error {
	alerts, err := s.Alerts(s.now())
	if err != nil {
		return err
	}
	type view struct {
		Alert
		Message string `json:"message"`
	}
	out := make([]view, len(alerts))
	for i, a := range alerts {
		out[i] = view{Alert: a, Message: a.Vi}
		if lang(r) == "en" {
			out[i].Message = a.En
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Webhook delivery: an event when an alert starts ("firing") and when it
// clears ("resolved"). Events wait in order until the webhook accepts them
// (2xx); an event's id is the same on every retry, so a receiver that got
// one whose answer was lost can drop the copy.

// AlertEvent is the JSON body POSTed to the webhook.
type AlertEvent struct {
	ID    string    `json:"id"`    // alert id, state and start: the same on every retry
	State string    `json:"state"` // firing or resolved
	At    time.Time `json:"at"`
	Alert Alert     `json:"alert"`
}

// alertWatch is the webhook job's memory: the alerts seen firing and the
// events not yet delivered. It lives in memory: after a restart, the
// alerts that hold are sent once more as firing.
type alertWatch struct {
	mu        sync.Mutex
	active    map[string]Alert
	firedAt   map[string]time.Time
	pending   []AlertEvent
	attempts  int           // tries per event in one run
	retryWait time.Duration // before the second try; doubled after
	client    *http.Client
}

func newAlertWatch() *alertWatch {
	return &alertWatch{active: map[string]Alert{}, firedAt: map[string]time.Time{}, attempts: 3, retryWait: time.Second,
		client: &http.Client{Timeout: 10 * time.Second}}
}

// CheckAlerts is the alert job's body: it computes the alerts at now,
// queues an event for each that started or cleared since the last run,
// and delivers the queue to the webhook. An event the webhook refuses
// after a few tries stays queued, with those after it, for the next run.
func (s *Server) CheckAlerts(ctx context.Context, now time.Time) error {
	alerts, err := s.Alerts(now)
	if err != nil {
		return err
	}
	w := s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	w.diff(alerts, now)
	if s.cfg.Alerts.Webhook == "" {
		w.pending = nil
		return nil
	}
	return w.deliver(ctx, s.cfg.Alerts.Webhook)
}

func (w *alertWatch) diff(alerts []Alert, now time.Time) {
	seen := map[string]bool{}
	for _, a := range alerts {
		seen[a.ID] = true
		if _, ok := w.active[a.ID]; !ok {
			w.firedAt[a.ID] = now.UTC()
			w.pending = append(w.pending, AlertEvent{ID: eventID(a.ID, "firing", now), State: "firing", At: now.UTC(), Alert: a})
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
		w.pending = append(w.pending, AlertEvent{ID: eventID(id, "resolved", w.firedAt[id]), State: "resolved", At: now.UTC(), Alert: a})
		delete(w.active, id)
		delete(w.firedAt, id)
	}
}

func eventID(alertID, state string, fired time.Time) string {
	return fmt.Sprintf("%s:%s:%d", alertID, state, fired.Unix())
}

func (w *alertWatch) deliver(ctx context.Context, url string) error {
	for len(w.pending) > 0 {
		if err := w.post(ctx, url, w.pending[0]); err != nil {
			return fmt.Errorf("alert webhook: %w (%d events wait)", err, len(w.pending))
		}
		w.pending = w.pending[1:]
	}
	return nil
}

// post sends one event, trying again after retryWait, then twice that.
func (w *alertWatch) post(ctx context.Context, url string, ev AlertEvent) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	wait := w.retryWait
	for try := 1; ; try++ {
		err = w.postOnce(ctx, url, body)
		if err == nil || try >= w.attempts {
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

func (w *alertWatch) postOnce(ctx context.Context, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
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
