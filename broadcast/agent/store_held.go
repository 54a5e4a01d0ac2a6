package agent

import (
	"slices"
	"strings"
	"sync"

	"loa/broadcast/protocol"
)

// heldPlaylists keeps the held playlists decoded. The player plans, the
// status counts coverage and the fetcher looks for missing audio from them
// several times per item played; decoding every held day's JSON each time
// was most of an agent's work between items. It is filled from the
// database on first use and kept in step by PutPlaylist and
// DropPlaylistsBefore; the playlists it hands out share their items.
type heldPlaylists struct {
	mu     sync.Mutex
	byDate map[string]protocol.Playlist // nil until loaded
}

// from returns the playlists for dates on or after from, by date, loading
// them with read the first time.
func (h *heldPlaylists) from(from string, read func(from string) ([]protocol.Playlist, error)) ([]protocol.Playlist, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byDate == nil {
		all, err := read("")
		if err != nil {
			return nil, err
		}
		h.byDate = make(map[string]protocol.Playlist, len(all))
		for _, p := range all {
			h.byDate[p.Date] = p
		}
	}
	var out []protocol.Playlist
	for d, p := range h.byDate {
		if d >= from {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b protocol.Playlist) int { return strings.Compare(a.Date, b.Date) })
	return out, nil
}

// put records a playlist just stored (nothing to do before the first load).
func (h *heldPlaylists) put(p protocol.Playlist) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byDate != nil {
		h.byDate[p.Date] = p
	}
}

// drop forgets the playlists of dates before date.
func (h *heldPlaylists) drop(date string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for d := range h.byDate {
		if d < date {
			delete(h.byDate, d)
		}
	}
}
