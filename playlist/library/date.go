package library

import (
	"time"

	"loa/internal/ward"
)

// A Date is a calendar day in the ward's zone, written YYYY-MM-DD: the
// ward's one day type (see package ward). The empty Date means "no limit"
// where a bound is optional.
type Date = ward.Day

// DateOf returns the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date { return ward.DayOf(t, loc) }

// ParseDate accepts YYYY-MM-DD, and dd/mm/yyyy as Vietnamese users write it.
func ParseDate(s string) (Date, error) { return ward.ParseDay(s) }
