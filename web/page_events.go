package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"loa/broadcast/hub"
)

// Live updates for the pages go over Server-Sent Events: the stream sends
// the stations' state whenever it changes (checked every liveTick), and a
// comment now and then to keep proxies from closing it. A stream ends
// after liveMaxAge and the browser's EventSource reconnects at once, so a
// server shutting down never waits long on an open page.
const (
	liveTick   = time.Second
	liveMaxAge = 30 * time.Second
)

// liveStation is what the pages show of a station as it changes.
type liveStation struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Online     bool   `json:"online"`
	LastSeen   string `json:"last_seen,omitempty"` // dd/mm/yyyy HH:MM, ward time
	NowPlaying string `json:"now_playing,omitempty"`
	Doing      string `json:"doing,omitempty"` // what the agent does, in the reader's words
	Volume     int    `json:"volume"`          // the reported volume if the station reported one, else the configured
	// ConfiguredVolume is the volume set on the server; ReportedVolume
	// the one the station last said it plays at ("" before it reports).
	ConfiguredVolume int                `json:"configured_volume"`
	ReportedVolume   string             `json:"reported_volume"`
	Faults           []string           `json:"faults,omitempty"`
	Commands         []hub.CommandState `json:"commands,omitempty"`
}

func (s *Server) liveStations(lang string) ([]liveStation, error) {
	l := s.link
	all, err := l.Stations.Stations()
	if err != nil {
		return nil, err
	}
	out := make([]liveStation, 0, len(all))
	for _, st := range all {
		v := s.viewStation(l, st)
		ls := liveStation{ID: st.ID, Name: st.Name, Online: v.Online, Volume: st.Volume, ConfiguredVolume: st.Volume, Commands: l.Hub.Commands(st.ID)}
		if p := v.Presence; p != nil {
			ls.LastSeen, ls.Volume, ls.Faults = s.fmt.dateTime(p.LastSeen), p.Volume, p.Faults
			ls.ReportedVolume = strconv.Itoa(p.Volume)
			if p.NowPlaying != nil {
				ls.NowPlaying = p.NowPlaying.Title
			}
		}
		ls.Doing = s.fmt.doingOf(v.Presence, s.now()).Text(lang)
		out = append(out, ls)
	}
	return out, nil
}

// pageEvents streams the stations' state to a page.
func (s *Server) pageEvents(w http.ResponseWriter, r *http.Request) error {
	flusher, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("live events: response cannot be flushed")
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 1000\n\n")
	flusher.Flush()

	tick := time.NewTicker(liveTick)
	defer tick.Stop()
	end := time.NewTimer(liveMaxAge)
	defer end.Stop()
	var last []byte
	for {
		list, err := s.liveStations(lang(r))
		if err != nil {
			s.log.Error("live events", "err", err)
			return nil
		}
		data, _ := json.Marshal(list)
		if !bytes.Equal(data, last) {
			if _, err := fmt.Fprintf(w, "event: stations\ndata: %s\n\n", data); err != nil {
				return nil
			}
			flusher.Flush()
			last = data
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-end.C:
			return nil
		case <-tick.C:
		}
	}
}
