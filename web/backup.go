package web

import (
	"net/http"

	"loa/internal/app"
)

// backup streams a backup archive (app.Backup): GET /api/backup[?audio=0].
func (s *Server) backup(w http.ResponseWriter, r *http.Request) error {
	withAudio := r.URL.Query().Get("audio") != "0"
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("Cache-Control", "no-store") // the whole database: no cache keeps a copy
	w.Header().Set("Content-Disposition", `attachment; filename="loa-backup-`+s.now().Format("20060102-150405")+`.tar"`)
	s.audit(r, "backup.download", "database", nil, map[string]bool{"audio": withAudio})
	// Once streaming started, a failure can only cut the archive short; the
	// client's tar reader then reports it, and it is logged here.
	if err := app.Backup(w, s.app.DB, s.lib, s.blobs, withAudio, s.now()); err != nil {
		s.log.Error("backup failed part-way", "err", err)
	}
	return nil
}
