package report

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"loa/internal/ward"
	"loa/playlist/library"
)

// ErrBadPeriod is wrapped by every ParsePeriod error.
var ErrBadPeriod = errors.New("invalid period")

// Kinds of period.
const (
	KindQuarter = "quarter"
	KindHalf    = "half"
	KindYear    = "year"
	KindMonth   = "month"
	KindRange   = "range"
)

// maxRangeDays bounds a custom range: a report spans at most a few years.
const maxRangeDays = 5 * 366

// A Period is a run of whole calendar days in the ward's zone, From and To
// included. N is the quarter, half or month number for those kinds.
type Period struct {
	Kind string       `json:"kind"`
	Year int          `json:"year,omitempty"`
	N    int          `json:"n,omitempty"`
	From library.Date `json:"from"`
	To   library.Date `json:"to"`
}

var (
	reQuarter = regexp.MustCompile(`^(\d{4})-[Qq]([0-9])$`)
	reHalf    = regexp.MustCompile(`^(\d{4})-[Hh]([0-9])$`)
	reYear    = regexp.MustCompile(`^(\d{4})$`)
	reMonth   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
)

// ParsePeriod reads 2026-Q3, 2026-H1, 2026, 2026-07 or
// 2026-07-01..2026-09-30 (dates also as dd/mm/yyyy).
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := func(format string, args ...any) (Period, error) {
		return Period{}, fmt.Errorf("%w %q: %s", ErrBadPeriod, s, fmt.Sprintf(format, args...))
	}
	if m := reQuarter.FindStringSubmatch(s); m != nil {
		q, _ := strconv.Atoi(m[2])
		if q < 1 || q > 4 {
			return bad("the quarter must be Q1 to Q4")
		}
		return Quarter(atoi(m[1]), q), nil
	}
	if m := reHalf.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[2])
		if h < 1 || h > 2 {
			return bad("the half-year must be H1 or H2")
		}
		return Half(atoi(m[1]), h), nil
	}
	if m := reYear.FindStringSubmatch(s); m != nil {
		return Year(atoi(m[1])), nil
	}
	if m := reMonth.FindStringSubmatch(s); m != nil {
		mo := atoi(m[2])
		if mo < 1 || mo > 12 {
			return bad("the month must be 01 to 12")
		}
		return Month(atoi(m[1]), mo), nil
	}
	from, to, ok := strings.Cut(s, "..")
	if !ok {
		return bad("want 2026-Q3, 2026-H1, 2026, 2026-07 or 2026-07-01..2026-09-30")
	}
	f, err := library.ParseDate(strings.TrimSpace(from))
	if err != nil {
		return bad("the first day: want YYYY-MM-DD or dd/mm/yyyy")
	}
	t, err := library.ParseDate(strings.TrimSpace(to))
	if err != nil {
		return bad("the last day: want YYYY-MM-DD or dd/mm/yyyy")
	}
	p := Range(f, t)
	switch days := p.Days(); {
	case days < 1:
		return bad("the last day is before the first")
	case days > maxRangeDays:
		return bad("at most %d days", maxRangeDays)
	}
	return p, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func civil(y int, m time.Month, d int) library.Date { return ward.Date(y, m, d) }

// months returns the period of n months from year y, month m.
func months(kind string, y, n, m, count int) Period {
	return Period{Kind: kind, Year: y, N: n, From: civil(y, time.Month(m), 1), To: civil(y, time.Month(m+count), 0)}
}

// Quarter q (1–4) of year y: Q1 is January to March.
func Quarter(y, q int) Period { return months(KindQuarter, y, q, 3*q-2, 3) }

// Half h (1–2) of year y.
func Half(y, h int) Period { return months(KindHalf, y, h, 6*h-5, 6) }

// Year y.
func Year(y int) Period { return months(KindYear, y, 0, 1, 12) }

// Month m (1–12) of year y.
func Month(y, m int) Period { return months(KindMonth, y, m, m, 1) }

// Range is the days from to to, both included.
func Range(from, to library.Date) Period { return Period{Kind: KindRange, From: from, To: to} }

// day is d as midnight UTC; Dates are validated where they are made.
func day(d library.Date) time.Time { return d.Start(time.UTC) }

// Days is how many days the period spans.
func (p Period) Days() int {
	return p.To.Sub(p.From) + 1
}

// Previous is the period of the same kind just before p; for a range, the
// same number of days just before it.
func (p Period) Previous() Period {
	switch p.Kind {
	case KindQuarter:
		if p.N == 1 {
			return Quarter(p.Year-1, 4)
		}
		return Quarter(p.Year, p.N-1)
	case KindHalf:
		if p.N == 1 {
			return Half(p.Year-1, 2)
		}
		return Half(p.Year, 1)
	case KindYear:
		return Year(p.Year - 1)
	case KindMonth:
		if p.N == 1 {
			return Month(p.Year-1, 12)
		}
		return Month(p.Year, p.N-1)
	}
	to := p.From.AddDays(-1)
	return Range(to.AddDays(1-p.Days()), to)
}

// Bounds returns the instants [from, to) the period covers in loc: from
// midnight of its first day to midnight after its last.
func (p Period) Bounds(loc *time.Location) (from, to time.Time) {
	return p.From.Start(loc), p.To.End(loc)
}

// Code is the period as ParsePeriod reads it, and as file names use it.
func (p Period) Code() string {
	switch p.Kind {
	case KindQuarter:
		return fmt.Sprintf("%d-Q%d", p.Year, p.N)
	case KindHalf:
		return fmt.Sprintf("%d-H%d", p.Year, p.N)
	case KindYear:
		return strconv.Itoa(p.Year)
	case KindMonth:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	}
	return string(p.From) + ".." + string(p.To)
}

var romans = []string{"", "I", "II", "III", "IV"}

// Name is how the report titles the period: "Quý III/2026" in Vietnamese,
// "Q3 2026" in English (lang "en").
func (p Period) Name(lang string) string {
	en := lang == "en"
	switch {
	case p.Kind == KindQuarter && en:
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	case p.Kind == KindQuarter:
		return fmt.Sprintf("Quý %s/%d", romans[p.N], p.Year)
	case p.Kind == KindHalf && en:
		return fmt.Sprintf("H%d %d", p.N, p.Year)
	case p.Kind == KindHalf && p.N == 1:
		return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
	case p.Kind == KindHalf:
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case p.Kind == KindYear && en:
		return fmt.Sprintf("Year %d", p.Year)
	case p.Kind == KindYear:
		return fmt.Sprintf("Năm %d", p.Year)
	case p.Kind == KindMonth && en:
		return time.Month(p.N).String() + " " + strconv.Itoa(p.Year)
	case p.Kind == KindMonth:
		return fmt.Sprintf("Tháng %d/%d", p.N, p.Year)
	case en:
		return "From " + dmy(p.From) + " to " + dmy(p.To)
	}
	return "Từ ngày " + dmy(p.From) + " đến ngày " + dmy(p.To)
}

// dmy writes a day as Vietnamese readers write it: dd/mm/yyyy.
func dmy(d library.Date) string { return d.DMY() }
