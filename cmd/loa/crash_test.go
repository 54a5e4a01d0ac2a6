package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the loa binary built for the tests that run it as a process.
var binDir string

func TestMain(m *testing.M) {
	binDir, _ = os.MkdirTemp("", "loa-test-bin-")
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// buildLoa compiles this command once per test binary run.
var buildLoa = func() func(t *testing.T) string {
	var once sync.Once
	var out []byte
	var err error
	return func(t *testing.T) string {
		t.Helper()
		bin := filepath.Join(binDir, "loa")
		once.Do(func() { out, err = exec.Command("go", "build", "-o", bin, ".").CombinedOutput() })
		if err != nil {
			t.Fatalf("build loa: %v\n%s", err, out)
		}
		return bin
	}
}()

// startProcess runs `loa serve` as a real process and returns its URL.
func startProcess(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "warn")
	cmd.Env = append(os.Environ(), "LOA_ADMIN_PASSWORD=mat-khau-thu-sap")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	re := regexp.MustCompile(`listening on (http://\S+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return cmd, m[1]
		}
	}
	t.Fatal("server did not start")
	return nil, ""
}

// TestKillDuringUpload kills the server with SIGKILL while a large upload
// is streaming in, restarts it, and checks that the library holds exactly
// what was completed, every segment with its audio, and no leftovers.
func TestKillDuringUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := buildLoa(t)
	data := t.TempDir()
	cmd, url := startProcess(t, bin, data)
	ctx := context.Background()
	c, err := signIn(ctx, url, "admin", "mat-khau-thu-sap")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.upload(ctx, importConfig{Topic: "khac"}, "../../testdata/audio/mp3/cbr64-mono-44k.mp3"); err != nil {
		t.Fatal(err)
	}

	// A 30 MB upload that stops half-way until the server is killed.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	half := make(chan struct{})
	go func() {
		mw.WriteField("topic", "khac")
		part, _ := mw.CreateFormFile("file", "dai.wav")
		chunk := make([]byte, 1<<20)
		for i := range 30 {
			if i == 15 {
				close(half)
				time.Sleep(time.Hour) // never finishes: the server dies first
			}
			if _, err := part.Write(chunk); err != nil {
				return
			}
		}
	}()
	req, _ := http.NewRequest("POST", url+"/api/segments", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	go c.http.Do(req)
	<-half
	waitForTempFile(t, filepath.Join(data, "audio", "tmp"))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	pw.CloseWithError(io.ErrClosedPipe)

	_, url = startProcess(t, bin, data)
	c, err = signIn(ctx, url, "admin", "mat-khau-thu-sap")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.http.Get(url + "/api/segments")
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		ID    uint64 `json:"id"`
		Audio struct {
			SHA256 string `json:"sha256"`
		} `json:"audio"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list) != 1 {
		t.Fatalf("after the crash: %d segments, want the 1 completed", len(list))
	}
	blob, err := os.ReadFile(filepath.Join(data, "audio", list[0].Audio.SHA256[:2], list[0].Audio.SHA256))
	sum := sha256.Sum256(blob)
	if err != nil || hex.EncodeToString(sum[:]) != list[0].Audio.SHA256 {
		t.Fatalf("segment %d lost its audio: %v", list[0].ID, err)
	}
	if left, _ := os.ReadDir(filepath.Join(data, "audio", "tmp")); len(left) != 0 {
		t.Errorf("%d partial uploads left after restart", len(left))
	}
}

func waitForTempFile(t *testing.T, dir string) {
	t.Helper()
	for range 200 {
		if left, _ := os.ReadDir(dir); len(left) > 0 {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("the upload never reached the server's disk")
}
