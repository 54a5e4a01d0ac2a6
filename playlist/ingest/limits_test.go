package ingest

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio"
	"loa/playlist/library"
)

// newTestPipeline is a pipeline over a real library and blob store in a
// temporary directory, with ffmpeg.
func newTestPipeline(t *testing.T, cfg Config) (*Pipeline, *audio.Blobs) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg is not installed")
	}
	dir := t.TempDir()
	db, err := bbolt.Open(filepath.Join(dir, "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lib, err := library.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := audio.OpenBlobs(filepath.Join(dir, "audio"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.TTS = "off"
	p, err := New(cfg, lib, blobs, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return p, blobs
}

// silentFLAC writes seconds of silence as a FLAC file (a few KB however
// long: the shape of a conversion bomb).
func silentFLAC(t *testing.T, seconds int) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "im-lang.flac")
	cmd := exec.Command("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono",
		"-t", strconv.Itoa(seconds), "-c:a", "flac", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	return out
}

func segment() library.Segment {
	return library.Segment{Title: "Im lặng", Topic: "cchc-tthc", Level: library.LevelOrdinary, Targets: library.Targets{All: true}}
}

func TestConversionLongerThanTheBoundRefused(t *testing.T) {
	p, blobs := newTestPipeline(t, Config{MaxDuration: 5 * time.Second})
	_, err := p.File(t.Context(), segment(), silentFLAC(t, 60), "im-lang.flac", "bientap")
	var rej *audio.Error
	if !errors.As(err, &rej) || rej.Code != audio.CodeTooLong {
		t.Fatalf("a 60 s file with a 5 s bound: %v", err)
	}
	if files, _ := os.ReadDir(blobs.TempDir()); len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
	// Within the bound it is taken in.
	if _, err := p.File(t.Context(), segment(), silentFLAC(t, 3), "ngan.flac", "bientap"); err != nil {
		t.Fatalf("a 3 s file: %v", err)
	}
}

func TestAnalysisTimesOut(t *testing.T) {
	p, _ := newTestPipeline(t, Config{AnalysisTimeout: time.Millisecond})
	_, err := p.File(t.Context(), segment(), silentFLAC(t, 600), "dai.flac", "bientap")
	if !errors.Is(err, ErrAnalysisTimeout) {
		t.Fatalf("an analysis past its time: %v", err)
	}
}

func TestAnalysesRunAtMostNAtOnce(t *testing.T) {
	p, _ := newTestPipeline(t, Config{MaxAnalyses: 1})
	p.wait = 50 * time.Millisecond
	release, err := p.acquire(t.Context()) // one analysis in progress
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.File(t.Context(), segment(), silentFLAC(t, 3), "ngan.flac", "bientap")
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("a second analysis while one runs: %v", err)
	}
	release()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := p.File(ctx, segment(), silentFLAC(t, 3), "ngan.flac", "bientap"); err != nil {
		t.Fatalf("once it is free: %v", err)
	}
}
