package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs `loa serve` in this process on a free port over dataDir
// and returns its URL, what it printed first, and a stop function that
// sends the equivalent of SIGTERM and returns the exit code.
func startServe(t *testing.T, dataDir string, env map[string]string) (url, banner string, stop func() int) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"serve", "--data", dataDir, "--addr", "127.0.0.1:0", "--log-level", "warn"}, pw, io.Discard)
		pw.Close()
	}()
	addr := regexp.MustCompile(`listening on (http://\S+)`)
	sc := bufio.NewScanner(pr)
	var printed strings.Builder
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if m := addr.FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("server did not start; it printed:\n%s", printed.String())
	}
	go io.Copy(io.Discard, pr)
	return url, printed.String(), func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(15 * time.Second):
			t.Fatal("server did not stop within 15 s of SIGTERM")
			return -1
		}
	}
}

func TestServeFirstStartImportAndRestart(t *testing.T) {
	data := t.TempDir()
	url, banner, stop := startServe(t, data, nil)
	m := regexp.MustCompile(`admin / (\S+)`).FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("first start did not print the admin password:\n%s", banner)
	}
	password := m[1]

	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	// loa import signs in with the printed password and uploads two files;
	// one is not audio and must be reported, without stopping the other.
	t.Setenv("LOA_PASSWORD", password)
	var out strings.Builder
	code := run(context.Background(), []string{"import", "--server", url, "--topic", "cchc-tthc",
		"../../testdata/audio/mp3/cbr64-mono-44k.mp3", "../../testdata/audio/bad/text-renamed.mp3"}, &out, io.Discard)
	if code != 1 || !strings.Contains(out.String(), "added as #1") || !strings.Contains(out.String(), "text-renamed.mp3: FAILED") {
		t.Fatalf("import exited %d:\n%s", code, out.String())
	}
	if c := stop(); c != 0 {
		t.Fatalf("exit code %d after SIGTERM", c)
	}

	// Restart on the same directory: the segment is there, no new admin.
	url, banner, stop = startServe(t, data, nil)
	defer stop()
	if strings.Contains(banner, "admin /") {
		t.Errorf("restart printed a new admin password:\n%s", banner)
	}
	c := loginClient(t, url, "admin", password)
	resp, err = c.Get(url + "/api/segments")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []struct {
		Title string `json:"title"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	if len(list) != 1 || list[0].Title != "cbr64-mono-44k" {
		t.Fatalf("after restart: %+v", list)
	}
}

func TestServeAdminPasswordFromEnvironment(t *testing.T) {
	url, banner, stop := startServe(t, t.TempDir(), map[string]string{"LOA_ADMIN_PASSWORD": "mat-khau-cua-phuong"})
	defer stop()
	if strings.Contains(banner, "admin /") {
		t.Errorf("printed a password although LOA_ADMIN_PASSWORD was set")
	}
	loginClient(t, url, "admin", "mat-khau-cua-phuong")
}

func TestServeRefusesABusyDataDirectory(t *testing.T) {
	data := t.TempDir()
	_, _, stop := startServe(t, data, nil)
	defer stop()
	var errOut strings.Builder
	code := run(context.Background(), []string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, io.Discard, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "in use by another loa process") {
		t.Fatalf("second server on the same data: exit %d, %s", code, errOut.String())
	}
}

func TestServeConfigErrors(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--addr", "8080"}, nil, "want host:port"},
		{[]string{"--max-upload-mb", "0"}, nil, "want 1 to 4096"},
		{[]string{"--target-lufs", "3"}, nil, "want -40 to -5"},
		{[]string{"--log-level", "loud"}, nil, "want debug, info, warn or error"},
		{nil, map[string]string{"LOA_MAX_UPLOAD_MB": "nhiều"}, `LOA_MAX_UPLOAD_MB="nhiều": want a whole number`},
		{nil, map[string]string{"LOA_ADMIN_PASSWORD": "ngan"}, "at least 8 characters"},
		{[]string{"extra"}, nil, `unexpected argument "extra"`},
		{[]string{"--tls-cert", "cert.pem"}, nil, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-cert", "khong-co.pem", "--tls-key", "khong-co.key"}, nil, "no such file"},
		{[]string{"--trusted-proxies", "10.0.0.0/40"}, nil, "--trusted-proxies"},
		{[]string{"--public-path", "/api"}, nil, "--public-path"},
		{[]string{"--public-path", "nghe lại"}, nil, "want a path such as /nghe-lai"},
		{[]string{"--public-url", "loa.phuong.gov.vn"}, nil, "--public-url"},
		{nil, map[string]string{"LOA_PUBLIC_FRAME_ANCESTORS": "https://phuong.gov.vn/trang"}, "is not an origin"},
	}
	for _, tt := range tests {
		for k, v := range tt.env {
			t.Setenv(k, v)
		}
		var errOut strings.Builder
		data := filepath.Join(t.TempDir(), "never-created")
		code := run(context.Background(), append([]string{"serve", "--data", data}, tt.args...), io.Discard, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%v %v: exit %d, %q; want 2 and %q", tt.args, tt.env, code, errOut.String(), tt.want)
		}
		if _, err := os.Stat(data); err == nil {
			t.Errorf("%v: a bad configuration created the data directory", tt.args)
		}
		for k := range tt.env {
			os.Unsetenv(k)
		}
	}
}

func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeSelfSigned(t, cert, key)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	go run(ctx, []string{"serve", "--data", filepath.Join(dir, "data"), "--addr", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key}, pw, io.Discard)
	sc := bufio.NewScanner(pr)
	var url string
	for sc.Scan() {
		if m := regexp.MustCompile(`listening on (https://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("%q: %v", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("over TLS: %s, HSTS %q", resp.Status, resp.Header.Get("Strict-Transport-Security"))
	}
}

// writeSelfSigned writes a throwaway certificate for 127.0.0.1.
func writeSelfSigned(t *testing.T, certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
}

func loginClient(t *testing.T, url, name, password string) *http.Client {
	t.Helper()
	c, err := signIn(context.Background(), url, name, password)
	if err != nil {
		t.Fatalf("sign in as %s: %v", name, err)
	}
	return c.http
}
