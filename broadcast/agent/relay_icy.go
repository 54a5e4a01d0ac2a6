package agent

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// maxMetaint bounds icy-metaint: servers use 8–64 KiB; a larger value is
// more likely a broken header than a real interval.
const maxMetaint = 1 << 20

// icyReader strips the ICY metadata blocks an Icecast or SHOUTcast server
// interleaves in the audio when asked with "Icy-MetaData: 1": after every
// metaint bytes of audio comes one length byte L and L×16 bytes of
// metadata ("StreamTitle='…';"). Read returns audio bytes only.
type icyReader struct {
	r       io.Reader
	metaint int
	left    int    // audio bytes before the next metadata block
	title   string // the last StreamTitle seen
	meta    []byte
}

func newICYReader(r io.Reader, metaint int) *icyReader {
	return &icyReader{r: r, metaint: metaint, left: metaint}
}

func (ir *icyReader) Read(p []byte) (int, error) {
	if ir.left == 0 {
		if err := ir.skipMeta(); err != nil {
			return 0, err
		}
		ir.left = ir.metaint
	}
	n, err := ir.r.Read(p[:min(len(p), ir.left)])
	ir.left -= n
	return n, err
}

// skipMeta reads one metadata block and keeps its StreamTitle.
func (ir *icyReader) skipMeta() error {
	var l [1]byte
	if _, err := io.ReadFull(ir.r, l[:]); err != nil {
		return err
	}
	n := int(l[0]) * 16
	if n == 0 {
		return nil
	}
	if cap(ir.meta) < n {
		ir.meta = make([]byte, n)
	}
	if _, err := io.ReadFull(ir.r, ir.meta[:n]); err != nil {
		return noEOF(err)
	}
	if t, ok := streamTitle(ir.meta[:n]); ok {
		ir.title = t
	}
	return nil
}

// noEOF turns an EOF inside a block into ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// streamTitle extracts StreamTitle='…'; from a metadata block (padded with
// zero bytes).
func streamTitle(meta []byte) (string, bool) {
	meta = bytes.TrimRight(meta, "\x00")
	_, rest, ok := bytes.Cut(meta, []byte("StreamTitle='"))
	if !ok {
		return "", false
	}
	title, _, ok := bytes.Cut(rest, []byte("';"))
	if !ok {
		return "", false
	}
	return strings.ToValidUTF8(string(title), "?"), true
}

// parseMetaint reads the icy-metaint header: 0 when absent.
func parseMetaint(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	var n int
	if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d", &n); err != nil || n <= 0 || n > maxMetaint {
		return 0, fmt.Errorf("bad icy-metaint %q", v)
	}
	return n, nil
}

// icyConn lets Go's HTTP client read a SHOUTcast v1 answer: such servers
// reply "ICY 200 OK" where HTTP says "HTTP/1.0 200 OK", which the client
// refuses. The first bytes of the answer are rewritten; everything after
// them (headers, then the audio) passes unchanged.
type icyConn struct {
	net.Conn
	head    []byte // pending bytes of the rewritten status line
	checked bool
}

func (c *icyConn) Read(p []byte) (int, error) {
	if !c.checked {
		c.checked = true
		if err := c.rewriteStatus(); err != nil {
			return 0, err
		}
	}
	if len(c.head) > 0 {
		n := copy(p, c.head)
		c.head = c.head[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// rewriteStatus reads the first 4 bytes of the answer and, when they are
// "ICY ", replaces them with "HTTP/1.0 ".
func (c *icyConn) rewriteStatus() error {
	first := make([]byte, 4)
	n, err := io.ReadFull(c.Conn, first)
	first = first[:n]
	if bytes.Equal(first, []byte("ICY ")) {
		first = []byte("HTTP/1.0 ")
	}
	c.head = first
	if err != nil && n == 0 {
		return err
	}
	return nil
}
