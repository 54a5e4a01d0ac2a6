package alert

import (
	"log/slog"
	"testing"
	"time"

	"loa/broadcast/hub"
	"loa/broadcast/protocol"
	"loa/internal/testclock"
)

// A station that sends more proof of play in a day than its bound
// (issue 15 item 4: a misused token could write invented airtime) is an
// alert, named with the station, through the real hub and link.
func TestAiredBoundIsAnAlert(t *testing.T) {
	now := testclock.Now(t)
	clock := func() time.Time { return now }
	var token string
	w := newTestWard(t, func(w *testWard) { token = w.addStation(t, "tdp-07", now) })
	var err error
	if w.hub, err = hub.New(hub.Config{Now: clock, MaxAiredPerDay: 2}, w.st, w.led, nil, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	a := dialStatusAgent(t, w.serve(t), token)
	var events []protocol.AiredEvent
	for i, id := range []string{"ev-1", "ev-2", "ev-3"} {
		at := now.Add(-time.Duration(10*(i+1)) * time.Minute)
		events = append(events, protocol.AiredEvent{ID: id, ItemID: "x-" + id, Title: "Bản tin", Topic: "khac", Level: "ordinary",
			PlannedMs: at.UnixMilli(), StartedMs: at.UnixMilli(), EndedMs: at.Add(time.Minute).UnixMilli(), PlayedMs: 60_000, Outcome: "completed"})
	}
	a.send(protocol.TypeAired, &protocol.Aired{Events: events})
	c := w.checker(Config{})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		alerts, err := c.Alerts(now)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := byID(alerts)[KindAiredBound+":tdp-07"]; ok {
			if got.Severity != Warning || got.StationName != "Tổ tdp-07" {
				t.Errorf("alert %+v", got)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s alert after 3 events with a bound of 2: %+v", KindAiredBound, alerts)
		}
	}
}
