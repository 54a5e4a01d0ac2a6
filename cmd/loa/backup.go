package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"loa/internal/app"
)

// runBackup downloads a consistent backup from a running server (the
// database is locked by the server, and the server makes the copy in one
// read transaction, so the office never has to stop it).
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var env envDefaults
	fs := flag.NewFlagSet("loa backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", env.str("LOA_SERVER", "http://"+DefaultAddr), "the server's URL (LOA_SERVER)")
	user := fs.String("user", env.str("LOA_USER", "admin"), "an admin account (LOA_USER); the password comes from LOA_PASSWORD")
	noAudio := fs.Bool("no-audio", false, "leave the audio files out (copy the data directory's audio/ folder yourself)")
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: loa backup [flags] FILE.tar") }
	if err := fs.Parse(args); err != nil {
		return exitFlagErr(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	password := os.Getenv("LOA_PASSWORD")
	if password == "" {
		fmt.Fprintln(stderr, "loa backup: set LOA_PASSWORD to the password of", *user)
		return 2
	}
	if err := backup(ctx, *server, *user, password, !*noAudio, fs.Arg(0)); err != nil {
		fmt.Fprintln(stderr, "loa backup:", err)
		return 1
	}
	fmt.Fprintln(stdout, "backup written to", fs.Arg(0))
	return 0
}

// backup writes the archive to a temporary file beside out and renames it
// only once the whole archive arrived, so out is never a partial backup.
func backup(ctx context.Context, server, user, password string, withAudio bool, out string) error {
	c, err := signIn(ctx, server, user, password)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	url := c.server + "/api/backup"
	if !withAudio {
		url += "?audio=0"
	}
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := apiError(resp); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".loa-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, resp.Body)
	if err == nil {
		err = tmp.Sync()
	}
	if err := errors.Join(err, tmp.Close()); err != nil {
		return err
	}
	// A cut stream is an incomplete tar: check it the way restore reads it.
	if err := verifyArchive(tmp.Name()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// verifyArchive reads the downloaded archive through once, checking every
// file's hash, without writing anything.
func verifyArchive(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := app.VerifyBackup(f); err != nil {
		return fmt.Errorf("the downloaded backup is incomplete: %w", err)
	}
	return nil
}

// runRestore unpacks a backup into a data directory that has no database
// yet. The server must not be running on that directory.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var env envDefaults
	fs := flag.NewFlagSet("loa restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env.str("LOA_DATA", DefaultData), "the data directory to restore into (LOA_DATA); it must hold no database")
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: loa restore [--data DIR] FILE.tar") }
	if err := fs.Parse(args); err != nil {
		return exitFlagErr(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "loa restore:", err)
		return 1
	}
	defer f.Close()
	rep, err := app.Restore(f, *data)
	if err != nil {
		fmt.Fprintln(stderr, "loa restore:", err)
		return 1
	}
	fmt.Fprintf(stdout, "restored into %s: database, %d audio files from the backup, %d already present\n", *data, rep.AudioFiles, rep.AudioPresent)
	if len(rep.Missing) > 0 {
		fmt.Fprintf(stdout, "%d audio files are missing: copy them into %s/audio/ (names are their sha256):\n", len(rep.Missing), *data)
		for _, sha := range rep.Missing {
			fmt.Fprintln(stdout, " ", sha)
		}
		return 1
	}
	return 0
}

// exitFlagErr is the exit code after a flag parsing error: 0 for -h.
func exitFlagErr(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
