package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"loa/audio"
	"loa/internal/app"
	"loa/internal/apptest"
	"loa/playlist/library"
)

const testPassword = "mat-khau-thu-nghiem"

// testServer is a real server on loopback over every part the
// composition root builds (internal/app): a real bbolt file and a real
// audio store in a temporary directory, the station registry with the
// agent hub running, the ledger, the schedules and the reports.
type testServer struct {
	*httptest.Server
	web   *Server
	app   *app.App
	lib   *library.Store
	blobs *audio.Blobs
	dir   string
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerWith(t, apptest.Config(t))
}

// newTestServerAt is newTestServer with its data in dir.
func newTestServerAt(t *testing.T, dir string) *testServer {
	t.Helper()
	cfg := apptest.Config(t)
	cfg.Data = dir
	return newTestServerWith(t, cfg)
}

// newTestServerWith is newTestServer on the parts cfg opens: a test
// changes what it needs of apptest.Config(t) (like ntfy's
// newTestServer(t, newTestConfig(t))).
func newTestServerWith(t *testing.T, cfg app.Config) *testServer {
	t.Helper()
	a := apptest.Open(t, cfg)
	srv, err := New(Config{MaxUploadBytes: 2 << 20}, Deps{App: a})
	if err != nil {
		t.Fatal(err)
	}
	// Tests fire requests far faster than people; TestRateLimited… checks the limit.
	srv.perAddr = rateLimiter{rate: 1e6, burst: 1e6}
	if _, err := srv.EnsureAdmin(testPassword); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, web: srv, app: a, lib: a.Library, blobs: a.Blobs, dir: cfg.Data}
}

// addUser creates a user with the given role and the test password.
func (ts *testServer) addUser(t *testing.T, name string, role Role) {
	t.Helper()
	hash, err := hashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.web.users.Put(User{Name: name, Role: role, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
}

// client is a browser-like API client with its own cookie jar.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	lang string
}

func (ts *testServer) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: ts.URL, http: &http.Client{Jar: jar}}
}

// signIn returns a client signed in as name.
func (ts *testServer) signIn(t *testing.T, name string) *client {
	t.Helper()
	c := ts.client(t)
	if resp := c.json("POST", "/api/login", map[string]string{"name": name, "password": testPassword}, nil); resp.StatusCode != 200 {
		t.Fatalf("sign in as %s: %s", name, resp.Status)
	}
	return c
}

// json sends body as JSON and decodes the answer into out (if not nil).
func (c *client) json(method, path string, body, out any) *http.Response {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.do(req, out)
}

func (c *client) do(req *http.Request, out any) *http.Response {
	c.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: decode %q: %v", req.Method, req.URL.Path, data, err)
		}
	}
	return resp
}

// upload sends a file from testdata with form fields, as the page does.
func (c *client) upload(file string, fields map[string]string, out any) *http.Response {
	c.t.Helper()
	if file == "" {
		return c.uploadData("", nil, fields, out)
	}
	data, err := os.ReadFile(filepath.Join("..", "testdata", "audio", file))
	if err != nil {
		c.t.Fatal(err)
	}
	return c.uploadData(filepath.Base(file), data, fields, out)
}

// uploadData sends data as a file named name ("" sends no file).
func (c *client) uploadData(name string, data []byte, fields map[string]string, out any) *http.Response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" {
		part, _ := mw.CreateFormFile("file", name)
		part.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/api/segments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req, out)
}

// apiErr is the error body every failure has.
type apiErr struct {
	Error struct {
		Code, Message, Field string
	} `json:"error"`
}

// farFuture is a cutoff after every file's time: Collect then removes every
// file no segment claims.
var farFuture = time.Now().Add(24 * time.Hour)
