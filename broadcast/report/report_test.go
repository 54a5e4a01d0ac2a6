package report

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, from, to, name, prev string
	}{
		{"2026-Q3", "2026-07-01", "2026-09-30", "Quý III/2026", "2026-Q2"},
		{"2026-q1", "2026-01-01", "2026-03-31", "Quý I/2026", "2025-Q4"},
		{"2026-H1", "2026-01-01", "2026-06-30", "6 tháng đầu năm 2026", "2025-H2"},
		{"2026-H2", "2026-07-01", "2026-12-31", "6 tháng cuối năm 2026", "2026-H1"},
		{"2026", "2026-01-01", "2026-12-31", "Năm 2026", "2025"},
		{"2026-02", "2026-02-01", "2026-02-28", "Tháng 2/2026", "2026-01"},
		{"2026-01", "2026-01-01", "2026-01-31", "Tháng 1/2026", "2025-12"},
		{"2026-07-01..2026-09-30", "2026-07-01", "2026-09-30", "Từ ngày 01/07/2026 đến ngày 30/09/2026", "2026-03-31..2026-06-30"},
		{"01/07/2026..10/07/2026", "2026-07-01", "2026-07-10", "Từ ngày 01/07/2026 đến ngày 10/07/2026", "2026-06-21..2026-06-30"},
	} {
		p, err := ParsePeriod(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if string(p.From) != c.from || string(p.To) != c.to || p.Name("vi") != c.name || p.Previous().Code() != c.prev {
			t.Errorf("%s: %s..%s %q prev %s", c.in, p.From, p.To, p.Name("vi"), p.Previous().Code())
		}
		if again, _ := ParsePeriod(p.Code()); again != p {
			t.Errorf("%s: code %s reads back as %+v", c.in, p.Code(), again)
		}
	}
	for _, bad := range []string{"", "2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-00", "Q3-2026", "2026-09-30..2026-07-01", "2026-07-01..", "2020-01-01..2026-01-01", "2026-02-30..2026-03-01"} {
		if _, err := ParsePeriod(bad); !errors.Is(err, ErrBadPeriod) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestQuarterStartsAndEndsAtMidnightInTheWard(t *testing.T) {
	t.Parallel()
	from, to := Quarter(2026, 3).Bounds(hcm)
	if want := time.Date(2026, 6, 30, 17, 0, 0, 0, time.UTC); !from.Equal(want) {
		t.Fatalf("Q3 starts %v, want %v", from.UTC(), want)
	}
	if want := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC); !to.Equal(want) {
		t.Fatalf("Q3 ends %v, want %v", to.UTC(), want)
	}
	l := openLedger(t)
	at := func(d string) time.Time { t, _ := time.ParseInLocation("2006-01-02 15:04", d, hcm); return t }
	var events []ledger.Event
	for i, planned := range []time.Time{at("2026-06-30 23:59"), at("2026-07-01 00:00"), at("2026-09-30 23:59"), at("2026-10-01 00:00")} {
		events = append(events, ledger.Event{StationID: "tdp-01", ID: fmt.Sprint(i), ItemID: fmt.Sprint(i), Title: "x", Topic: "tin-tuc",
			Level: "ordinary", Duration: time.Minute, Planned: planned, Started: planned, Played: time.Minute, Outcome: "completed"})
	}
	if _, err := l.Record(events); err != nil {
		t.Fatal(err)
	}
	for _, scan := range []bool{false, true} {
		b := &Builder{Ledger: l, Scan: scan}
		r, err := b.Build(Quarter(2026, 3), testDir)
		if err != nil {
			t.Fatal(err)
		}
		if r.Totals.Plays != 2 || r.PrevTotals.Plays != 1 {
			t.Errorf("scan=%v: Q3 %d plays (want 2: 01/07 00:00 and 30/09 23:59), Q2 %d (want 1)", scan, r.Totals.Plays, r.PrevTotals.Plays)
		}
	}
}

func TestAnItemEditedAfterAiringReportsItsOldTitle(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	fixture(t, l)
	r, err := (&Builder{Ledger: l}).Build(Month(2026, 7), testDir)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, it := range r.Items {
		titles[it.SegmentID] = it.Title
	}
	if titles["11"] != fixtureItems[0].title {
		t.Fatalf("July lists item 11 as %q", titles["11"])
	}
	r, _ = (&Builder{Ledger: l}).Build(Month(2026, 8), testDir)
	var both []string
	for _, it := range r.Items {
		if it.SegmentID == "11" {
			both = append(both, it.Title)
		}
	}
	if len(both) != 2 || r.Totals.DistinctItems != 3 {
		t.Fatalf("August: item 11 as %q, %d distinct items", both, r.Totals.DistinctItems)
	}
}

// randomEvents is a random month of history on 5 stations.
func randomEvents(rng *rand.Rand, n int) []ledger.Event {
	outcomes := []string{"completed", "completed", "completed", "interrupted", "failed", "missed"}
	topics := []string{"cchc-tthc", "cchc-chuyen-doi-so", "tin-tuc", "khac"}
	start := time.Date(2026, 6, 28, 0, 0, 0, 0, hcm)
	out := make([]ledger.Event, n)
	for i := range out {
		planned := start.Add(time.Duration(rng.Int64N(int64(40 * 24 * time.Hour)))).Truncate(time.Millisecond)
		dur := time.Duration(10+rng.IntN(300)) * time.Second
		e := ledger.Event{StationID: fmt.Sprintf("tdp-%02d", rng.IntN(5)+1), ID: fmt.Sprint(i), ItemID: fmt.Sprint("it", i),
			SegmentID: fmt.Sprint(rng.IntN(20)), Topic: topics[rng.IntN(len(topics))], Level: "ordinary",
			Groups: []string{"khu-a"}, Duration: dur, Planned: planned, Outcome: outcomes[rng.IntN(len(outcomes))]}
		e.Title = "Bản tin " + e.SegmentID
		if rng.IntN(20) == 0 {
			e.Level, e.CommandID, e.ItemID = "emergency", "cmd", ""
		}
		if e.Outcome == "completed" || e.Outcome == "interrupted" {
			e.Started = planned.Add(time.Duration(rng.IntN(120)) * time.Second)
			e.Played = (dur - time.Duration(rng.IntN(2))*dur/3).Truncate(time.Millisecond)
		}
		out[i] = e
	}
	return out
}

func TestReportTotalsEqualTheSumOfTheEvents(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 6))
		l := openLedger(t)
		events := randomEvents(rng, 3000)
		if _, err := l.Record(events); err != nil {
			t.Fatal(err)
		}
		p := Month(2026, 7)
		from, to := p.Bounds(hcm)
		var want ledger.Tally
		var emergency int
		var emergencyAir time.Duration
		byStation := map[string]int{}
		for i := range events {
			e := &events[i]
			if e.Planned.Before(from) || !e.Planned.Before(to) {
				continue
			}
			var one ledger.Tally
			one.Add(e, ledger.Classify(e, ledger.DefaultLateMargin))
			if e.Emergency() {
				emergency += one.OnAir()
				emergencyAir += e.Played
				continue
			}
			want.Merge(&one)
			byStation[e.StationID] += one.OnAir()
		}
		var reports []*Report
		for _, scan := range []bool{false, true} {
			r, err := (&Builder{Ledger: l, Scan: scan, Now: func() time.Time { return from }}).Build(p, testDir)
			if err != nil {
				t.Fatal(err)
			}
			tot := r.Totals
			if tot.Plays != want.OnAir() || time.Duration(tot.Airtime) != want.Airtime || tot.Emergency != emergency ||
				time.Duration(tot.EmergencyAirtime) != emergencyAir || tot.Late != want.Count[ledger.StatusLate] ||
				tot.Missed != want.Count[ledger.StatusMissed] || tot.Failed != want.Count[ledger.StatusFailed] {
				t.Fatalf("seed %d scan=%v: totals %+v, events sum to %+v (emergency %d, %v)", seed, scan, tot, want, emergency, emergencyAir)
			}
			sum := map[string]int{}
			for _, row := range r.Stations {
				sum[row.ID] += row.Plays
			}
			topicPlays, itemPlays, monthPlays := 0, 0, 0
			for _, row := range r.Topics {
				topicPlays += row.Plays
			}
			for _, row := range r.Items {
				itemPlays += row.Plays
			}
			for _, row := range r.Months {
				monthPlays += row.Plays
			}
			for id, n := range byStation {
				if sum[id] != n {
					t.Fatalf("seed %d: station %s %d plays, events %d", seed, id, sum[id], n)
				}
			}
			if topicPlays != want.OnAir() || itemPlays != want.OnAir() || monthPlays != want.OnAir() {
				t.Fatalf("seed %d: by topic %d, by item %d, by month %d, want %d", seed, topicPlays, itemPlays, monthPlays, want.OnAir())
			}
			if len(r.Problems) != want.Count[ledger.StatusMissed]+want.Count[ledger.StatusFailed]+countProblemsEmergency(events, from, to) {
				t.Fatalf("seed %d: %d problems", seed, len(r.Problems))
			}
			reports = append(reports, r)
		}
		reports[1].Source = reports[0].Source
		if !reflect.DeepEqual(reports[0], reports[1]) {
			t.Fatalf("seed %d: the rollups and the events disagree:\n%+v\n%+v", seed, reports[0].Totals, reports[1].Totals)
		}
	}
}

func countProblemsEmergency(events []ledger.Event, from, to time.Time) int {
	n := 0
	for _, e := range events {
		if e.Emergency() && (e.Outcome == "failed" || e.Outcome == "missed") && !e.Planned.Before(from) && e.Planned.Before(to) {
			n++
		}
	}
	return n
}

func TestEveryPlannedItemGetsAStatus(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	b := &Builder{Ledger: l, Plan: plan, Now: func() time.Time { return time.Date(2026, 10, 5, 8, 30, 0, 0, hcm) }}
	lines, err := b.Reconcile(Range("2026-08-15", "2026-08-16"), "")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, ln := range lines {
		count[ln.Status]++
		if ln.Status == StatusOverdue && (ln.Station != "tdp-03" || ln.Title != "Bản tin thời sự của phường") {
			t.Errorf("not reported: %+v", ln)
		}
	}
	want := map[string]int{"aired": 8, "late": 2, "partial": 2, "interrupted": 1, "missed": 2, "failed": 2, StatusOverdue: 1, StatusEmergency: 1}
	if !reflect.DeepEqual(count, want) {
		t.Fatalf("statuses %v, want %v", count, want)
	}
	r, err := b.Build(Range("2026-08-15", "2026-08-16"), testDir)
	if err != nil {
		t.Fatal(err)
	}
	st := r.Totals.Statuses
	if st.Planned != 18 || st.Overdue != 1 || st.Future != 0 || st.Interrupted != 1 || r.Totals.Emergency != 1 {
		t.Fatalf("report statuses %+v, emergency %d", st, r.Totals.Emergency)
	}
	_ = library.Date("")
}
