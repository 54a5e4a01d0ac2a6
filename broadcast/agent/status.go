package agent

import (
	"syscall"
	"time"

	"loa/broadcast/protocol"
	"loa/internal/ward"
)

// status is the health report: periodic, and sent when what the player
// does changes.
func (a *Agent) status() *protocol.Status {
	pdays, adays := a.coverage()
	a.mu.Lock()
	st := &protocol.Status{NowPlaying: a.now, Waiting: a.waiting, Volume: a.volume}
	off, _ := a.clock.Offset()
	a.mu.Unlock()
	st.PlaylistDays, st.AudioDays = pdays, adays
	st.OutputDB = max(-200, min(20, a.level.DB()))
	st.Faults = a.faultList()
	st.FreeDiskBytes = freeDisk(a.cfg.DataDir)
	st.ClockOffsetMs = off.Milliseconds()
	return st
}

// setPlaying says the player has ev on air since ev.StartedMs; src is the
// playlist of a scheduled item, zero for anything else.
func (a *Agent) setPlaying(ev protocol.AiredEvent, src source) {
	np := &protocol.NowPlaying{ItemID: ev.ItemID, Title: ev.Title, StartedMs: ev.StartedMs,
		PlannedMs: ev.PlannedMs, CommandID: ev.CommandID}
	if src != (source{}) {
		np.Day, np.PlaylistVersion, np.PlaylistHash = src.day, src.version, src.hash
	}
	a.setActivity(np, nil)
}

// setWaiting says the player waits for next (nil: nothing ahead).
func (a *Agent) setWaiting(next *planned) {
	if next == nil {
		a.setActivity(nil, nil)
		return
	}
	a.setActivity(nil, &protocol.Waiting{ItemID: next.ID, Title: next.Title, PlannedMs: next.StartMs,
		Day: next.src.day, PlaylistVersion: next.src.version, PlaylistHash: next.src.hash})
}

// setActivity records what the player does and, when that changed, asks
// the link for a status now. The values are never changed once set.
func (a *Agent) setActivity(np *protocol.NowPlaying, w *protocol.Waiting) {
	a.mu.Lock()
	changed := !equalPtr(a.now, np) || !equalPtr(a.waiting, w)
	a.now, a.waiting = np, w
	a.mu.Unlock()
	if changed {
		kick(a.statusNow)
	}
}

func equalPtr[T comparable](x, y *T) bool {
	return x == y || x != nil && y != nil && *x == *y
}

// coverage counts the days from today on that have a playlist, and the
// consecutive days from today whose audio is all cached: how long the
// station can play without the server.
func (a *Agent) coverage() (playlistDays, audioDays int) {
	pls, err := a.store.Playlists(a.dayBefore())
	if err != nil {
		return 0, 0
	}
	today := ""
	if len(pls) > 0 {
		if loc, err := ward.Location(pls[0].Zone); err == nil {
			today = a.serverNow().In(loc).Format(time.DateOnly)
		}
	}
	contiguous := true
	cached := map[string]bool{} // a week repeats the same few files: look at each once
	for _, p := range pls {
		if p.Date < today {
			continue
		}
		playlistDays++
		for _, it := range p.Items {
			if it.AudioSHA256 == "" || !contiguous {
				continue
			}
			have, seen := cached[it.AudioSHA256]
			if !seen {
				have = a.cache.Has(it.AudioSHA256)
				cached[it.AudioSHA256] = have
			}
			contiguous = have
		}
		if contiguous {
			audioDays++
		}
	}
	return min(playlistDays, 366), min(audioDays, 366)
}

func freeDisk(dir string) int64 {
	if dir == "" {
		return 0
	}
	var fs syscall.Statfs_t
	if syscall.Statfs(dir, &fs) != nil {
		return 0
	}
	return min(int64(fs.Bavail)*int64(fs.Bsize), 1<<50)
}

// Snapshot is what the agent would report now, for logs and tests.
func (a *Agent) Snapshot() protocol.Status { return *a.status() }

// Online reports whether the server link is up.
func (a *Agent) Online() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.online
}
