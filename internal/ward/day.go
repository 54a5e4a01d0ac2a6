package ward

import (
	"fmt"
	"time"
)

// A Day is a calendar day, written YYYY-MM-DD. It names a date, not an
// instant: the instants it spans depend on a zone, given where they are
// needed (Start, End). Days compare as strings (years 1000–9999). The empty
// Day means "no limit" where a bound is optional; the other methods expect
// a valid Day (one from DayOf, Date or ParseDay).
type Day string

// DayOf is the calendar day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	return Day(t.In(loc).Format(time.DateOnly))
}

// Date is the day y-m-d; out-of-range months and days normalise as in
// time.Date (month 13 is January of the next year, day 0 the last of the
// month before).
func Date(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
}

// ParseDay accepts YYYY-MM-DD, and dd/mm/yyyy as Vietnamese users write it.
func ParseDay(s string) (Day, error) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Day(t.Format(time.DateOnly)), nil
		}
	}
	return "", fmt.Errorf("invalid date %q", s)
}

// Valid reports whether d is a real calendar day written YYYY-MM-DD.
func (d Day) Valid() bool {
	_, err := time.Parse(time.DateOnly, string(d))
	return err == nil
}

// civil is d as midnight UTC, the zero time when d is not valid.
func (d Day) civil() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// Date returns d's year, month and day of the month.
func (d Day) Date() (year int, month time.Month, day int) { return d.civil().Date() }

// Weekday is d's day of the week.
func (d Day) Weekday() time.Weekday { return d.civil().Weekday() }

// AddDays is the day n days after d (before, for n < 0).
func (d Day) AddDays(n int) Day {
	return Day(d.civil().AddDate(0, 0, n).Format(time.DateOnly))
}

// Sub is the number of days from e to d.
func (d Day) Sub(e Day) int { return int(d.civil().Sub(e.civil()).Hours() / 24) }

// Number is d's count of days since 1970-01-01: a compact sortable key.
func (d Day) Number() int64 { return d.civil().Unix() / 86400 }

// DayNumber is the Day whose Number is n.
func DayNumber(n int64) Day { return Day(time.Unix(n*86400, 0).UTC().Format(time.DateOnly)) }

// Start is the instant d begins in loc (its midnight, or the first instant
// after a midnight a zone skips).
func (d Day) Start(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// End is the instant d ends in loc: the start of the next day, so d spans
// [Start, End). With daylight saving a day is 23 or 25 hours long.
func (d Day) End(loc *time.Location) time.Time { return d.AddDays(1).Start(loc) }

// Time is the instant d begins in loc, or an error when d is not valid.
func (d Day) Time(loc *time.Location) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, string(d), loc)
}

// Within reports whether d is inside [from, to]; empty bounds are open.
func (d Day) Within(from, to Day) bool {
	return (from == "" || d >= from) && (to == "" || d <= to)
}

// DMY writes d as the ward reads dates, dd/mm/yyyy; "" and anything that
// is not a day stay as they are.
func (d Day) DMY() string {
	if !d.Valid() {
		return string(d)
	}
	return d.civil().Format("02/01/2006")
}

// Quarter is d's quarter of the year, 1 to 4.
func (d Day) Quarter() int {
	_, m, _ := d.Date()
	return (int(m)-1)/3 + 1
}

// QuarterDays returns the first and last day of quarter q (1–4) of year y.
func QuarterDays(y, q int) (first, last Day) {
	m := time.Month(3*q - 2)
	return Date(y, m, 1), Date(y, m+3, 0)
}
