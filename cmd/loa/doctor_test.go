package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/agent"
	"loa/broadcast/hub/agenttest"
	"loa/broadcast/protocol"
)

// runDoctorArgs runs loa doctor and returns its exit code and output.
func runDoctorArgs(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"doctor"}, args...), &out, &errOut)
	if errOut.Len() > 0 {
		t.Logf("stderr: %s", errOut.String())
	}
	return code, out.String()
}

func hasLine(out, mark, text string) bool {
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, mark+" ") && strings.Contains(line, text) {
			return true
		}
	}
	return false
}

func TestDoctorFreshServerBox(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "loa-data")
	code, out := runDoctorArgs(t, "--data", dir)
	if code != 0 || !hasLine(out, "✓", "data directory writable") || !hasLine(out, "✓", "no database yet") || !hasLine(out, "✓", "free disk space") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

// Every store of a server's database keeps its schema version in meta; the
// doctor names them, and a database a running server holds is no failure.
func TestDoctorDatabaseVersionsAndInUse(t *testing.T) {
	dir := t.TempDir()
	cfg, err := parseServeFlags([]string{"--data", dir, "--tts", "off", "--ffmpeg", "off"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := openApp(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	// The lock's holder must answer on LOA_ADDR; while it does not, that is
	// an error.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	t.Setenv("LOA_ADDR", closed.Addr().String())
	code, out := runDoctorArgs(t, "--data", dir)
	if code != 1 || !hasLine(out, "✓", "database in use by a running loa server") || !hasLine(out, "✗", "unreachable") {
		t.Fatalf("database locked, server not answering: exit %d\n%s", code, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LOA_ADDR", ln.Addr().String())
	srv := &http.Server{Handler: a.web.Handler()}
	go srv.Serve(ln)
	code, out = runDoctorArgs(t, "--data", dir)
	if code != 0 || !hasLine(out, "✓", "answers (200 OK)") || !hasLine(out, "✓", "clock differs from the server's by") {
		t.Fatalf("with the server running: exit %d\n%s", code, out)
	}
	srv.Close()
	a.close()
	code, out = runDoctorArgs(t, "--data", dir)
	for _, store := range []string{"library v", "web v", "stations v", "ledger v", "playlist v"} {
		if !hasLine(out, "✓", store) {
			t.Errorf("no schema version of %s", store)
		}
	}
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestDoctorBrokenDatabaseAndUnwritableDirFail(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "loa.db"), []byte("not a bbolt file, just bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out := runDoctorArgs(t, "--data", dir); code != 1 || !hasLine(out, "✗", "database does not open") {
		t.Fatalf("broken database: exit %d\n%s", code, out)
	}
	// A path under a regular file cannot be a directory, even for root.
	code, out := runDoctorArgs(t, "--data", filepath.Join(dir, "loa.db", "sub"))
	if code != 1 || !hasLine(out, "✗", "is not writable") {
		t.Fatalf("unwritable data directory: exit %d\n%s", code, out)
	}
}

// A server whose clock is ten minutes ahead: the box's clock is off.
func TestDoctorComparesClockWithServer(t *testing.T) {
	skew := 0 * time.Minute
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(skew).UTC().Format(http.TimeFormat))
		io.WriteString(w, `{"status":"ok"}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	if code, out := runDoctorArgs(t, "--data", dir, "--server", srv.URL); code != 0 || !hasLine(out, "✓", "clock differs from the server's by") {
		t.Fatalf("same clock: exit %d\n%s", code, out)
	}
	skew = 10 * time.Minute
	if code, out := runDoctorArgs(t, "--data", dir, "--server", srv.URL); code != 1 || !hasLine(out, "✗", "(over 2m0s: enable NTP)") {
		t.Fatalf("server 10 minutes ahead: exit %d\n%s", code, out)
	}
}

func TestDoctorAgentBoxTokenRoundTrip(t *testing.T) {
	srv := agenttest.NewServer(t)
	dir := t.TempDir()
	t.Setenv("LOA_AGENT_SERVER", srv.URL)
	t.Setenv("LOA_AGENT_OUTPUT", "null")
	t.Setenv("LOA_AGENT_TOKEN", srv.Token)
	code, out := runDoctorArgs(t, "--agent", "--data", dir)
	if code != 0 || !hasLine(out, "✓", fmt.Sprintf("token valid: station tdp-05, protocol v%d", protocol.Version)) || !hasLine(out, "✓", "no sound card needed") {
		t.Fatalf("valid token: exit %d\n%s", code, out)
	}
	t.Setenv("LOA_AGENT_TOKEN", "wrong-token")
	code, out = runDoctorArgs(t, "--agent", "--data", dir)
	if code != 1 || !hasLine(out, "✗", "the server refused the station token") {
		t.Fatalf("wrong token: exit %d\n%s", code, out)
	}
}

// An agent offering only a protocol the server does not speak is closed
// with 4001 and the reason; the doctor says what to do.
func TestIncompatibleProtocolRefusedWithClearMessage(t *testing.T) {
	srv := agenttest.NewServer(t)
	u := "ws://" + strings.TrimPrefix(srv.URL, "http://") + agent.LinkPath
	ws, _, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + srv.Token}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	hello, _ := protocol.Encode(protocol.TypeHello, 1, &protocol.Hello{Versions: []int{99}, Agent: "loa-agent 9.0", SentMs: time.Now().UnixMilli()})
	ws.WriteMessage(websocket.TextMessage, hello)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err = ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != protocol.CloseBadVersion || !strings.Contains(ce.Text, "no common version in [99]") {
		t.Fatalf("server answered %v", err)
	}
	f := linkRefusal(err)
	if f.ok || !strings.Contains(f.en, fmt.Sprintf("incompatible protocol: this build speaks v%d–v%d", protocol.MinVersion, protocol.Version)) || !strings.Contains(f.vi, "Phiên bản giao thức không khớp") {
		t.Fatalf("doctor says %+v", f)
	}
}
