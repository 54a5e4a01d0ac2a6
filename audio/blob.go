package audio

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrBlobNotFound is returned when no audio file has the given hash.
var ErrBlobNotFound = errors.New("audio file not found")

// Blobs is a directory of content-addressed audio files, named by the
// sha256 of their bytes: <dir>/<first two hex digits>/<sha256>. A file
// appears under its name only once it is complete and on disk (written to a
// temporary name, fsynced, renamed, directory fsynced), so a crash leaves
// either the whole file or a temporary one that Collect removes.
type Blobs struct {
	dir string
}

// OpenBlobs uses dir (created if needed) for the audio files.
func OpenBlobs(dir string) (*Blobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, fmt.Errorf("open audio files: %w", err)
	}
	return &Blobs{dir: dir}, nil
}

// TempFile creates a file for an upload in progress, on the same file
// system as the blobs so that Put can rename it into place.
func (b *Blobs) TempFile() (*os.File, error) {
	return os.CreateTemp(b.TempDir(), "upload-*")
}

// TempDir is where files in progress live (uploads, conversions).
func (b *Blobs) TempDir() string { return filepath.Join(b.dir, "tmp") }

// Path is where the file with the given hash lives (or would).
func (b *Blobs) Path(sha string) string {
	return filepath.Join(b.dir, sha[:2], sha)
}

// Put moves the complete file at tmp into the store under its hash, which
// the caller has computed while writing it. If an identical file is already
// stored, tmp is removed and the stored one kept.
func (b *Blobs) Put(tmp, sha string) error {
	if !validSHA(sha) {
		return fmt.Errorf("store audio: bad sha256 %q", sha)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("store audio: %w", err)
	}
	dst := b.Path(sha)
	if _, err := os.Stat(dst); err == nil {
		return os.Remove(tmp)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("store audio: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("store audio: %w", err)
	}
	return syncDir(filepath.Dir(dst))
}

// Open opens the stored file with the given hash.
func (b *Blobs) Open(sha string) (*os.File, error) {
	if !validSHA(sha) {
		return nil, ErrBlobNotFound
	}
	f, err := os.Open(b.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrBlobNotFound
	}
	return f, err
}

// Has reports whether the file with the given hash is stored.
func (b *Blobs) Has(sha string) bool {
	_, err := os.Stat(b.Path(sha))
	return validSHA(sha) && err == nil
}

// Collect removes stored files that inUse does not claim and temporary
// files, if they were last changed before cutoff (so that an upload in
// progress is never collected). It returns how many files it removed.
func (b *Blobs) Collect(inUse map[string]bool, cutoff time.Time) (int, error) {
	removed := 0
	err := filepath.WalkDir(b.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		inTmp := filepath.Base(filepath.Dir(path)) == "tmp"
		if !inTmp && (!validSHA(name) || inUse[name]) {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			return err
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		removed++
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("collect audio files: %w", err)
	}
	return removed, nil
}

func validSHA(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
