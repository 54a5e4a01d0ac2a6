package app

import (
	"archive/tar"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"loa/audio"
	"loa/playlist/library"
)

// A backup is a tar stream:
//
//	loa.db              a consistent copy of the database (one read transaction)
//	audio-manifest.tsv  "sha256<TAB>size" of every audio file the library refers to
//	audio/<sha256>      those files, unless the backup was asked without audio
//
// Audio files never change once stored, so a backup without them plus a
// copy of the audio directory (rsync) is as good as one with them.
const (
	backupDB       = DBFile
	backupManifest = "audio-manifest.tsv"
)

// Backup writes a backup archive of the data directory while the server
// runs: a consistent copy of the database (one read transaction), the
// manifest of the audio files the library refers to and, withAudio, those
// files; now stamps the archive's files.
func (a *App) Backup(w io.Writer, withAudio bool, now time.Time) error {
	return Backup(w, a.DB, a.Library, a.Blobs, withAudio, now)
}

// Backup is App.Backup on the parts it reads.
func Backup(w io.Writer, db *bbolt.DB, lib *library.Store, blobs *audio.Blobs, withAudio bool, now time.Time) error {
	tw := tar.NewWriter(w)
	err := db.View(func(tx *bbolt.Tx) error {
		if err := tw.WriteHeader(&tar.Header{Name: backupDB, Mode: 0o600, Size: tx.Size(), ModTime: now}); err != nil {
			return err
		}
		_, err := tx.WriteTo(tw)
		return err
	})
	if err != nil {
		return fmt.Errorf("copy database: %w", err)
	}
	used, err := lib.AudioInUse()
	if err != nil {
		return err
	}
	shas := make([]string, 0, len(used))
	for sha := range used {
		shas = append(shas, sha)
	}
	slices.Sort(shas)
	var manifest strings.Builder
	for _, sha := range shas {
		info, err := os.Stat(blobs.Path(sha))
		if err != nil {
			return fmt.Errorf("audio %s: %w", sha, err)
		}
		fmt.Fprintf(&manifest, "%s\t%d\n", sha, info.Size())
	}
	if err := writeTarFile(tw, backupManifest, now, strings.NewReader(manifest.String()), int64(manifest.Len())); err != nil {
		return err
	}
	for _, sha := range shas {
		if !withAudio {
			break
		}
		if err := backupAudio(tw, blobs, sha, now); err != nil {
			return err
		}
	}
	return tw.Close()
}

func backupAudio(tw *tar.Writer, blobs *audio.Blobs, sha string, now time.Time) error {
	f, err := blobs.Open(sha)
	if err != nil {
		return fmt.Errorf("audio %s: %w", sha, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	return writeTarFile(tw, "audio/"+sha, now, f, info.Size())
}

func writeTarFile(tw *tar.Writer, name string, mod time.Time, r io.Reader, size int64) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: mod}); err != nil {
		return err
	}
	_, err := io.CopyN(tw, r, size)
	return err
}

// RestoreReport says what a restore put in place.
type RestoreReport struct {
	AudioFiles   int      // audio files written from the archive
	AudioPresent int      // audio files the data directory already had
	Missing      []string // audio the database refers to that is nowhere
}

// Restore unpacks a backup archive into dataDir, which must not hold a
// database yet. Every audio file is checked against its sha256 on the way;
// the database appears under its name only once all of it is written, so
// a failed restore leaves no database behind.
func Restore(r io.Reader, dataDir string) (RestoreReport, error) {
	var rep RestoreReport
	dbPath := filepath.Join(dataDir, backupDB)
	if _, err := os.Stat(dbPath); err == nil {
		return rep, fmt.Errorf("%s already exists: restore into an empty data directory", dbPath)
	}
	audioDir := filepath.Join(dataDir, AudioDir)
	if err := os.MkdirAll(filepath.Join(audioDir, "tmp"), 0o750); err != nil {
		return rep, err
	}
	tmpDB := dbPath + ".restoring"
	defer os.Remove(tmpDB)
	manifest, err := readBackup(r,
		func(db io.Reader) error { return writeFileSynced(tmpDB, db) },
		func(sha string, audio io.Reader) error {
			rep.AudioFiles++
			return restoreAudio(audio, audioDir, sha)
		})
	if err != nil {
		return rep, err
	}
	if err := checkDatabase(tmpDB); err != nil {
		return rep, err
	}
	for sha := range manifest {
		if _, err := os.Stat(filepath.Join(audioDir, sha[:2], sha)); err != nil {
			rep.Missing = append(rep.Missing, sha)
		}
	}
	slices.Sort(rep.Missing)
	rep.AudioPresent = len(manifest) - len(rep.Missing) - rep.AudioFiles
	return rep, os.Rename(tmpDB, dbPath)
}

// VerifyBackup reads a whole archive and reports whether it is complete:
// a database, a manifest, and audio files whose bytes match their names.
func VerifyBackup(r io.Reader) error {
	discard := func(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
	_, err := readBackup(r, discard, func(_ string, r io.Reader) error { return discard(r) })
	return err
}

// readBackup walks an archive, handing the database and each audio file to
// their functions. An audio reader fails instead of ending if the file's
// bytes do not hash to its name, so nothing damaged is ever kept.
func readBackup(r io.Reader, onDB func(io.Reader) error, onAudio func(sha string, r io.Reader) error) (manifest map[string]int64, err error) {
	src := &counter{r: bufio.NewReaderSize(r, 1<<20)}
	tr := tar.NewReader(src)
	sawDB := false
	var end int64 // where the last file's data (padded to a block) ends
	for {
		h, err := tr.Next()
		if err == io.EOF {
			if src.n < end+2*tarBlock {
				return nil, errors.New("the archive is cut short after a whole file (tar's end is missing): not a whole Loa backup")
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read archive: %w", err)
		}
		end = src.n + (h.Size+tarBlock-1)/tarBlock*tarBlock
		switch name := h.Name; {
		case name == backupDB:
			sawDB, err = true, onDB(tr)
		case name == backupManifest:
			manifest, err = readManifest(tr)
		case strings.HasPrefix(name, "audio/") && validSHA(strings.TrimPrefix(name, "audio/")):
			sha := strings.TrimPrefix(name, "audio/")
			err = onAudio(sha, &hashCheck{r: tr, h: sha256.New(), want: sha})
		default:
			err = fmt.Errorf("unexpected file %q in the archive", name)
		}
		if err != nil {
			return nil, err
		}
	}
	if !sawDB || manifest == nil {
		return nil, errors.New("the archive lacks its database or audio manifest: not a Loa backup, or cut short")
	}
	return manifest, nil
}

// tarBlock is tar's block: headers and padded data; an archive ends with
// two zero blocks.
const tarBlock = 512

// counter counts the bytes the tar reader consumed. The tar reader ends
// with io.EOF both after tar's end blocks and when the archive stops
// between two files; the count tells them apart.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// hashCheck passes r through and, at its end, fails unless the bytes
// hashed to want.
type hashCheck struct {
	r    io.Reader
	h    hash.Hash
	want string
}

func (c *hashCheck) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(c.h.Sum(nil)); got != c.want {
			return n, fmt.Errorf("audio %s is damaged in the archive (its content hashes to %s)", c.want, got)
		}
	}
	return n, err
}

func validSHA(s string) bool { return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == "" }

func readManifest(r io.Reader) (map[string]int64, error) {
	m := map[string]int64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		sha, size, ok := strings.Cut(sc.Text(), "\t")
		n, err := strconv.ParseInt(size, 10, 64)
		if !ok || err != nil || !validSHA(sha) {
			return nil, fmt.Errorf("bad manifest line %q", sc.Text())
		}
		m[sha] = n
	}
	return m, sc.Err()
}

// restoreAudio writes one audio file under a temporary name and moves it
// into place once all of it arrived intact.
func restoreAudio(r io.Reader, audioDir, sha string) error {
	tmp := filepath.Join(audioDir, "tmp", "restore-"+sha)
	if err := writeFileSynced(tmp, r); err != nil {
		os.Remove(tmp)
		return err
	}
	dst := filepath.Join(audioDir, sha[:2], sha)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

func writeFileSynced(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// checkDatabase opens the restored file to prove it is a whole bbolt database.
func checkDatabase(path string) error {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("the archive's database does not open: %w", err)
	}
	defer db.Close()
	return db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte("meta")) == nil {
			return errors.New("the archive's database is not a Loa database")
		}
		return nil
	})
}
