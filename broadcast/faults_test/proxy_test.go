package faults_test

import (
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// faultProxy is a loopback TCP proxy that, while faulty, refuses
// connections, delays every chunk, stalls the link and cuts it at random.
// Its random choices come from one seeded generator; the order in which
// connections arrive is the scheduler's, so a seed replays the same mix of
// faults, not the same sequence.
type faultProxy struct {
	ln     net.Listener
	target string
	faulty atomic.Bool

	mu  sync.Mutex
	rng *rand.Rand

	conns, drops, delays, stalls, cuts atomic.Int64
	wg                                 sync.WaitGroup
}

// fate is what the proxy does to one connection.
type fate struct {
	drop  bool
	delay time.Duration // added before every forwarded chunk
	stall time.Duration // forwarding pauses this long…
	after time.Duration // …this long after the connection opened
	cut   time.Duration // the connection is cut this long after it opened
}

func newFaultProxy(target string, seed uint64) (*faultProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &faultProxy{ln: ln, target: target, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	p.faulty.Store(true)
	p.wg.Go(p.serve)
	return p, nil
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

// close stops accepting and waits for the accept loop (live links end with
// the backend).
func (p *faultProxy) close() { p.ln.Close(); p.wg.Wait() }

func (p *faultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

// draw picks a connection's fate: about one in eight refused, a third
// delayed, one in six stalled, and most cut within ten seconds.
func (p *faultProxy) draw() fate {
	if !p.faulty.Load() {
		return fate{}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.rng
	var f fate
	if r.Float64() < 0.12 {
		return fate{drop: true}
	}
	if r.Float64() < 0.33 {
		f.delay = time.Duration(5+r.IntN(300)) * time.Millisecond
	}
	if r.Float64() < 0.16 {
		f.after = time.Duration(r.IntN(5000)) * time.Millisecond
		f.stall = time.Duration(1000+r.IntN(9000)) * time.Millisecond
	}
	if r.Float64() < 0.7 {
		f.cut = time.Duration(100+r.IntN(10000)) * time.Millisecond
	}
	return f
}

func (p *faultProxy) handle(c net.Conn) {
	p.conns.Add(1)
	f := p.draw()
	if f.drop {
		p.drops.Add(1)
		c.(*net.TCPConn).SetLinger(0) // a reset, as a dropped route gives
		c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if f.delay > 0 {
		p.delays.Add(1)
	}
	var gate sync.RWMutex // held for writing during a stall
	if f.stall > 0 {
		time.AfterFunc(f.after, func() {
			p.stalls.Add(1)
			gate.Lock()
			time.Sleep(f.stall)
			gate.Unlock()
		})
	}
	var closed atomic.Bool
	shut := func() {
		if closed.CompareAndSwap(false, true) {
			c.Close()
			up.Close()
		}
	}
	if f.cut > 0 {
		time.AfterFunc(f.cut, func() {
			if !closed.Load() {
				p.cuts.Add(1)
			}
			shut()
		})
	}
	go func() { forward(up, c, f.delay, &gate); shut() }()
	forward(c, up, f.delay, &gate)
	shut()
}

// forward copies src to dst chunk by chunk, each after the delay and
// outside any stall.
func forward(dst io.Writer, src io.Reader, delay time.Duration, gate *sync.RWMutex) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if delay > 0 {
				time.Sleep(delay)
			}
			gate.RLock()
			_, werr := dst.Write(buf[:n])
			gate.RUnlock()
			if werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
