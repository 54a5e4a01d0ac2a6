package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const audioCorpus = "../../testdata/audio/"

func TestProbeJSON(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := runProbe(context.Background(), []string{"--json", "--ffmpeg", "off",
		audioCorpus + "mp3/cbr128-stereo.mp3", audioCorpus + "mp3/digital-silence.mp3", audioCorpus + "bad/truncated.mp3"}, &out, &errOut)
	if code != 1 {
		t.Errorf("exit code %d with a rejected file, want 1 (stderr %q)", code, errOut.String())
	}
	var got []map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out.String())
	}
	if len(got) != 3 {
		t.Fatalf("%d objects, want 3", len(got))
	}
	for _, o := range got {
		for _, k := range []string{"file", "ok", "error", "format", "duration_ms", "sample_rate", "channels",
			"bitrate_kbps", "loudness_lufs", "true_peak_dbtp", "sha256", "warnings"} {
			if _, ok := o[k]; !ok {
				t.Errorf("%v: no %q", o["file"], k)
			}
		}
	}
	good, silent, bad := got[0], got[1], got[2]
	if good["ok"] != true || good["error"] != nil || good["format"] != "mp3" || good["duration_ms"] != 8284.0 ||
		good["sample_rate"] != 44100.0 || good["channels"] != 2.0 || good["bitrate_kbps"] != 128.0 || good["loudness_lufs"] != -20.2 {
		t.Errorf("good file: %v", good)
	}
	if silent["ok"] != true || silent["loudness_lufs"] != nil {
		t.Errorf("digital silence: loudness_lufs = %v, want null", silent["loudness_lufs"])
	}
	if bad["ok"] != false || bad["error_code"] != "truncated" || !strings.Contains(bad["error"].(string), "byte") {
		t.Errorf("truncated file: %v", bad)
	}
}

func TestProbeTable(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := runProbe(context.Background(), []string{audioCorpus + "wav/pcm16-mono-22k.wav", audioCorpus + "mp3/trailing-junk.mp3"}, &out, &errOut)
	if code != 0 {
		t.Errorf("exit code %d for good files, want 0 (stderr %q)", code, errOut.String())
	}
	s := out.String()
	for _, want := range []string{"FILE", "pcm16-mono-22k.wav", "wav", "2.593s", "22050", "-21.2", "trailing_junk"} {
		if !strings.Contains(s, want) {
			t.Errorf("table lacks %q:\n%s", want, s)
		}
	}
}

// A converted file is reported as given (its own format, rate, duration,
// size and hash) with, apart, what ingest would store; an MPEG-2.5 file is
// no longer converted at all.
func TestProbeConvertsWithFFmpeg(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	var out, errOut bytes.Buffer
	m4a, mpeg25 := audioCorpus+"other/speech.m4a", audioCorpus+"other/mpeg25-8k.mp3"
	code := runProbe(context.Background(), []string{"--json", m4a, mpeg25}, &out, &errOut)
	var got []probeResult
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || code != 0 {
		t.Fatalf("exit %d, %v\n%s", code, err, out.String())
	}
	given, st := got[0], got[0].Stored
	if given.Format != "m4a" || given.SHA256 != fileSHA256(t, m4a) || given.Size != fileSize(t, m4a) {
		t.Errorf("m4a as given: format %q, size %d, sha256 %s", given.Format, given.Size, given.SHA256)
	}
	if _, err := exec.LookPath("ffprobe"); err == nil && (given.SampleRate != 22050 || given.DurationMS < 2500 || given.DurationMS > 2700) {
		t.Errorf("m4a as given: %d Hz, %d ms; want 22050 Hz, about 2600 ms", given.SampleRate, given.DurationMS)
	}
	if st == nil || st.Format != "mp3" || st.ConvertedFrom != "m4a" || st.SampleRate != 44100 || st.SHA256 == given.SHA256 || len(st.SHA256) != 64 || st.Size == 0 {
		t.Errorf("m4a as stored: %+v", st)
	}
	given, st = got[1], got[1].Stored
	if given.Format != "mp3" || given.SampleRate != 8000 || given.SHA256 != fileSHA256(t, mpeg25) || given.DurationMS != 8496 ||
		st == nil || st.ConvertedFrom != "" || st.SampleRate != 8000 || st.SHA256 != given.SHA256 {
		t.Errorf("MPEG-2.5 file: given %+v, stored %+v; want itself, 8000 Hz, 8496 ms", given, st)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestProbeUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := runProbe(context.Background(), nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage") {
		t.Errorf("no files: exit %d, stderr %q; want 2 and the usage", code, errOut.String())
	}
}
