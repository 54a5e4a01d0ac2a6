package testclock

import (
	"testing"
	"time"

	"loa/internal/ward"
)

func TestParse(t *testing.T) {
	def, err := Parse("")
	if err != nil || ward.DayOf(def, ward.Zone()) != "2026-12-07" || def.In(ward.Zone()).Weekday() != time.Monday {
		t.Fatalf("default: %v %v", def, err)
	}
	if at, err := Parse("quarter-end"); err != nil || ward.DayOf(at, ward.Zone()) != "2026-09-30" {
		t.Fatalf("quarter-end: %v %v", at, err)
	}
	at, err := Parse("2026-12-31T23:59:50+07:00")
	if err != nil || at.Unix() != Nows()["year-end"].Unix() {
		t.Fatalf("RFC 3339: %v %v", at, err)
	}
	if _, err := Parse("monday"); err == nil {
		t.Fatal("an unknown name is accepted")
	}
}

// The named instants are what their names say in the ward, whatever
// the machine's zone.
func TestNows(t *testing.T) {
	z := ward.Zone()
	n := Nows()
	if d := ward.DayOf(n["quarter-end"], z); d.AddDays(1).Quarter() == d.Quarter() {
		t.Errorf("quarter-end is %s", d)
	}
	if n["sunday"].In(z).Weekday() != time.Sunday {
		t.Error("sunday is not a Sunday")
	}
	if ward.DayOf(n[DefaultName], z) == ward.DayOf(n[DefaultName], time.UTC) {
		t.Error("the default is the same day in UTC: it should be the ward's early morning")
	}
	if got := len(Names()); got != len(n) {
		t.Errorf("%d names", got)
	}
}

func TestTickingStartsAtNow(t *testing.T) {
	t.Setenv(Env, "day-end")
	clock := Ticking(t)
	if d := clock().Sub(Nows()["day-end"]); d < 0 || d > time.Minute {
		t.Fatalf("ticking clock is %v from day-end", d)
	}
}
