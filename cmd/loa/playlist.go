package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"loa/internal/ward"
	"loa/playlist/library"
)

// runPlaylist prints what a station was told to play on a local day — each
// item's start, length, gain and the reason it is there, then what was left
// out and why — from a running server (the server holds the database).
func runPlaylist(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var env envDefaults
	fs := flag.NewFlagSet("loa playlist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", env.str("LOA_SERVER", "http://"+DefaultAddr), "the server's URL (LOA_SERVER)")
	user := fs.String("user", env.str("LOA_USER", "admin"), "an account (LOA_USER); the password comes from LOA_PASSWORD")
	version := fs.Uint64("version", 0, "show this version of the day instead of the latest")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loa playlist [flags] STATION [DATE]   (DATE: dd/mm/yyyy or yyyy-mm-dd, default today)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitFlagErr(err)
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return 2
	}
	day, err := playlistDay(fs.Arg(1), time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "loa playlist:", err)
		return 2
	}
	password := os.Getenv("LOA_PASSWORD")
	if password == "" {
		fmt.Fprintln(stderr, "loa playlist: set LOA_PASSWORD to the password of", *user)
		return 2
	}
	if err := printPlaylist(ctx, *server, *user, password, fs.Arg(0), day, *version, stdout); err != nil {
		fmt.Fprintln(stderr, "loa playlist:", err)
		return 1
	}
	return 0
}

// playlistDay reads the DATE argument; empty means today in the ward's zone.
func playlistDay(arg string, now time.Time) (library.Date, error) {
	if arg != "" {
		return library.ParseDate(arg)
	}
	return ward.DayOf(now, ward.Zone()), nil
}

func printPlaylist(ctx context.Context, server, user, password, station string, day library.Date, version uint64, out io.Writer) error {
	c, err := signIn(ctx, server, user, password)
	if err != nil {
		return err
	}
	u := fmt.Sprintf("%s/api/playlists/%s/%s?format=text", c.server, url.PathEscape(station), day)
	if version > 0 {
		u += fmt.Sprintf("&version=%d", version)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := apiError(resp); err != nil {
		return fmt.Errorf("%s %s: %w", station, day, err)
	}
	_, err = io.Copy(out, resp.Body)
	return err
}
