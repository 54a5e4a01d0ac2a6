package agent

import (
	"context"
	"time"
)

// fetchLoop downloads the audio the held playlists need, when kicked (a
// playlist arrived, the link came up, a refresh command) and periodically,
// then evicts audio nothing refers to any more.
func (a *Agent) fetchLoop(ctx context.Context) error {
	t := time.NewTicker(a.cfg.FetchInterval)
	defer t.Stop()
	for {
		a.fetchMissing(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-a.fetchKick:
		case <-t.C:
		}
	}
}

func (a *Agent) fetch(ctx context.Context, sum string) error {
	return a.cache.Fetch(ctx, a.cfg.HTTPClient, a.cfg.Server+AudioPath+sum, a.cfg.Token, sum)
}

// fetchMissing fetches what is missing, soonest item first, and evicts what
// no held playlist refers to.
func (a *Agent) fetchMissing(ctx context.Context) {
	if err := a.store.DropPlaylistsBefore(a.dayBefore()); err != nil {
		a.log.Error("drop old playlists", "err", err)
	}
	items, err := a.plan()
	if err != nil {
		a.log.Error("plan", "err", err)
		return
	}
	keep := map[string]bool{}
	missing := 0
	for _, it := range items {
		if it.AudioSHA256 == "" || keep[it.AudioSHA256] {
			continue
		}
		keep[it.AudioSHA256] = true
		if a.cache.Has(it.AudioSHA256) {
			continue
		}
		if err := a.fetch(ctx, it.AudioSHA256); err != nil {
			if ctx.Err() != nil {
				return
			}
			missing++
			a.log.Warn("fetch audio", "item", it.ID, "err", err)
			continue
		}
		a.log.Info("audio cached", "sha256", it.AudioSHA256, "bytes", it.AudioSize)
	}
	a.setFault("audio_missing", missing > 0)
	if missing == 0 {
		if n, err := a.cache.Evict(keep); err != nil {
			a.log.Error("evict audio", "err", err)
		} else if n > 0 {
			a.log.Info("audio evicted", "files", n)
		}
	}
}
