package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Cache holds audio files by their sha256 in one directory. A download goes
// to <sha>.part, resumes with a Range request, and becomes <sha> only once
// its sha256 matches.
type Cache struct {
	dir string
}

// ErrChecksum means a downloaded file did not match its sha256; the partial
// file is removed so the next attempt starts over.
var ErrChecksum = errors.New("audio checksum mismatch")

// NewCache uses dir, creating it.
func NewCache(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("audio cache: %w", err)
	}
	return &Cache{dir: dir}, nil
}

// Path is where the audio with this sha256 lives once cached.
func (c *Cache) Path(sum string) string { return filepath.Join(c.dir, sum) }

// Has reports whether the audio is cached.
func (c *Cache) Has(sum string) bool {
	_, err := os.Stat(c.Path(sum))
	return err == nil
}

// Fetch downloads the audio from url (the station token as a Bearer token)
// unless it is cached, resuming a partial download.
func (c *Cache) Fetch(ctx context.Context, client *http.Client, url, token, sum string) error {
	if c.Has(sum) {
		return nil
	}
	part := c.Path(sum) + ".part"
	f, err := os.OpenFile(part, os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", sum, err)
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", sum, err)
	}
	if err := c.download(ctx, client, url, token, f, have); err != nil {
		return fmt.Errorf("fetch %s: %w", sum, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fetch %s: %w", sum, err)
	}
	if got, err := fileSHA256(part); err != nil || got != sum {
		os.Remove(part)
		return fmt.Errorf("fetch %s: %w", sum, ErrChecksum)
	}
	if err := os.Rename(part, c.Path(sum)); err != nil {
		return fmt.Errorf("fetch %s: %w", sum, err)
	}
	return nil
}

func (c *Cache) download(ctx context.Context, client *http.Client, url, token string, f *os.File, have int64) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
	case http.StatusOK: // the server ignored the range: start over
		if err := f.Truncate(0); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
	case http.StatusRequestedRangeNotSatisfiable: // already complete; the checksum decides
		return nil
	default:
		return fmt.Errorf("server answered %s", resp.Status)
	}
	_, err = io.Copy(f, resp.Body)
	return err
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Evict removes cached audio (and partial downloads) whose sha256 is not
// in keep, and returns how many files it removed.
func (c *Cache) Evict(keep map[string]bool) (int, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return 0, fmt.Errorf("evict audio: %w", err)
	}
	n := 0
	for _, e := range entries {
		if keep[strings.TrimSuffix(e.Name(), ".part")] {
			continue
		}
		if err := os.Remove(filepath.Join(c.dir, e.Name())); err == nil {
			n++
		}
	}
	return n, nil
}
