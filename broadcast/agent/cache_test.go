package agent_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"loa/broadcast/agent"
)

func TestFetchResumesAPartialDownloadAndVerifies(t *testing.T) {
	t.Parallel()
	audio, err := os.ReadFile(mp3Cut.Path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(audio)
	hexSum := hex.EncodeToString(sum[:])
	var ranges []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		ranges = append(ranges, r.Header.Get("Range"))
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(audio)))
	}))
	defer srv.Close()
	cache, err := agent.NewCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// A download cut off at 50,000 bytes by a power cut.
	os.WriteFile(cache.Path(hexSum)+".part", audio[:50000], 0o600)
	if err := cache.Fetch(context.Background(), srv.Client(), srv.URL, "tok", hexSum); err != nil {
		t.Fatal(err)
	}
	if len(ranges) != 1 || ranges[0] != "bytes=50000-" {
		t.Errorf("requests with ranges %q, want one resuming at 50000", ranges)
	}
	if got, _ := os.ReadFile(cache.Path(hexSum)); string(got) != string(audio) {
		t.Error("cached file differs from the server's")
	}

	// A file that does not match its sha256 is refused and not kept.
	wrong := strings.Repeat("0", 64)
	if err := cache.Fetch(context.Background(), srv.Client(), srv.URL, "tok", wrong); !errors.Is(err, agent.ErrChecksum) {
		t.Errorf("err %v, want ErrChecksum", err)
	}
	if cache.Has(wrong) {
		t.Error("a file with the wrong checksum was cached")
	}
	if _, err := os.Stat(cache.Path(wrong) + ".part"); !os.IsNotExist(err) {
		t.Error("the bad partial file was kept")
	}
}

func TestEvictKeepsOnlyReferencedAudio(t *testing.T) {
	t.Parallel()
	cache, err := agent.NewCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"aa", "bb", "cc.part"} {
		os.WriteFile(cache.Path(name), []byte("x"), 0o600)
	}
	n, err := cache.Evict(map[string]bool{"aa": true})
	if err != nil || n != 2 {
		t.Fatalf("evicted %d, %v; want 2", n, err)
	}
	if !cache.Has("aa") || cache.Has("bb") {
		t.Error("evicted the wrong files")
	}
}
