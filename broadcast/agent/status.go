package agent

import (
	"syscall"
	"time"

	"loa/broadcast/protocol"
)

// status is the periodic health report.
func (a *Agent) status() *protocol.Status {
	pdays, adays := a.coverage()
	a.mu.Lock()
	st := &protocol.Status{NowPlaying: a.now, Volume: a.volume}
	off, _ := a.clock.Offset()
	a.mu.Unlock()
	st.PlaylistDays, st.AudioDays = pdays, adays
	st.OutputDB = max(-200, min(20, a.level.DB()))
	st.Faults = a.faultList()
	st.FreeDiskBytes = freeDisk(a.cfg.DataDir)
	st.ClockOffsetMs = off.Milliseconds()
	return st
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
		if loc, err := time.LoadLocation(pls[0].Zone); err == nil {
			today = a.serverNow().In(loc).Format(time.DateOnly)
		}
	}
	contiguous := true
	for _, p := range pls {
		if p.Date < today {
			continue
		}
		playlistDays++
		for _, it := range p.Items {
			if it.AudioSHA256 != "" && !a.cache.Has(it.AudioSHA256) {
				contiguous = false
			}
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
