package agent

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"
)

// errBadStream means the relay URL answered, but not with an MP3 stream we
// can play (an HTTP error, an HTML page, another codec). Retrying may not
// help; the relay reports relay_bad_stream if it never plays.
var errBadStream = errors.New("not an mp3 stream")

// relayDialTimeout bounds connecting and waiting for the answer's headers;
// the body of a stream has no deadline (it lasts the slot).
const relayDialTimeout = 10 * time.Second

// newRelayClient returns an HTTP client for radio streams: no overall
// timeout, no connection reuse, and SHOUTcast v1's "ICY 200 OK" status
// line accepted (see icyConn), over plain HTTP and TLS alike.
func newRelayClient() *http.Client { return relayClientWithRoots(nil) }

// relayClientWithRoots is newRelayClient trusting roots (nil: the system's).
func relayClientWithRoots(roots *x509.CertPool) *http.Client {
	d := &net.Dialer{Timeout: relayDialTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &icyConn{Conn: c}, nil
		},
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			host, _, _ := net.SplitHostPort(addr)
			tc := tls.Client(c, &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: roots})
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				return nil, err
			}
			return &icyConn{Conn: tc}, nil
		},
		DisableKeepAlives:     true,
		DisableCompression:    true, // an audio stream is not gzipped; and Content-Type must stay the server's
		ResponseHeaderTimeout: relayDialTimeout,
		TLSHandshakeTimeout:   relayDialTimeout,
	}
	return &http.Client{Transport: tr}
}

// relayBody is an open stream: the audio bytes with any ICY metadata
// removed.
type relayBody struct {
	io.Reader
	body  io.Closer
	icy   *icyReader // nil without metadata
	name  string     // icy-name, for the log
	ctype string
}

func (b *relayBody) Close() error { return b.body.Close() }

// title is the last StreamTitle the server sent ("" if none).
func (b *relayBody) title() string {
	if b.icy == nil {
		return ""
	}
	return b.icy.title
}

// openRelay GETs a radio stream. It asks for ICY metadata and strips it, and
// refuses answers that are not an MP3 stream with errBadStream. The body
// lives until ctx ends or it is closed.
func openRelay(ctx context.Context, client *http.Client, url, agentName string) (*relayBody, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadStream, err)
	}
	req.Header.Set("Icy-MetaData", "1")
	req.Header.Set("User-Agent", agentName)
	req.Header.Set("Accept", "audio/mpeg, audio/*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("relay connect: %w", err)
	}
	b, err := checkRelayAnswer(resp)
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	return b, nil
}

// checkRelayAnswer accepts a 200 answer carrying MP3 (or no type at all, as
// some SHOUTcast servers send) and wraps its body.
func checkRelayAnswer(resp *http.Response) (*relayBody, error) {
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: http status %d", errBadStream, resp.StatusCode)
	}
	ctype := resp.Header.Get("Content-Type")
	if !mp3ContentType(ctype) {
		return nil, fmt.Errorf("%w: content type %q", errBadStream, ctype)
	}
	metaint, err := parseMetaint(resp.Header.Get("Icy-Metaint"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadStream, err)
	}
	b := &relayBody{Reader: resp.Body, body: resp.Body, name: resp.Header.Get("Icy-Name"), ctype: ctype}
	if metaint > 0 {
		b.icy = newICYReader(resp.Body, metaint)
		b.Reader = b.icy
	}
	return b, nil
}

// mp3ContentType accepts the names MP3 streams go by, and the generic ones
// a misconfigured server sends for them; any other type (HTML, AAC, Ogg)
// is refused.
func mp3ContentType(v string) bool {
	if strings.TrimSpace(v) == "" {
		return true
	}
	t, _, err := mime.ParseMediaType(v)
	if err != nil {
		return false
	}
	switch t {
	case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg", "audio/x-mp3", "audio/x-mpeg-3",
		"audio/mpa", "audio/mpg", "application/octet-stream":
		return true
	}
	return false
}
