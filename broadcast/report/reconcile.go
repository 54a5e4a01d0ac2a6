package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

// Reconciliation statuses beyond the ledger's own (aired, late, partial,
// interrupted, failed, missed).
const (
	StatusOverdue   = "overdue"   // planned, due, and no event for it: quá giờ chưa báo cáo
	StatusFuture    = "future"    // planned, not due yet, no event: chưa tới giờ
	StatusEmergency = "emergency" // an emergency broadcast, never planned
	StatusUnplanned = "unplanned" // an aired event the station was never sent: counted nowhere
)

// A Line is one planned item and what became of it, or an aired event that
// no plan lists (emergency broadcasts, items of a replaced playlist).
type Line struct {
	Station   string        `json:"station"`
	Planned   time.Time     `json:"planned"`
	ItemID    string        `json:"item_id"`
	SegmentID string        `json:"segment_id,omitempty"`
	Title     string        `json:"title"` // as aired when it aired, else as planned
	Topic     string        `json:"topic"`
	Duration  time.Duration `json:"duration"`
	Status    string        `json:"status"`
	InPlan    bool          `json:"in_plan"`
	Started   time.Time     `json:"started,omitzero"`
	Ended     time.Time     `json:"ended,omitzero"`
	Played    time.Duration `json:"played"`
	Reason    string        `json:"reason,omitempty"`    // the station's code, as it sent it
	ReasonVi  string        `json:"reason_vi,omitempty"` // the code in words (the code itself when unknown)
	ReasonEn  string        `json:"reason_en,omitempty"`
	Emergency bool          `json:"emergency,omitempty"`
	Kind      string        `json:"kind,omitempty"` // relay or live; empty for recorded items
}

// Reconcile is ReconcileAt as of b.Now.
func (b *Builder) Reconcile(p Period, station string) ([]Line, error) {
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	return b.ReconcileAt(now(), p, station)
}

// ReconcileAt gives every planned item of period p a status as of now, for
// one station or (station "") all of them, by planned start then station.
// It reads every event of the period: meant for a station's or a month's
// detail, not for a year of the whole ward.
func (b *Builder) ReconcileAt(now time.Time, p Period, station string) ([]Line, error) {
	var only []string
	if station != "" {
		only = []string{station}
	}
	return b.reconcile(now, p, only)
}

// StationPlan is a Plan that can read some stations' days alone.
type StationPlan interface {
	PlannedDaysOf(from, to library.Date, stations []string, fn func(DayPlan) error) error
}

// reconcile is ReconcileAt for the stations only lists (nil: all).
func (b *Builder) reconcile(now time.Time, p Period, only []string) ([]Line, error) {
	lo, hi := p.Bounds(b.zone())
	return b.reconcileIn(now, window{lo: lo, hi: hi, from: p.From, to: p.To}, only)
}

// A window is what one reconciliation reads: the events planned in
// [lo, hi) and the planned items of the days from … to whose start keep
// accepts (nil: all of them).
type window struct {
	lo, hi   time.Time
	from, to library.Date
	keep     func(start time.Time) bool
}

// reconcileIn is reconcile over a window.
func (b *Builder) reconcileIn(now time.Time, w window, only []string) ([]Line, error) {
	keep := func(string) bool { return true }
	if only != nil {
		set := make(map[string]bool, len(only))
		for _, s := range only {
			set[s] = true
		}
		keep = func(s string) bool { return set[s] }
	}
	type key struct{ station, item string }
	events := map[key]ledger.Event{}
	var lines []Line
	err := b.events(w.lo, w.hi, only, func(e ledger.Event) error {
		switch {
		case !keep(e.StationID):
		case e.Emergency() || e.ItemID == "" || e.Unplanned != "":
			lines = append(lines, b.line(e, false))
		default:
			if _, dup := events[key{e.StationID, e.ItemID}]; !dup {
				events[key{e.StationID, e.ItemID}] = e
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if b.Plan != nil {
		days := b.Plan.PlannedDays
		if sp, ok := b.Plan.(StationPlan); ok && only != nil {
			days = func(from, to library.Date, fn func(DayPlan) error) error { return sp.PlannedDaysOf(from, to, only, fn) }
		}
		err = days(w.from, w.to, func(d DayPlan) error {
			if !keep(d.Station) {
				return nil
			}
			for _, it := range d.Items {
				if w.keep != nil && !w.keep(it.Start) {
					continue
				}
				k := key{d.Station, it.ID}
				if e, ok := events[k]; ok {
					lines = append(lines, b.line(e, true))
					delete(events, k)
					continue
				}
				status := StatusOverdue
				if !b.due(it.Start, it.Duration, now) {
					status = StatusFuture
				}
				lines = append(lines, Line{Station: d.Station, Planned: it.Start, ItemID: it.ID, SegmentID: it.SegmentID, Title: it.Title,
					Topic: it.Topic, Duration: it.Duration, Status: status, InPlan: true})
			}
			return nil
		})
	}
	for _, e := range events { // reported, but no longer in the newest plan
		lines = append(lines, b.line(e, false))
	}
	return sortLines(lines), err
}

// sortLines orders lines by planned start, then station, then item (then
// as they came). It sorts small keys and moves each line once: a line is
// some 300 bytes, and moving them in the sort was a tenth of a busy day's
// aired log.
func sortLines(lines []Line) []Line {
	type lineKey struct {
		at            int64
		station, item string
		i             int
	}
	keys := make([]lineKey, len(lines))
	for i := range lines {
		keys[i] = lineKey{lines[i].Planned.UnixNano(), lines[i].Station, lines[i].ItemID, i}
	}
	slices.SortFunc(keys, func(x, y lineKey) int {
		return cmp.Or(cmp.Compare(x.at, y.at), strings.Compare(x.station, y.station), strings.Compare(x.item, y.item), cmp.Compare(x.i, y.i))
	})
	sorted := make([]Line, len(lines))
	for i, k := range keys {
		sorted[i] = lines[k.i]
	}
	return sorted
}

// events calls fn for the events planned in [lo, hi) of the stations only
// lists (nil: all; with Scan, fn gets every station's and must keep its
// own): through the ledger's station index, so a group's day decodes only
// its stations' events.
func (b *Builder) events(lo, hi time.Time, only []string, fn func(ledger.Event) error) error {
	if only == nil || b.Scan {
		return b.Ledger.Between(lo, hi, fn)
	}
	return b.Ledger.StationsBetween(lo, hi, only, fn)
}

func (b *Builder) line(e ledger.Event, inPlan bool) Line {
	l := Line{Station: e.StationID, Planned: e.Planned, ItemID: e.ItemID, SegmentID: e.SegmentID, Title: e.Title, Topic: e.Topic,
		Duration: e.Duration, Status: ledger.Classify(&e, b.margin()).String(), InPlan: inPlan,
		Started: e.Started, Ended: e.Ended, Played: e.Played, Reason: e.Reason, ReasonVi: reasonText("vi", e.Reason),
		ReasonEn: reasonText("en", e.Reason), Emergency: e.Emergency(), Kind: e.Kind}
	switch {
	case e.Unplanned != "":
		l.Status, l.Reason = StatusUnplanned, e.Unplanned
		l.ReasonVi, l.ReasonEn = reasonText("vi", e.Unplanned), reasonText("en", e.Unplanned)
	case l.Emergency:
		l.Status = StatusEmergency
	}
	return l
}
