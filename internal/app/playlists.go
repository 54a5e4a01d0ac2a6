package app

import (
	"errors"
	"strconv"
	"time"

	"loa/broadcast/protocol"
	"loa/internal/ward"
	"loa/playlist"
)

// playlistStore serves the playlist package's stored playlists to the hub
// (hub.Playlists), converted to the wire form (whose hash is the same by
// construction).
type playlistStore struct {
	store *playlist.Store
	zone  *time.Location // the ward's zone: which local day "from" falls on
}

// PlaylistsFor implements hub.Playlists: the latest version of every day of the
// station from the local day of from (minus one, for a station whose zone
// is behind the ward's) on.
func (p playlistStore) PlaylistsFor(stationID string, from time.Time) ([]protocol.Playlist, error) {
	day := ward.DayOf(from, p.zone).AddDays(-1)
	pls, err := p.store.PlaylistsFor(stationID, day)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.Playlist, len(pls))
	for i := range pls {
		out[i] = wirePlaylist(&pls[i])
	}
	return out, nil
}

func wirePlaylist(pl *playlist.Playlist) protocol.Playlist {
	out := protocol.Playlist{Station: pl.Station, Date: string(pl.Date), Zone: pl.Zone,
		Version: pl.Version, Hash: pl.Hash, Items: make([]protocol.Item, len(pl.Items))}
	for i, it := range pl.Items {
		seg := ""
		if it.SegmentID != 0 {
			seg = strconv.FormatUint(it.SegmentID, 10)
		}
		out.Items[i] = protocol.Item{ID: it.ID, SegmentID: seg, Title: it.Title, Topic: it.Topic,
			Level: string(it.Level), StartMs: it.StartMs, DurationMs: it.DurationMs, CueInMs: it.CueInMs,
			CueOutMs: it.CueOutMs, GainDB: it.GainDB, AudioSHA256: it.AudioSHA256, AudioSize: it.AudioSize,
			Kind: it.Kind, URL: it.URL}
	}
	return out
}

// ItemSent tells the hub whether any stored version of the station's days
// around plannedMs had the item at that instant: an aired event counts even
// when a later version dropped the item after it aired (a moved slot, an
// archived segment).
func (p playlistStore) ItemSent(stationID, itemID string, plannedMs int64) (bool, error) {
	day := ward.DayOf(time.UnixMilli(plannedMs), p.zone)
	days := []ward.Day{day, day.AddDays(-1), day.AddDays(1)}
	for _, d := range days { // the latest versions first: nearly always there
		pl, err := p.store.Playlist(stationID, d)
		if errors.Is(err, playlist.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		if hasItem(pl.Items, itemID, plannedMs) {
			return true, nil
		}
	}
	for _, d := range days {
		if had, err := p.store.HadItem(stationID, d, itemID, plannedMs); had || err != nil {
			return had, err
		}
	}
	return false, nil
}

func hasItem(items []playlist.Item, id string, startMs int64) bool {
	for _, it := range items {
		if it.ID == id && it.StartMs == startMs {
			return true
		}
	}
	return false
}
