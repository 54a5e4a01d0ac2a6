package app_test

import (
	"archive/tar"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"loa/internal/app"
	"loa/internal/apptest"
)

// An archive cut short exactly between two files ends cleanly for a tar
// reader; Restore and VerifyBackup must still refuse it, at every file
// boundary, and accept the whole archive.
func TestABackupCutBetweenFilesIsRefused(t *testing.T) {
	a := apptest.Open(t, apptest.Config(t))
	var archive bytes.Buffer
	if err := a.Backup(&archive, true, time.Date(2026, 12, 7, 6, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	whole := archive.Bytes()
	if err := app.VerifyBackup(bytes.NewReader(whole)); err != nil {
		t.Fatalf("the whole archive: %v", err)
	}
	var cuts []int // the end of each file's padded data
	tr := tar.NewReader(bytes.NewReader(whole))
	pos := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		pos += 512 + int(h.Size+511)/512*512
		cuts = append(cuts, pos)
	}
	if len(cuts) < 2 {
		t.Fatalf("the archive has %d files, want the database and the manifest at least", len(cuts))
	}
	for _, cut := range cuts {
		if err := app.VerifyBackup(bytes.NewReader(whole[:cut])); err == nil || !strings.Contains(err.Error(), "cut short") {
			t.Errorf("cut after %d bytes: verify says %v", cut, err)
		}
		if _, err := app.Restore(bytes.NewReader(whole[:cut]), t.TempDir()); err == nil {
			t.Errorf("cut after %d bytes: restored", cut)
		}
	}
}
