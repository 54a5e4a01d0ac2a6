package web

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"loa/internal/app"
	"loa/playlist/library"
)

func downloadBackup(t *testing.T, c *client, query string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", c.base+"/api/backup"+query, nil)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("backup: %s %s", resp.Status, data)
	}
	return data
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var seg segmentView
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "cchc-tthc", "title": "Đăng ký khai sinh trực tuyến"}, &seg)
	archive := downloadBackup(t, admin, "")

	dir := t.TempDir()
	rep, err := app.Restore(bytes.NewReader(archive), dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.AudioFiles != 1 || len(rep.Missing) != 0 {
		t.Fatalf("report %+v", rep)
	}
	db, err := bbolt.Open(filepath.Join(dir, "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lib, err := library.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	got, err := lib.Segment(seg.ID)
	if err != nil || got.Title != "Đăng ký khai sinh trực tuyến" {
		t.Fatalf("restored segment %+v, %v", got, err)
	}
	want, _ := os.ReadFile(ts.blobs.Path(seg.Audio.SHA256))
	restored, _ := os.ReadFile(filepath.Join(dir, "audio", seg.Audio.SHA256[:2], seg.Audio.SHA256))
	if !bytes.Equal(want, restored) {
		t.Fatal("restored audio differs")
	}
}

func TestRestoreWithoutAudioListsWhatIsMissing(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var seg segmentView
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac"}, &seg)
	rep, err := app.Restore(bytes.NewReader(downloadBackup(t, admin, "?audio=0")), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Missing) != 1 || rep.Missing[0] != seg.Audio.SHA256 {
		t.Fatalf("missing = %v, want the one audio file", rep.Missing)
	}
}

func TestRestoreRefusesDamageAndLeavesNoDatabase(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	var seg segmentView
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"topic": "khac"}, &seg)
	archive := downloadBackup(t, admin, "")

	// Damage one byte of the audio inside the archive.
	i := bytes.Index(archive, []byte("audio/"+seg.Audio.SHA256))
	damaged := bytes.Clone(archive)
	damaged[i+512+600] ^= 0xff
	dir := t.TempDir()
	if _, err := app.Restore(bytes.NewReader(damaged), dir); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged archive: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "loa.db")); err == nil {
		t.Fatal("a failed restore left a database")
	}
	// Cut short: no manifest, no database.
	if _, err := app.Restore(bytes.NewReader(archive[:len(archive)/3]), t.TempDir()); err == nil {
		t.Fatal("a truncated archive restored")
	}
	// Never over an existing database.
	if _, err := app.Restore(bytes.NewReader(archive), ts.dir); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("restore over a live data dir: %v", err)
	}
}
