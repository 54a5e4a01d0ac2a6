package audio

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzInspect feeds arbitrary bytes to Inspect. It must never panic (the
// decoder's panics included), and every failure must be a rejection with a
// code, never a crash or an I/O error. Seeds: testdata/fuzz/FuzzInspect
// (cut-down corpus files) and the small corpus files added below.
func FuzzInspect(f *testing.F) {
	for _, name := range []string{"mp3/very-short.mp3", "bad/id3-only.mp3", "bad/wav-fmt-lies.wav"} {
		b, err := os.ReadFile(corpus + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "upload")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := Inspect(context.Background(), path, Options{FFmpeg: "off", Workers: 2})
		var rej *Error
		switch {
		case err != nil && !errors.As(err, &rej):
			t.Fatalf("not a rejection: %v", err)
		case err != nil && rej.Code == "":
			t.Fatalf("rejection without a code: %v", err)
		case err == nil && (a.DurationMS < 0 || a.CueInMS > a.CueOutMS || a.Size != int64(len(data))):
			t.Fatalf("inconsistent analysis %+v", a)
		}
	})
}

// FuzzScanMP3 checks the header-only scanner the same way.
func FuzzScanMP3(f *testing.F) {
	b, err := os.ReadFile(corpus + "mp3/cbr48-mono-22k.mp3")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:2000])
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ScanMP3(bytes.NewReader(data), int64(len(data)))
		var rej *Error
		if err != nil && !errors.As(err, &rej) {
			t.Fatalf("not a rejection: %v", err)
		}
		if err == nil && (info.Samples < 0 || info.SampleRate == 0) {
			t.Fatalf("inconsistent info %+v", info)
		}
	})
}
