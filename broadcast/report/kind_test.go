package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"loa/broadcast/ledger"
)

// A relay and a live broadcast count as their own kinds; a failed relay
// counts what it relayed; the emergency live broadcast counts too.
func TestAirtimeByKind(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	at := time.Date(2026, 8, 3, 6, 0, 0, 0, hcm)
	ev := func(i int, kind string, played time.Duration, outcome string) ledger.Event {
		planned := at.Add(time.Duration(i) * time.Hour)
		return ledger.Event{StationID: "tdp-01", ID: fmt.Sprint(i), ItemID: fmt.Sprint("it-", i), Title: kind, Topic: "tin-tuc",
			Level: "ordinary", Kind: kind, Duration: 30 * time.Minute, Planned: planned, Started: planned, Played: played, Outcome: outcome}
	}
	live := ev(4, "live", 5*time.Minute, "completed")
	live.Level, live.CommandID = "emergency", "live-1"
	events := []ledger.Event{
		ev(0, "", 2*time.Minute, "completed"),
		ev(1, "relay", 29*time.Minute, "completed"), // a reconnect cost a minute
		ev(2, "relay", 10*time.Minute, "failed"),    // went dead after 10 minutes
		ev(3, "", 3*time.Minute, "completed"),       // filled the failed relay's slot
		live,
	}
	events[2].Reason, events[3].Reason = "relay_dead_air", "relay_fallback"
	if _, err := l.Record(events); err != nil {
		t.Fatal(err)
	}
	want := []KindRow{
		{Kind: "audio", Name: "Bản tin", NameEn: "Recorded items", Plays: 2, Airtime: Airtime(5 * time.Minute)},
		{Kind: "relay", Name: "Tiếp sóng", NameEn: "Relays", Plays: 1, Airtime: Airtime(39 * time.Minute)},
		{Kind: "live", Name: "Phát trực tiếp", NameEn: "Live broadcasts", Plays: 1, Airtime: Airtime(5 * time.Minute)},
	}
	for _, scan := range []bool{false, true} {
		r, err := (&Builder{Ledger: l, Scan: scan}).Build(Quarter(2026, 3), testDir)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Kinds) != len(want) {
			t.Fatalf("scan=%v: kinds %+v", scan, r.Kinds)
		}
		for i, w := range want {
			w.Share = float64(w.Airtime) / float64(49*time.Minute)
			if r.Kinds[i] != w {
				t.Errorf("scan=%v: %+v, want %+v", scan, r.Kinds[i], w)
			}
		}
		var csv bytes.Buffer
		if err := WriteCSV(&csv, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(csv.String(), "Tiếp sóng,1,0:39:00,") {
			t.Errorf("scan=%v: the CSV has no relay line:\n%s", scan, csv.String())
		}
		if !strings.Contains(csv.String(), "Luồng tiếp sóng im lặng quá lâu") {
			t.Errorf("scan=%v: the failed relay's reason is not in words", scan)
		}
	}
	lines, err := (&Builder{Ledger: l}).Reconcile(Quarter(2026, 3), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, ln := range lines { // each event's title is its kind ("" for audio)
		if ln.Kind != ln.Title {
			t.Errorf("line %s %q: kind %q", ln.ItemID, ln.Title, ln.Kind)
		}
	}
}
