package playlist

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"loa/playlist/library"
)

// SlotKind says what fills a slot.
type SlotKind string

const (
	// KindAnnouncements slots are filled from the library.
	KindAnnouncements SlotKind = "announcements"
	// KindColumn slots are filled only with segments of the slot's topics
	// (the Thursday evening CCHC column).
	KindColumn SlotKind = "column"
	// KindRelay slots play a live stream URL for the slot's duration.
	KindRelay SlotKind = "relay"
)

// A Programme is a named set of slots for some stations, with optional intro
// and outro jingles (approved library segments) played around each slot.
type Programme struct {
	ID         string          `json:"id"` // a slug, stable once used
	Name       string          `json:"name"`
	Targets    library.Targets `json:"targets"`
	IntroID    uint64          `json:"intro_id,omitempty"`
	OutroID    uint64          `json:"outro_id,omitempty"`
	Slots      []Slot          `json:"slots"`
	Exceptions []Exception     `json:"exceptions,omitempty"`
	Revision   int             `json:"revision"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// A Slot is a stretch of airtime in local wall-clock time. It recurs on Days
// of the week, or happens once on Date (a one-off slot), optionally only
// between From and To.
type Slot struct {
	ID      string         `json:"id"` // unique within its programme
	Kind    SlotKind       `json:"kind"`
	Days    []time.Weekday `json:"days,omitempty"` // 0 = Sunday … 6 = Saturday
	Date    library.Date   `json:"date,omitempty"`
	Start   ClockTime      `json:"start"`
	Minutes int            `json:"minutes"`
	Topics  []string       `json:"topics,omitempty"` // column: required; announcements: optional filter
	URL     string         `json:"url,omitempty"`    // relay only
	From    library.Date   `json:"from,omitempty"`
	To      library.Date   `json:"to,omitempty"`
}

// An Exception cancels a programme (or only the named slots) on one local
// day: a holiday, a cancellation.
type Exception struct {
	Date  library.Date `json:"date"`
	Slots []string     `json:"slots,omitempty"` // empty: every slot of the programme
	Note  string       `json:"note,omitempty"`
}

// MaxSlotMinutes bounds a slot; a slot may run past midnight but it belongs
// to the day it starts on.
const MaxSlotMinutes = 24 * 60

// A ClockTime is a local wall-clock time of day, written "HH:MM".
type ClockTime int // minutes after midnight

// Clock returns the ClockTime h:m.
func Clock(h, m int) ClockTime { return ClockTime(h*60 + m) }

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes "HH:MM".
func (c ClockTime) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "HH:MM" (or "H:MM").
func (c *ClockTime) UnmarshalText(b []byte) error {
	t, err := time.Parse("15:04", string(b))
	if err != nil {
		return fmt.Errorf("invalid time of day %q", b)
	}
	*c = Clock(t.Hour(), t.Minute())
	return nil
}

// A FieldError says which field of a programme is wrong and how; Field is a
// path such as "slots.2.url".
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

func (e *FieldError) Error() string { return "invalid " + e.Field + ": " + e.Code }

func fieldErr(field, code string) error { return &FieldError{Field: field, Code: code} }

// normalize trims what a person typed.
func (p *Programme) normalize() {
	p.ID = strings.TrimSpace(p.ID)
	p.Name = strings.TrimSpace(p.Name)
	for i := range p.Slots {
		s := &p.Slots[i]
		s.ID, s.URL = strings.TrimSpace(s.ID), strings.TrimSpace(s.URL)
		slices.Sort(s.Days)
		s.Days = slices.Compact(s.Days)
	}
}

// Validate checks a programme before it is stored.
func (p *Programme) Validate() error {
	switch {
	case !validSlug(p.ID):
		return fieldErr("id", library.CodeInvalid)
	case p.Name == "":
		return fieldErr("name", library.CodeRequired)
	case !p.Targets.All && len(p.Targets.Groups) == 0 && len(p.Targets.Stations) == 0:
		return fieldErr("targets", library.CodeNoTargets)
	case len(p.Slots) == 0:
		return fieldErr("slots", library.CodeRequired)
	}
	seen := map[string]bool{}
	for i, s := range p.Slots {
		if err := s.validate(); err != nil {
			e := err.(*FieldError)
			return fieldErr(fmt.Sprintf("slots.%d.%s", i, e.Field), e.Code)
		}
		if seen[s.ID] {
			return fieldErr(fmt.Sprintf("slots.%d.id", i), CodeDuplicate)
		}
		seen[s.ID] = true
	}
	for i, e := range p.Exceptions {
		if _, err := e.Date.Time(time.UTC); err != nil {
			return fieldErr(fmt.Sprintf("exceptions.%d.date", i), library.CodeInvalid)
		}
	}
	return nil
}

// CodeDuplicate marks a slot id used twice in a programme.
const CodeDuplicate = "duplicate"

func (s Slot) validate() error {
	switch {
	case !validSlug(s.ID):
		return fieldErr("id", library.CodeInvalid)
	case s.Kind != KindAnnouncements && s.Kind != KindColumn && s.Kind != KindRelay:
		return fieldErr("kind", library.CodeInvalid)
	case len(s.Days) == 0 && s.Date == "":
		return fieldErr("days", library.CodeRequired)
	case s.Date != "" && !validDate(s.Date):
		return fieldErr("date", library.CodeInvalid)
	case s.Start < 0 || s.Start >= 24*60:
		return fieldErr("start", library.CodeInvalid)
	case s.Minutes <= 0 || s.Minutes > MaxSlotMinutes:
		return fieldErr("minutes", library.CodeInvalid)
	case s.Kind == KindColumn && len(s.Topics) == 0:
		return fieldErr("topics", library.CodeRequired)
	case s.Kind == KindRelay && !validStreamURL(s.URL):
		return fieldErr("url", library.CodeInvalid)
	case s.From != "" && !validDate(s.From), s.To != "" && !validDate(s.To):
		return fieldErr("from", library.CodeInvalid)
	case s.From != "" && s.To != "" && s.To < s.From:
		return fieldErr("to", library.CodeDateOrder)
	}
	for _, d := range s.Days {
		if d < time.Sunday || d > time.Saturday {
			return fieldErr("days", library.CodeInvalid)
		}
	}
	return nil
}

func validDate(d library.Date) bool { _, err := d.Time(time.UTC); return err == nil }

func validStreamURL(u string) bool {
	return len(u) <= 1000 && (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) && len(u) > len("https://")
}

// validSlug accepts lowercase ASCII letters, digits and inner hyphens, 1–64 long.
func validSlug(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// on reports whether the slot happens on the local day d (weekday wd),
// ignoring the programme's exceptions.
func (s Slot) on(d library.Date, wd time.Weekday) bool {
	if !d.Within(s.From, s.To) {
		return false
	}
	if s.Date != "" {
		return s.Date == d
	}
	return slices.Contains(s.Days, wd)
}

// cancelled reports whether an exception removes slot id on day d.
func (p *Programme) cancelled(d library.Date, id string) bool {
	for _, e := range p.Exceptions {
		if e.Date == d && (len(e.Slots) == 0 || slices.Contains(e.Slots, id)) {
			return true
		}
	}
	return false
}
