package sim

import (
	"fmt"
	"time"

	"loa/playlist"
	"loa/playlist/library"
)

// checkVersions: a rebuild never adds an item whose instant has passed —
// every item of a playlist version that the previous version of the day
// did not hold starts after that version was built. (An item planned in
// the past can only be reported missed: a station would "miss" something
// no one ever told it to play.)
func (o *oracle) checkVersions() []string {
	var bad []string
	for _, s := range o.w.stations {
		for d := o.w.cfg.Start.AddDate(0, 0, -1); d.Before(o.w.cfg.Start.AddDate(0, 0, o.w.cfg.Days+1)); d = d.AddDate(0, 0, 1) {
			date := library.DateOf(d, wardLoc)
			vs, err := o.w.srv.Playlists.Versions(s.id, date)
			if err == playlist.ErrNotFound {
				continue
			}
			if err != nil {
				return append(bad, fmt.Sprintf("versions of %s on %s: %v", s.id, date, err))
			}
			held := map[string]bool{}
			for i, v := range vs {
				pl, err := o.w.srv.Playlists.PlaylistVersion(s.id, date, v.Version)
				if err != nil {
					return append(bad, fmt.Sprintf("version %d of %s on %s: %v", v.Version, s.id, date, err))
				}
				now := map[string]bool{}
				var past []string
				for _, it := range pl.Items {
					now[it.ID] = true
					if i > 0 && !held[it.ID] && it.StartMs < pl.BuiltAt.UnixMilli() {
						past = append(past, fmt.Sprintf("%s at %s", it.ID, localMs(time.UnixMilli(it.StartMs))))
					}
				}
				if len(past) > 0 {
					bad = append(bad, fmt.Sprintf("%s: version %d of %s, built %s, adds %d items already past: %v",
						s.id, v.Version, date, localMs(pl.BuiltAt), len(past), past[:min(3, len(past))]))
				}
				held = now
			}
		}
	}
	return bad
}
