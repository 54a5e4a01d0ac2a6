package hub

import (
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
// downloads. The ETag is the sha256 itself, so If-Range works.
func (h *Hub) AudioHandler(open AudioOpener) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := h.authenticate(w, r); !ok {
			return
		}
		sum := r.PathValue("sha256")
		if !validSHA256(sum) {
			http.Error(w, "bad audio id", http.StatusBadRequest)
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
