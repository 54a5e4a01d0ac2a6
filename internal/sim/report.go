package sim

import (
	"context"
	"fmt"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist"
	"loa/playlist/library"
)

// quarterTotals are the report's figures the oracle recounts.
type quarterTotals struct {
	Planned     int `json:"planned"`
	Aired       int `json:"aired"`
	Late        int `json:"late"`
	Partial     int `json:"partial"`
	Interrupted int `json:"interrupted"`
	Failed      int `json:"failed"`
	Missed      int `json:"missed"`
	Emergency   int `json:"emergency"`
}

// quarter is one calendar quarter in the ward's zone.
type quarter struct {
	code     string // 2026-Q4
	from, to time.Time
}

func quarterOf(t time.Time) quarter {
	t = t.In(wardLoc)
	q := (int(t.Month()) - 1) / 3
	from := time.Date(t.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, wardLoc)
	return quarter{code: fmt.Sprintf("%d-Q%d", t.Year(), q+1), from: from, to: from.AddDate(0, 3, 0)}
}

// checkReports: the quarterly report of every quarter the run touched,
// as the office downloads it, equals a recount from the raw events and
// the stored playlists.
func (o *oracle) checkReports(ctx context.Context) []string {
	var bad []string
	seen := map[string]bool{}
	for d := o.w.cfg.Start.AddDate(0, 0, -1); d.Before(o.w.cfg.Start.AddDate(0, 0, o.w.cfg.Days)); d = d.AddDate(0, 0, 1) {
		q := quarterOf(d)
		if seen[q.code] {
			continue
		}
		seen[q.code] = true
		var rep struct {
			Totals quarterTotals `json:"totals"`
		}
		if err := o.w.op.call(ctx, "GET", "/api/reports/"+q.code, nil, &rep); err != nil {
			bad = append(bad, fmt.Sprintf("report %s: %v", q.code, err))
			continue
		}
		want, err := o.recount(q)
		if err != nil {
			bad = append(bad, fmt.Sprintf("recount %s: %v", q.code, err))
			continue
		}
		if rep.Totals != want {
			bad = append(bad, fmt.Sprintf("report %s says %+v, the raw events and plans recount %+v", q.code, rep.Totals, want))
		}
	}
	return bad
}

// recount counts q's planned items (each station day's latest playlist)
// and its events by status (ledger.Classify with the ledger's margin).
func (o *oracle) recount(q quarter) (quarterTotals, error) {
	var t quarterTotals
	for _, s := range o.w.stations {
		for d := q.from; d.Before(q.to); d = d.AddDate(0, 0, 1) {
			pl, err := o.w.srv.Playlists.Playlist(s.id, library.DateOf(d, wardLoc))
			if err == playlist.ErrNotFound {
				continue
			}
			if err != nil {
				return t, err
			}
			t.Planned += len(pl.Items)
		}
	}
	margin := o.w.srv.Ledger.LateMargin()
	err := o.w.srv.Ledger.Between(q.from, q.to, func(e ledger.Event) error {
		if e.Emergency() {
			t.Emergency++
			return nil
		}
		switch ledger.Classify(&e, margin) {
		case ledger.StatusAired:
			t.Aired++
		case ledger.StatusLate:
			t.Late++
		case ledger.StatusPartial:
			t.Partial++
		case ledger.StatusInterrupted:
			t.Interrupted++
		case ledger.StatusFailed:
			t.Failed++
		case ledger.StatusMissed:
			t.Missed++
		}
		return nil
	})
	return t, err
}
