package agent

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"testing/iotest"
)

// withMeta interleaves ICY metadata into audio as a server does: a block
// after every metaint bytes, the title on every other block, an empty
// block (length 0) on the others.
func withMeta(audio []byte, metaint int, title func(i int) string) []byte {
	var out bytes.Buffer
	for i := 0; len(audio) > 0; i++ {
		n := min(metaint, len(audio))
		out.Write(audio[:n])
		audio = audio[n:]
		if n < metaint {
			break
		}
		meta := []byte(fmt.Sprintf("StreamTitle='%s';", title(i)))
		if i%2 == 1 {
			meta = nil
		}
		blocks := (len(meta) + 15) / 16
		out.WriteByte(byte(blocks))
		out.Write(meta)
		out.Write(make([]byte, blocks*16-len(meta)))
	}
	return out.Bytes()
}

func TestICYReaderReturnsTheAudioOnly(t *testing.T) {
	t.Parallel()
	audio, err := os.ReadFile("../../testdata/audio/mp3/very-short.mp3")
	if err != nil {
		t.Fatal(err)
	}
	title := func(i int) string { return fmt.Sprintf("Thời sự %d", i) }
	for _, metaint := range []int{1, 16, 1000, 8192, len(audio), len(audio) + 1} {
		wire := withMeta(audio, metaint, title)
		for name, r := range map[string]func(io.Reader) io.Reader{
			"whole":    func(r io.Reader) io.Reader { return r },
			"one byte": iotest.OneByteReader,
			"halves":   iotest.HalfReader,
		} {
			ir := newICYReader(r(bytes.NewReader(wire)), metaint)
			got, err := io.ReadAll(ir)
			if err != nil {
				t.Fatalf("metaint %d, %s: %v", metaint, name, err)
			}
			if !bytes.Equal(got, audio) {
				t.Fatalf("metaint %d, %s: %d bytes out of %d, not the audio", metaint, name, len(got), len(audio))
			}
			if blocks := len(audio) / metaint; blocks > 0 && ir.title != title((blocks-1)&^1) {
				t.Errorf("metaint %d: title %q, want %q", metaint, ir.title, title((blocks-1)&^1))
			}
		}
	}
}

func TestICYReaderTruncatedMetadataIsAnError(t *testing.T) {
	t.Parallel()
	wire := append(bytes.Repeat([]byte{0xff}, 16), 2, 'S', 't') // 32 bytes announced, 2 sent
	_, err := io.ReadAll(newICYReader(bytes.NewReader(wire), 16))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err %v, want unexpected EOF", err)
	}
}

// icyServer answers every connection the way a SHOUTcast v1 server does:
// "ICY 200 OK", its icy-* headers, then body (not HTTP framed).
func icyServer(t *testing.T, body []byte, metaint int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil || req.Header.Get("Icy-MetaData") != "1" {
					io.WriteString(c, "ICY 400 Bad Request\r\n\r\n")
					return
				}
				fmt.Fprintf(c, "ICY 200 OK\r\nicy-name:Đài phát thanh\r\ncontent-type:audio/mpeg\r\nicy-metaint:%d\r\n\r\n", metaint)
				c.Write(body)
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/stream"
}

func TestOpenRelayAcceptsAnICYStatusLine(t *testing.T) {
	t.Parallel()
	audio, err := os.ReadFile("../../testdata/audio/mp3/very-short.mp3")
	if err != nil {
		t.Fatal(err)
	}
	url := icyServer(t, withMeta(audio, 4096, func(int) string { return "Bản tin" }), 4096)
	b, err := openRelay(context.Background(), newRelayClient(), url, "loa-agent/test")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, audio) {
		t.Fatalf("%d bytes read, want the %d bytes of audio", len(got), len(audio))
	}
	if b.name != "Đài phát thanh" || b.title() != "Bản tin" {
		t.Errorf("name %q, title %q", b.name, b.title())
	}
}

func TestOpenRelayOverTLS(t *testing.T) {
	t.Parallel()
	audio, err := os.ReadFile("../../testdata/audio/mp3/very-short.mp3")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Header().Set("Icy-Metaint", "512")
		w.Write(withMeta(audio, 512, func(int) string { return "Tin tức" }))
	}))
	defer srv.Close()
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	b, err := openRelay(context.Background(), relayClientWithRoots(roots), srv.URL+"/vov1", "loa-agent/test")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, err := io.ReadAll(b); err != nil || !bytes.Equal(got, audio) {
		t.Fatalf("%d bytes read (%v), want the %d bytes of audio", len(got), err, len(audio))
	}
	if _, err := openRelay(context.Background(), newRelayClient(), srv.URL+"/vov1", "loa-agent/test"); err == nil {
		t.Errorf("a certificate the system does not trust was accepted")
	}
}

func TestOpenRelayRefusesWhatIsNotMP3(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<html>Trang web</html>")
		case "/aac":
			w.Header().Set("Content-Type", "audio/aac")
		case "/metaint":
			w.Header().Set("Content-Type", "audio/mpeg")
			w.Header().Set("Icy-Metaint", "lots")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	for _, path := range []string{"/page", "/aac", "/metaint", "/gone"} {
		b, err := openRelay(context.Background(), newRelayClient(), srv.URL+path, "loa-agent/test")
		if !errors.Is(err, errBadStream) {
			if b != nil {
				b.Close()
			}
			t.Errorf("%s: err %v, want errBadStream", path, err)
		}
	}
	// A server that hangs up is not a bad stream: it may come back.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	if _, err := openRelay(context.Background(), newRelayClient(), "http://"+ln.Addr().String()+"/", "loa-agent/test"); err == nil || errors.Is(err, errBadStream) {
		t.Errorf("a server that hangs up: err %v, want a connection error", err)
	}
}
