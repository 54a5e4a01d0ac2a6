package main

import (
	"bytes"
	"context"
	"encoding/json"
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

func TestProbeConvertsWithFFmpeg(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	var out, errOut bytes.Buffer
	code := runProbe(context.Background(), []string{"--json", audioCorpus + "other/speech.m4a"}, &out, &errOut)
	var got []map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || code != 0 {
		t.Fatalf("exit %d, %v\n%s", code, err, out.String())
	}
	if got[0]["converted_from"] != "m4a" || got[0]["format"] != "mp3" {
		t.Errorf("m4a: %v", got[0])
	}
}

func TestProbeUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := runProbe(context.Background(), nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage") {
		t.Errorf("no files: exit %d, stderr %q; want 2 and the usage", code, errOut.String())
	}
}
