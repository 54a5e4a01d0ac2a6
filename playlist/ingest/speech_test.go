package ingest

import (
	"log/slog"
	"os"
	"strings"
	"testing"
)

func TestWardAbbreviations(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/viet-tat.txt"
	os.WriteFile(file, []byte("# Phường An Hòa\nKP = khu phố\nPVHCC = phục vụ hành chính công\n"), 0o600)
	p, err := New(Config{TTS: "loa-no-such-tts-engine -w {out}", TTSAbbrev: file}, nil, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Normalize("KP 3 gần Trung tâm PVHCC, UBND phường"), "Khu phố ba gần Trung tâm phục vụ hành chính công, ủy ban nhân dân phường."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	os.WriteFile(file, []byte("KP khu phố\n"), 0o600)
	if _, err := New(Config{TTSAbbrev: file}, nil, nil, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a broken table: %v", err)
	}
	if _, err := New(Config{TTSAbbrev: dir + "/missing.txt"}, nil, nil, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("a missing table was accepted")
	}
}
