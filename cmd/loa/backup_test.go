package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupFromRunningServerAndRestore(t *testing.T) {
	data := t.TempDir()
	url, _, stop := startServe(t, data, map[string]string{"LOA_ADMIN_PASSWORD": "mat-khau-sao-luu"})
	t.Setenv("LOA_PASSWORD", "mat-khau-sao-luu")
	ctx := context.Background()
	if code := run(ctx, []string{"import", "--server", url, "--topic", "khac", "--title", "Lịch tiêm chủng",
		"../../testdata/audio/mp3/cbr64-mono-44k.mp3"}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("import exited %d", code)
	}
	archive := filepath.Join(t.TempDir(), "sao-luu.tar")
	var out, errOut strings.Builder
	if code := run(ctx, []string{"backup", "--server", url, archive}, &out, &errOut); code != 0 {
		t.Fatalf("backup exited %d: %s", code, errOut.String())
	}
	stop()

	restored := filepath.Join(t.TempDir(), "restored")
	out.Reset()
	if code := run(ctx, []string{"restore", "--data", restored, archive}, &out, &errOut); code != 0 {
		t.Fatalf("restore exited %d: %s %s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "1 audio files from the backup") {
		t.Errorf("restore said %q", out.String())
	}
	// A second restore onto the same directory is refused and changes nothing.
	errOut.Reset()
	if code := run(ctx, []string{"restore", "--data", restored, archive}, io.Discard, &errOut); code != 1 || !strings.Contains(errOut.String(), "already exists") {
		t.Fatalf("restore over a database: exit %d, %s", code, errOut.String())
	}

	url, _, stop = startServe(t, restored, nil)
	defer stop()
	c := loginClient(t, url, "admin", "mat-khau-sao-luu")
	resp, err := c.Get(url + "/api/segments")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Lịch tiêm chủng") {
		t.Fatalf("restored server lists %s", body)
	}
}

func TestBackupRefusesWithoutPasswordAndKeepsNoPartialFile(t *testing.T) {
	os.Unsetenv("LOA_PASSWORD")
	out := filepath.Join(t.TempDir(), "b.tar")
	var errOut strings.Builder
	if code := run(context.Background(), []string{"backup", "--server", "http://127.0.0.1:1", out}, io.Discard, &errOut); code != 2 || !strings.Contains(errOut.String(), "LOA_PASSWORD") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	t.Setenv("LOA_PASSWORD", "x")
	if code := run(context.Background(), []string{"backup", "--server", "http://127.0.0.1:1", out}, io.Discard, io.Discard); code != 1 {
		t.Fatalf("unreachable server: exit %d", code)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a failed backup left a file")
	}
}
