package main

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"loa/internal/ward"
)

// retention says how long the server keeps what it no longer needs for
// running: aired events (reports) and superseded playlist versions. Zero
// days keeps everything.
type retention struct {
	LedgerDays    int
	PlaylistsDays int
	Zone          *time.Location // the ward's: which calendar day is "N days ago"
}

func (c serveConfig) retention() retention {
	return retention{LedgerDays: c.RetainLedgerDays, PlaylistsDays: c.RetainPlaylistsDays, Zone: ward.Zone()}
}

// applyRetention deletes aired events planned before the local day
// LedgerDays before now, and superseded playlist versions of the days
// before PlaylistsDays ago. It is the body of the daily "retention" job.
func (a *server) applyRetention(r retention, now time.Time, log *slog.Logger) error {
	var errs []error
	if r.LedgerDays > 0 {
		cutoff := ward.DayOf(now, r.Zone).AddDays(-r.LedgerDays)
		n, err := a.Ledger.DeleteBefore(cutoff)
		if err != nil {
			errs = append(errs, fmt.Errorf("ledger retention: %w", err))
		}
		if n > 0 {
			log.Info("retention: aired events deleted", "events", n, "before", string(cutoff))
		}
	}
	if r.PlaylistsDays > 0 {
		day := ward.DayOf(now, r.Zone).AddDays(-r.PlaylistsDays)
		n, err := a.Playlists.DeleteVersionsBefore(day)
		if err != nil {
			errs = append(errs, fmt.Errorf("playlist retention: %w", err))
		}
		if n > 0 {
			log.Info("retention: superseded playlist versions deleted", "versions", n, "before", string(day))
		}
	}
	return errors.Join(errs...)
}
