package report

import (
	"time"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

// DefaultReportGrace is how long after an item's planned end its station
// has to report it: a station sends the event when the item ends, and a
// link that drops for a few minutes delivers it late. It is longer than
// the alerts' grace (alert.DefaultOverdueGrace, 60 s) on purpose: an
// alert asks someone to look now and clears when the report arrives; a
// report is a signed record and must not count a late report as overdue.
const DefaultReportGrace = 10 * time.Minute

func (b *Builder) grace() time.Duration {
	if b.ReportGrace > 0 {
		return b.ReportGrace
	}
	return DefaultReportGrace
}

// due reports whether a planned item's fate should be known at now: its
// planned end plus the grace is past.
func (b *Builder) due(start time.Time, d time.Duration, now time.Time) bool {
	return !start.Add(d).Add(b.grace()).After(now)
}

// notDue counts, by station, the planned items of p that are not due at now
// and have no event yet. Days after today are wholly ahead; yesterday and
// today are read item by item (an item of yesterday may end after midnight)
// with the events of those items; earlier days are wholly due.
func (b *Builder) notDue(p Period, now time.Time) (map[string]int, error) {
	out := map[string]int{}
	today := library.DateOf(now, b.zone())
	if later := max(p.From, today.AddDays(1)); later <= p.To {
		counts, err := b.Plan.PlannedCounts(later, p.To)
		if err != nil {
			return nil, err
		}
		for st, n := range counts {
			out[st] += n
		}
	}
	from, to := max(p.From, today.AddDays(-1)), min(p.To, today)
	if from > to {
		return out, nil
	}
	type key struct{ station, item string }
	pending := map[key]bool{}
	var lo, hi time.Time
	err := b.Plan.PlannedDays(from, to, func(d DayPlan) error {
		for _, it := range d.Items {
			if b.due(it.Start, it.Duration, now) {
				continue
			}
			pending[key{d.Station, it.ID}] = true
			if lo.IsZero() || it.Start.Before(lo) {
				lo = it.Start
			}
			hi = later(hi, it.Start)
		}
		return nil
	})
	if err != nil || len(pending) == 0 {
		return out, err
	}
	err = b.Ledger.Between(lo, hi.Add(time.Millisecond), func(e ledger.Event) error {
		delete(pending, key{e.StationID, e.ItemID})
		return nil
	})
	for k := range pending {
		out[k.station]++
	}
	return out, err
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
