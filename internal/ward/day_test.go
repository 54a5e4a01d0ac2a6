package ward

import (
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	for in, want := range map[string]Day{"2026-12-07": "2026-12-07", "07/12/2026": "2026-12-07", "7/1/2026": "2026-01-07"} {
		if got, err := ParseDay(in); err != nil || got != want {
			t.Errorf("ParseDay(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2026-02-30", "31/02/2026", "2026-1-7", "tomorrow"} {
		if d, err := ParseDay(in); err == nil {
			t.Errorf("ParseDay(%q) = %q, want an error", in, d)
		}
	}
}

func TestDayOfDependsOnTheZoneGiven(t *testing.T) {
	at := time.Date(2026, 12, 6, 23, 25, 0, 0, time.UTC) // Monday 06:25 in the ward
	if got := DayOf(at, Zone()); got != "2026-12-07" {
		t.Errorf("ward day = %s", got)
	}
	if got := DayOf(at, time.UTC); got != "2026-12-06" {
		t.Errorf("UTC day = %s", got)
	}
	if got := DayOf(at.In(time.UTC), Zone()); got != "2026-12-07" {
		t.Errorf("the instant's own location must not count: %s", got)
	}
}

func TestStartEndAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	for day, hours := range map[Day]float64{"2026-03-08": 23, "2026-11-01": 25, "2026-12-07": 24} {
		if got := day.End(ny).Sub(day.Start(ny)).Hours(); got != hours {
			t.Errorf("%s lasts %vh in New York, want %v", day, got, hours)
		}
	}
	d := Day("2026-12-07")
	if got := d.End(Zone()).Sub(d.Start(Zone())); got != 24*time.Hour {
		t.Errorf("a ward day lasts %v", got)
	}
	if got := d.Start(Zone()).UTC(); !got.Equal(time.Date(2026, 12, 6, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("start = %v", got)
	}
}

func TestCalendar(t *testing.T) {
	d := Day("2026-12-31")
	if got := d.AddDays(1); got != "2027-01-01" {
		t.Errorf("after %s: %s", d, got)
	}
	if got := Day("2027-03-01").AddDays(-1); got != "2027-02-28" {
		t.Errorf("before 1 March 2027: %s", got)
	}
	if got := Day("2027-01-01").Sub("2026-12-07"); got != 25 {
		t.Errorf("days to the new year: %d", got)
	}
	if got := DayNumber(d.Number()); got != d {
		t.Errorf("number round trip: %s", got)
	}
	if d.Weekday() != time.Thursday || d.Quarter() != 4 {
		t.Errorf("%s: %v, Q%d", d, d.Weekday(), d.Quarter())
	}
	if first, last := QuarterDays(2026, 1); first != "2026-01-01" || last != "2026-03-31" {
		t.Errorf("Q1: %s..%s", first, last)
	}
	if first, last := QuarterDays(2026, 4); first != "2026-10-01" || last != "2026-12-31" {
		t.Errorf("Q4: %s..%s", first, last)
	}
	if !Day("2026-12-07").Within("", "2026-12-07") || Day("2026-12-08").Within("2026-12-01", "2026-12-07") {
		t.Error("Within")
	}
	if got := Day("2026-12-07").DMY() + "|" + Day("").DMY() + "|" + Day("x").DMY(); got != "07/12/2026||x" {
		t.Errorf("DMY: %q", got)
	}
	if Date(2026, 13, 0) != "2026-12-31" {
		t.Errorf("Date normalises: %s", Date(2026, 13, 0))
	}
}
