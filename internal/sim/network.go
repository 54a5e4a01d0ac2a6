package sim

import (
	"context"
	"errors"
	"net"
	"sync"
)

// errUnreachable is what a station whose link is cut gets when it dials.
var errUnreachable = errors.New("sim: network unreachable")

// network is the ward's network in memory. The server listens on it; every
// station and the operator dial it; each connection is a net.Pipe pair,
// which (unlike loopback TCP) blocks durably inside a synctest bubble, so
// the virtual clock advances while everyone waits on the network.
type network struct {
	accept chan net.Conn
	closed chan struct{}
	once   sync.Once

	mu    sync.Mutex
	down  map[string]bool       // host → cut off
	conns map[string][]net.Conn // host → its open connections (its ends)
}

func newNetwork() *network {
	return &network{accept: make(chan net.Conn), closed: make(chan struct{}),
		down: map[string]bool{}, conns: map[string][]net.Conn{}}
}

// Accept implements net.Listener for the server.
func (n *network) Accept() (net.Conn, error) {
	select {
	case c := <-n.accept:
		return c, nil
	case <-n.closed:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener: no more connections are accepted.
func (n *network) Close() error {
	n.once.Do(func() { close(n.closed) })
	return nil
}

// Addr implements net.Listener.
func (n *network) Addr() net.Addr { return simAddr("loa.sim:80") }

type simAddr string

func (a simAddr) Network() string { return "sim" }
func (a simAddr) String() string  { return string(a) }

// dialer returns host's dial function: a pipe to the server, or
// errUnreachable while host is cut off.
func (n *network) dialer(host string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, _, _ string) (net.Conn, error) {
		n.mu.Lock()
		down := n.down[host]
		n.mu.Unlock()
		if down {
			return nil, errUnreachable
		}
		mine, theirs := net.Pipe()
		select {
		case n.accept <- theirs:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-n.closed:
			return nil, errUnreachable
		}
		n.mu.Lock()
		defer n.mu.Unlock()
		if n.down[host] { // cut while dialling
			mine.Close()
			return nil, errUnreachable
		}
		n.conns[host] = append(n.conns[host], mine)
		return mine, nil
	}
}

// cut takes host off the network (closing its connections) or puts it back.
func (n *network) cut(host string, off bool) {
	n.mu.Lock()
	n.down[host] = off
	var conns []net.Conn
	if off {
		conns, n.conns[host] = n.conns[host], nil
	}
	n.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// isCut reports whether host is off the network.
func (n *network) isCut(host string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.down[host]
}
