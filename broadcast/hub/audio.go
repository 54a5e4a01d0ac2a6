package hub

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"time"

	"loa/audio"
)

// AudioOpener opens a content-addressed audio file by its hex sha256; a
// missing file is an error wrapping audio.ErrBlobNotFound or fs.ErrNotExist.
type AudioOpener func(sha256 string) (io.ReadSeekCloser, time.Time, error)

// AudioHandler serves GET {sha256} (the path value "sha256") to agents
// holding a valid station token, with Range requests for resumable
// downloads. The ETag is the sha256 itself, so If-Range works. A station
// gets only the audio it was sent: an item of its playlists, or a command
// of its own; any other file (a draft, another area's item) is 404, as if
// the server did not have it.
func (h *Hub) AudioHandler(open AudioOpener) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, ok := h.authenticate(w, r)
		if !ok {
			return
		}
		sum := r.PathValue("sha256")
		if !validSHA256(sum) {
			http.Error(w, "bad audio id", http.StatusBadRequest)
			return
		}
		if sent, err := h.sentAudio(st.ID, sum); err != nil || !sent {
			if err != nil {
				h.log.Error("audio scope", "station", st.ID, "err", err)
			}
			http.Error(w, "no such audio", http.StatusNotFound)
			return
		}
		f, mod, err := open(sum)
		if errors.Is(err, audio.ErrBlobNotFound) || errors.Is(err, fs.ErrNotExist) {
			http.Error(w, "no such audio", http.StatusNotFound)
			return
		}
		if err != nil {
			h.log.Error("open audio", "sha256", sum, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		w.Header().Set("ETag", `"`+sum+`"`)
		w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, "", mod, f)
	})
}

// sentAudio reports whether the station was sent the audio sum: in an item
// of its playlists (yesterday's on), or in a command kept for it.
func (h *Hub) sentAudio(stationID, sum string) (bool, error) {
	h.cmdMu.Lock()
	if sc := h.commands[stationID]; sc != nil {
		for _, p := range sc.list {
			if bytes.Contains(p.data, []byte(sum)) {
				h.cmdMu.Unlock()
				return true, nil
			}
		}
	}
	h.cmdMu.Unlock()
	if h.playlists == nil {
		return false, nil
	}
	pls, err := h.playlists.PlaylistsFor(stationID, h.cfg.Now())
	if err != nil {
		return false, err
	}
	for _, pl := range pls {
		for _, it := range pl.Items {
			if it.AudioSHA256 == sum {
				return true, nil
			}
		}
	}
	return false, nil
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
