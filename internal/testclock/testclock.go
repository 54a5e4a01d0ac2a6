// Package testclock gives tests the "now" they inject, so that no test
// outcome depends on the hour, the weekday or the machine's zone.
//
// A test that needs one instant calls Now: Monday 07/12/2026 06:30 in the
// ward unless the environment variable LOA_TEST_NOW names another (RFC 3339,
// such as 2026-12-31T23:59:50+07:00, or one of the names of Nows, such as
// "quarter-end"). A test that can check several instants in one run ranges
// over Nows. CI (.ci/test.sh) runs the time-sensitive packages once per
// name of Nows and with TZ=UTC and TZ=America/New_York; code under test
// must take the ward's zone from package ward, never from time.Local.
//
// Only tests import this package.
package testclock

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"loa/internal/ward"
)

// Env is the environment variable that replaces Now's default.
const Env = "LOA_TEST_NOW"

// DefaultName is the name of Now's default in Nows.
const DefaultName = "monday-0630"

// Nows are the instants worth checking a time-dependent test at, by name:
// the start of a ward's day and week, the last seconds of a day, of a
// quarter and of a year (the report's edges), and a Sunday.
func Nows() map[string]time.Time {
	z := ward.Zone()
	return map[string]time.Time{
		DefaultName:   time.Date(2026, 12, 7, 6, 30, 0, 0, z),   // Monday; Sunday 23:30 UTC
		"day-end":     time.Date(2026, 12, 7, 23, 59, 50, 0, z), // Monday; 16:59:50 UTC
		"quarter-end": time.Date(2026, 9, 30, 23, 59, 50, 0, z), // last day of Q3
		"year-end":    time.Date(2026, 12, 31, 23, 59, 50, 0, z),
		"sunday":      time.Date(2026, 12, 13, 12, 0, 0, 0, z),
	}
}

// Names are the keys of Nows, sorted: the order CI runs them in.
func Names() []string {
	var names []string
	for n := range Nows() {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Now is the instant a test runs "at": LOA_TEST_NOW when set (a name of
// Nows or an RFC 3339 time), else Monday 07/12/2026 06:30 in the ward. An
// unreadable LOA_TEST_NOW fails the test.
func Now(tb testing.TB) time.Time {
	tb.Helper()
	at, err := Parse(os.Getenv(Env))
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	return at
}

// Parse reads a value of LOA_TEST_NOW; empty is the default.
func Parse(s string) (time.Time, error) {
	if s == "" {
		s = DefaultName
	}
	if at, ok := Nows()[s]; ok {
		return at, nil
	}
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return at, fmt.Errorf("%q is neither one of %s nor an RFC 3339 time", s, strings.Join(Names(), ", "))
	}
	return at, nil
}

// Ticking returns a clock that reads Now(tb) at first and then moves with
// the wall clock: for code that measures elapsed time as well as reading
// the date.
func Ticking(tb testing.TB) func() time.Time {
	tb.Helper()
	start, wall := Now(tb), time.Now()
	return func() time.Time { return start.Add(time.Since(wall)) }
}
