package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
)

// importConfig says where to import and what to tag the files with.
type importConfig struct {
	Server, User, Password string
	Topic, Title, Level    string
	Groups                 string // comma-separated group ids; empty: every station
	files                  []string
}

func parseImportFlags(args []string, stderr io.Writer) (importConfig, error) {
	var c importConfig
	var env envDefaults
	fs := flag.NewFlagSet("loa import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Server, "server", env.str("LOA_SERVER", "http://"+DefaultAddr), "the server's URL (LOA_SERVER)")
	fs.StringVar(&c.User, "user", env.str("LOA_USER", "admin"), "sign in as this user (LOA_USER); the password comes from LOA_PASSWORD")
	fs.StringVar(&c.Topic, "topic", "", "topic id of the files (required; GET /api/topics lists them)")
	fs.StringVar(&c.Title, "title", "", "title (default: the file's name; only with one file)")
	fs.StringVar(&c.Level, "level", "ordinary", "ordinary, priority or emergency")
	fs.StringVar(&c.Groups, "groups", "", "comma-separated group ids (default: every station)")
	c.Password = os.Getenv("LOA_PASSWORD")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.files = fs.Args()
	switch {
	case len(c.files) == 0:
		return c, errors.New("name at least one audio file")
	case c.Topic == "":
		return c, errors.New("--topic is required")
	case c.Title != "" && len(c.files) > 1:
		return c, errors.New("--title goes with one file only")
	case c.Password == "":
		return c, errors.New("set LOA_PASSWORD to the password of " + c.User)
	}
	return c, nil
}

// runImport uploads each file to a running server, as the API does for the
// web page, and prints what became of each. It exits 1 if any failed.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseImportFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loa import:", err)
		return 2
	}
	c, err := signIn(ctx, cfg.Server, cfg.User, cfg.Password)
	if err != nil {
		fmt.Fprintln(stderr, "loa import:", err)
		return 1
	}
	failed := 0
	for _, file := range cfg.files {
		seg, err := c.upload(ctx, cfg, file)
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: FAILED: %v\n", file, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: added as #%d %q (%d ms)\n", file, seg.ID, seg.Title, seg.Audio.DurationMS)
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// apiClient talks to the server's JSON API with a signed-in session.
type apiClient struct {
	server string // base URL, no trailing slash
	http   *http.Client
}

// signIn opens a session on the server at url as user.
func signIn(ctx context.Context, url, user, password string) (*apiClient, error) {
	jar, _ := cookiejar.New(nil)
	c := &apiClient{server: strings.TrimRight(url, "/"), http: &http.Client{Jar: jar}}
	body, _ := json.Marshal(map[string]string{"name": user, "password": password})
	req, err := http.NewRequestWithContext(ctx, "POST", c.server+"/api/login", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if err := c.do(req, nil); err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	return c, nil
}

type importedSegment struct {
	ID    uint64 `json:"id"`
	Title string `json:"title"`
	Audio struct {
		DurationMS int64 `json:"duration_ms"`
	} `json:"audio"`
}

// upload streams one file as a multipart form, never holding it in memory.
func (c *apiClient) upload(ctx context.Context, cfg importConfig, path string) (importedSegment, error) {
	var seg importedSegment
	f, err := os.Open(path)
	if err != nil {
		return seg, err
	}
	defer f.Close()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fields := map[string]string{"topic": cfg.Topic, "title": cfg.Title, "level": cfg.Level, "groups": cfg.Groups}
		for k, v := range fields {
			if v != "" {
				mw.WriteField(k, v)
			}
		}
		part, err := mw.CreateFormFile("file", filepath.Base(path))
		if err == nil {
			_, err = io.Copy(part, f)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, "POST", c.server+"/api/segments", pr)
	if err != nil {
		return seg, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", "en")
	return seg, c.do(req, &seg)
}

// do sends req and decodes a JSON answer into out, or the API's error.
func (c *apiClient) do(req *http.Request, out any) error {
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := apiError(resp); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// apiError reads the API's error body from a failed response.
func apiError(resp *http.Response) error {
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.NewDecoder(resp.Body).Decode(&e) != nil || e.Error.Message == "" {
			return fmt.Errorf("server answered %s", resp.Status)
		}
		return fmt.Errorf("%s (%s)", e.Error.Message, e.Error.Code)
	}
	return nil
}
