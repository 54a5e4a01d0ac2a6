package web

import (
	"bufio"
	"bytes"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"loa/audio"
	"loa/playlist/ingest"
)

// slowRequest sends head and the start of a body, then stalls; it returns
// the status line the server answers with (or fails after 10 s of silence).
func slowRequest(t *testing.T, ts *testServer, head, start string) string {
	t.Helper()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(head + "\r\n" + start)); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	return strings.TrimSpace(line)
}

func TestSlowJSONBodyIsCutOff(t *testing.T) {
	ts := newTestServer(t)
	ts.web.bodies = bodyLimits{timeout: 300 * time.Millisecond}
	head := "POST /api/login HTTP/1.1\r\nHost: loa\r\nContent-Type: application/json\r\nContent-Length: 60\r\n"
	if got := slowRequest(t, ts, head, `{"name":"ad`); !strings.Contains(got, " 408 ") {
		t.Fatalf("a stalled sign-in body: %q, want 408", got)
	}
}

func TestSlowUploadIsCutOffBelowItsRateFloor(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	ts.web.bodies = bodyLimits{timeout: 5 * time.Second, grace: 200 * time.Millisecond, floor: 1000}
	session := ts.session(t, "bientap")
	head := "POST /api/segments HTTP/1.1\r\nHost: loa\r\nCookie: " + sessionCookie + "=" + session + "\r\n" +
		"Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000\r\n"
	start := "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n\r\nID3"
	if got := slowRequest(t, ts, head, start); !strings.Contains(got, " 408 ") {
		t.Fatalf("a stalled upload: %q, want 408", got)
	}
	// An upload that arrives at a normal pace still goes through.
	c := ts.signIn(t, "bientap")
	var e apiErr
	if resp := c.upload("mp3/cbr128-stereo.mp3", map[string]string{"title": "Thông báo", "topic": "cchc-tthc"}, &e); resp.StatusCode != http.StatusCreated {
		t.Fatalf("a normal upload: %s %+v", resp.Status, e)
	}
}

func TestUploadFormFieldsBounded(t *testing.T) {
	ts := newTestServer(t)
	c := ts.signIn(t, "admin")
	send := func(fields int, size int) (*http.Response, apiErr) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for i := range fields {
			mw.WriteField(fmt.Sprintf("x%d", i), strings.Repeat("a", size))
		}
		part, _ := mw.CreateFormFile("file", "a.mp3")
		part.Write([]byte("ID3"))
		mw.Close()
		req, _ := http.NewRequest("POST", ts.URL+"/api/segments", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		var e apiErr
		return c.do(req, &e), e
	}
	if resp, e := send(maxFormFields+1, 1); resp.StatusCode != http.StatusRequestEntityTooLarge || e.Error.Code != "form_too_many_fields" {
		t.Errorf("%d fields: %s %+v", maxFormFields+1, resp.Status, e)
	}
	if resp, e := send(5, 60<<10); resp.StatusCode != http.StatusRequestEntityTooLarge || e.Error.Code != "form_too_large" {
		t.Errorf("5 fields of 60 KiB: %s %+v", resp.Status, e)
	}
}

func TestStaticFolderIsNotListed(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/static/", "/static"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", path, resp.Status)
		}
	}
	if resp, _ := http.Get(ts.URL + "/static/app.js"); resp.StatusCode != 200 {
		t.Errorf("a file: %s", resp.Status)
	}
}

func TestJSONErrorsNameFieldsNotGoTypes(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	for _, lang := range []string{"vi", "en"} {
		admin.lang = lang
		var e apiErr
		resp := admin.json("POST", "/api/users", map[string]any{"name": 5}, &e)
		if resp.StatusCode != http.StatusBadRequest || e.Error.Field != "name" || strings.Contains(e.Error.Message, "userForm") || strings.Contains(e.Error.Message, "Go ") {
			t.Errorf("%s: %s %+v", lang, resp.Status, e)
		}
	}
}

func TestBackupNotCached(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	resp := admin.json("GET", "/api/backup?audio=0", nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("backup: %s, Cache-Control %q", resp.Status, resp.Header.Get("Cache-Control"))
	}
}

func TestIngestBoundsWordedForPeople(t *testing.T) {
	for err, code := range map[error]string{
		ingest.ErrBusy: "ingest_busy",
		fmt.Errorf("%w (10m0s)", ingest.ErrAnalysisTimeout):                             "audio_timeout",
		&audio.Error{Code: audio.CodeTooLong, Offset: -1, Detail: "longer than 4h0m0s"}: "audio_too_long",
	} {
		e, ok := asAPIError(inspectError(err))
		if !ok || e.Code != code || !strings.Contains(e.Vi, "tệp") && !strings.Contains(e.Vi, "Tệp") {
			t.Errorf("%v: %+v", err, e)
		}
	}
}
