package audio

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"testing"
	"time"
)

func putBytes(t *testing.T, b *Blobs, data []byte) string {
	t.Helper()
	f, err := b.TempFile()
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	f.Close()
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if err := b.Put(f.Name(), sha); err != nil {
		t.Fatal(err)
	}
	return sha
}

func TestBlobsStoreOnceAndReadBack(t *testing.T) {
	b, err := OpenBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sha := putBytes(t, b, []byte("loa phường"))
	if again := putBytes(t, b, []byte("loa phường")); again != sha {
		t.Fatal("same bytes, different names")
	}
	if left, _ := os.ReadDir(b.TempDir()); len(left) != 0 {
		t.Errorf("a duplicate upload left %d temporary files", len(left))
	}
	f, err := b.Open(sha)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := io.ReadAll(f); string(got) != "loa phường" {
		t.Errorf("read back %q", got)
	}
	if _, err := b.Open("../../etc/passwd"); !errors.Is(err, ErrBlobNotFound) {
		t.Errorf("a path instead of a hash: %v", err)
	}
}

func TestBlobsCollectOrphansButNotFreshOrUsed(t *testing.T) {
	b, _ := OpenBlobs(t.TempDir())
	used := putBytes(t, b, []byte("used"))
	orphan := putBytes(t, b, []byte("orphan"))
	inProgress, _ := b.TempFile()
	inProgress.Close()

	// Nothing is old enough yet: an upload in progress must survive.
	if n, err := b.Collect(map[string]bool{used: true}, time.Now().Add(-time.Hour)); n != 0 || err != nil {
		t.Fatalf("collected %d fresh files (%v)", n, err)
	}
	n, err := b.Collect(map[string]bool{used: true}, time.Now().Add(time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("collected %d, want the orphan and the temporary file (%v)", n, err)
	}
	if !b.Has(used) || b.Has(orphan) {
		t.Errorf("used kept: %v, orphan kept: %v", b.Has(used), b.Has(orphan))
	}
}
