package library

import (
	"fmt"
	"time"
)

// A Date is a calendar day in the ward's zone, written YYYY-MM-DD. The empty
// Date means "no limit" where a bound is optional. Dates compare as strings.
type Date string

// DateOf returns the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	return Date(t.In(loc).Format(time.DateOnly))
}

// ParseDate accepts YYYY-MM-DD, and dd/mm/yyyy as Vietnamese users write it.
func ParseDate(s string) (Date, error) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date(t.Format(time.DateOnly)), nil
		}
	}
	return "", fmt.Errorf("invalid date %q", s)
}

// Time returns the instant the day starts in loc.
func (d Date) Time(loc *time.Location) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, string(d), loc)
}

// Within reports whether d is inside [from, to]; empty bounds are open.
func (d Date) Within(from, to Date) bool {
	return (from == "" || d >= from) && (to == "" || d <= to)
}

func (d Date) valid() bool {
	_, err := time.Parse(time.DateOnly, string(d))
	return err == nil
}
