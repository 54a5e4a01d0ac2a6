package hub

import (
	"strconv"
	"time"

	"loa/broadcast/protocol"
	"loa/internal/ward"
	"loa/playlist"
)

// PlaylistStore serves the playlist package's stored playlists as Playlists,
// converted to the wire form (whose hash is the same by construction).
type PlaylistStore struct {
	Store *playlist.Store
	Zone  *time.Location // the ward's zone: which local day "from" falls on
}

// PlaylistsFor implements Playlists: the latest version of every day of the
// station from the local day of from (minus one, for a station whose zone
// is behind the ward's) on.
func (p PlaylistStore) PlaylistsFor(stationID string, from time.Time) ([]protocol.Playlist, error) {
	day := ward.DayOf(from, p.Zone).AddDays(-1)
	pls, err := p.Store.PlaylistsFor(stationID, day)
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
