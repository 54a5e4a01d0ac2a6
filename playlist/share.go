package playlist

import (
	"cmp"
	"fmt"
	"slices"

	"loa/internal/ward"
	"loa/playlist/library"
)

// A Share compares, for one segment over a period, its planned plays and
// airtime with what aired: the fairness of the rotation made visible.
type Share struct {
	SegmentID    uint64  `json:"segment_id"`
	Title        string  `json:"title"`
	Planned      int     `json:"planned"`
	PlannedShare float64 `json:"planned_share"` // of all planned announcement plays, 0–1
	Aired        int     `json:"aired"`
	AiredShare   float64 `json:"aired_share"` // of all aired plays, 0–1
}

// Shares sums the announcement plays of pls (jingles and relays left out)
// beside aired, the plays the ledger counted over the same period, by
// segment id. Most planned first.
func Shares(pls []Playlist, aired map[uint64]AiredStat) []Share {
	idx := map[uint64]int{}
	var out []Share
	get := func(id uint64) *Share {
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, Share{SegmentID: id})
		}
		return &out[i]
	}
	var planned, airedTotal int
	for _, pl := range pls {
		for _, it := range pl.Items {
			if it.Kind != ItemAudio || it.Reason.Code == WhyIntro || it.Reason.Code == WhyOutro {
				continue
			}
			s := get(it.SegmentID)
			s.Title = it.Title
			s.Planned++
			planned++
		}
	}
	for id, a := range aired {
		get(id).Aired = a.Count
		airedTotal += a.Count
	}
	for i := range out {
		if planned > 0 {
			out[i].PlannedShare = float64(out[i].Planned) / float64(planned)
		}
		if airedTotal > 0 {
			out[i].AiredShare = float64(out[i].Aired) / float64(airedTotal)
		}
	}
	slices.SortFunc(out, func(a, b Share) int {
		return cmp.Or(cmp.Compare(b.Planned, a.Planned), cmp.Compare(b.Aired, a.Aired), cmp.Compare(a.SegmentID, b.SegmentID))
	})
	return out
}

// A WeekShare is the planned against aired share of one station's ISO week
// (Monday to Sunday, local days).
type WeekShare struct {
	Station string       `json:"station"`
	From    library.Date `json:"from"`
	To      library.Date `json:"to"`
	Shares  []Share      `json:"shares"`
}

// WeekShares compares what the station's latest playlists planned for the
// week containing d with what aired (h may be nil: nothing aired yet).
func (st *Store) WeekShares(station string, d library.Date, h History) (WeekShare, error) {
	from := weekStart(d)
	ws := WeekShare{Station: station, From: from, To: addDays(from, 6), Shares: []Share{}}
	pls, err := st.PlaylistsFor(station, from)
	if err != nil {
		return ws, err
	}
	pls = slices.DeleteFunc(pls, func(pl Playlist) bool { return pl.Date > ws.To })
	if len(pls) == 0 {
		return ws, ErrNotFound
	}
	var aired map[uint64]AiredStat
	if h != nil {
		loc, err := ward.Location(pls[0].Zone)
		if err != nil {
			return ws, fmt.Errorf("week shares: %w", err)
		}
		if aired, err = h.Aired(station, dayStart(from, loc), dayStart(addDays(ws.To, 1), loc)); err != nil {
			return ws, fmt.Errorf("week shares: aired: %w", err)
		}
	}
	ws.Shares = append(ws.Shares, Shares(pls, aired)...)
	return ws, nil
}
