package sim

import (
	"fmt"
	"time"

	"loa/broadcast/alert"
	"loa/broadcast/ledger"
	"loa/playlist/library"
)

// checkAlerts: the server's alerts (broadcast/alert, as /api/alerts and
// the overview show them) say a station has overdue items exactly when
// the oracle's own count from the plans and the ledger finds some, in the
// right kind (online: a fault; offline: may report later); and no
// station the oracle knows healthy shows an overdue, off-plan or
// not-playing alert.
func (o *oracle) checkAlerts(now time.Time) []string {
	checker := alert.New(alert.Config{}, alert.Sources{Stations: o.w.srv.Stations, Hub: o.w.srv.Hub, Ledger: o.w.srv.Ledger, Plans: o.w.srv.Playlists}, nil)
	cfg := checker.Config()
	alerts, err := checker.Alerts(now)
	if err != nil {
		return []string{fmt.Sprintf("alerts: %v", err)}
	}
	got := map[string]alert.Alert{} // station → its overdue alert
	var bad []string
	for _, a := range alerts {
		switch a.Kind {
		case alert.KindOverdue, alert.KindOverdueOffline:
			got[a.Station] = a
		case alert.KindOffPlan, alert.KindNotPlaying:
		default:
			continue
		}
		if a.Kind != alert.KindOverdueOffline && o.healthy(a.Station, now.Add(-cfg.OverdueWindow-settle), now) {
			bad = append(bad, fmt.Sprintf("%s: alert %s (%d: %v) on a station healthy all day", a.Station, a.Kind, a.Count, a.Items))
		}
	}
	want, err := o.overdueCounts(now, cfg)
	if err != nil {
		return append(bad, err.Error())
	}
	for _, s := range o.w.stations {
		a, has := got[s.id]
		n := want[s.id]
		kind := alert.KindOverdueOffline
		if o.w.srv.Hub.Connected(s.id) {
			kind = alert.KindOverdue
		}
		switch {
		case n == 0 && has:
			bad = append(bad, fmt.Sprintf("%s: alert %s for %d items (%v), the oracle counts none overdue", s.id, a.Kind, a.Count, a.Items))
		case n > 0 && !has:
			bad = append(bad, fmt.Sprintf("%s: %d items overdue and no alert (%s)", s.id, n, o.sickWhy(s.id, now)))
		case n > 0 && (a.Count != n || a.Kind != kind):
			bad = append(bad, fmt.Sprintf("%s: alert %s for %d items, the oracle counts %d (%s)", s.id, a.Kind, a.Count, n, kind))
		}
	}
	return bad
}

// overdueCounts counts, per station, the planned items (each day's latest
// playlist) that started within the window and ended more than the grace
// ago with no aired event.
func (o *oracle) overdueCounts(now time.Time, cfg alert.Config) (map[string]int, error) {
	lo, hi := now.Add(-cfg.OverdueWindow), now.Add(-cfg.OverdueGrace)
	reported := map[[2]string]bool{}
	err := o.w.srv.Ledger.Between(lo.Add(-time.Hour), now.Add(time.Millisecond), func(e ledger.Event) error {
		reported[[2]string{e.StationID, e.ItemID}] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the ledger: %w", err)
	}
	out := map[string]int{}
	for _, s := range o.w.stations {
		for d := lo.In(wardLoc).AddDate(0, 0, -1); !d.After(now); d = d.AddDate(0, 0, 1) {
			pl, err := o.latest(s.id, library.DateOf(d, wardLoc))
			if err != nil {
				return nil, err
			}
			if pl == nil {
				continue
			}
			for _, it := range pl.Items {
				start := time.UnixMilli(it.StartMs)
				end := start.Add(time.Duration(it.DurationMs) * time.Millisecond)
				if !start.Before(lo) && !end.After(hi) && !reported[[2]string{s.id, it.ID}] {
					out[s.id]++
				}
			}
		}
	}
	return out, nil
}
