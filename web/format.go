package web

import (
	"fmt"
	"strconv"
	"time"

	"loa/internal/ward"
	"loa/playlist/library"
)

// loadWardZone returns the ward's zone, in which every time on the pages
// is shown.
func loadWardZone() *time.Location { return ward.Zone() }

// formatter writes times the way the ward office reads them:
// dd/mm/yyyy, 24-hour HH:MM, durations h:mm:ss, always in the ward's zone.
type formatter struct{ loc *time.Location }

func (f formatter) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(f.loc).Format("02/01/2006")
}

func (f formatter) clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(f.loc).Format("15:04")
}

func (f formatter) dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(f.loc).Format("02/01/2006 15:04")
}

// day writes a calendar day (YYYY-MM-DD) as dd/mm/yyyy; "" stays "".
func day(d library.Date) string { return d.DMY() }

// duration writes d as h:mm:ss, rounded to the second; under an hour it
// is still h:mm:ss (0:04:05) so that columns line up.
func duration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	s := int64(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%s%d:%02d:%02d", sign, s/3600, s/60%60, s%60)
}

// durationMS is duration for a count of milliseconds.
func durationMS(ms int64) string { return duration(time.Duration(ms) * time.Millisecond) }

// formatFloat writes v with prec decimals.
func formatFloat(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
