package ingest

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"loa/playlist/library"
)

// A library from before the MPEG-2 fix holds a 22.05 kHz file measured by
// the old decoder (≈ 4.6 LU too loud, true peak clipped at 0 dBFS).
// Measured again at start, it gets the right figures, keeps its approval
// and its history, and a second pass changes nothing.
func TestRemeasureFixesOldMeasurements(t *testing.T) {
	p, blobs := newTestPipeline(t, Config{})
	src := filepath.Join("..", "..", "testdata", "audio", "layouts", "mpeg2-22k-mono-cbr32.mp3")
	seg, err := p.File(context.Background(), segment(), copyOf(t, src), "ban-tin.mp3", "bientap")
	if err != nil {
		t.Fatal(err)
	}
	right := *seg.Audio.LoudnessLUFS
	// As the old analysis left it.
	old := seg.Audio
	wrong := right + 4.6
	old.LoudnessLUFS, old.TruePeakDBTP, old.Analysis = &wrong, 0, 0
	if _, err := p.lib.Remeasure(seg.ID, old); err != nil {
		t.Fatal(err)
	}
	for _, a := range []library.Action{library.ActionSubmit, library.ActionApprove} {
		if seg, err = p.lib.Do(seg.ID, a, "lanhdao", ""); err != nil {
			t.Fatal(err)
		}
	}
	history := len(seg.History)

	changed, err := p.Remeasure(context.Background())
	if err != nil || len(changed) != 1 {
		t.Fatalf("remeasure: %d changed, %v", len(changed), err)
	}
	got, _ := p.lib.Segment(seg.ID)
	if got.Status != library.StatusApproved || len(got.History) != history || got.Audio.Analysis != AnalysisVersion ||
		math.Abs(*got.Audio.LoudnessLUFS-right) > 0.05 || got.Audio.OriginalName != "ban-tin.mp3" || !blobs.Has(got.Audio.SHA256) {
		t.Fatalf("after remeasuring: %s, %d transitions (was %d), %+v", got.Status, len(got.History), history, got.Audio)
	}
	if again, err := p.Remeasure(context.Background()); err != nil || len(again) != 0 {
		t.Errorf("a second pass changed %d (%v)", len(again), err)
	}
}

func copyOf(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}
