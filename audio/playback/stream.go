package playback

import (
	"bufio"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopxl/beep/v2"
)

// Stream is audio that arrives while it plays — a relay of a radio station,
// a live broadcast — with no length known in advance.
type Stream interface {
	beep.Streamer
	Err() error
	Close() error
}

// PrepareStream readies a stream for out the way Prepare readies a file:
// it.Path and the cues are ignored; it.Duration is required and bounds the
// play, since a stream has no end of its own; Name, Planned, GainDB and
// Volume are as for Prepare. Play then runs until the stream ends, its
// context ends (a fade-out, Interrupted) or it.Duration has played.
//
// A stream read straight from the network can block; wrap it in a Buffered
// so that a late packet plays as silence instead of looking like a stalled
// output to the watchdog.
func PrepareStream(it Item, s Stream, format beep.Format, out Output) (*Prepared, error) {
	if it.Duration <= 0 {
		s.Close()
		return nil, fmt.Errorf("prepare %s: a stream needs a duration to bound it", it.Name)
	}
	if format.SampleRate <= 0 {
		s.Close()
		return nil, fmt.Errorf("prepare %s: %w: no sample rate", it.Name, ErrFormat)
	}
	frames := int64(format.SampleRate.N(it.Duration))
	return &Prepared{it: it, out: out, c: newChain(it, s, format.SampleRate, frames, out.Rate())}, nil
}

// DecodeMP3Stream decodes an MP3 byte stream that cannot seek, such as an
// HTTP response body with any ICY metadata already removed. It reads up to
// the first frame before it returns. A decoder panic on corrupt input,
// then or later, becomes an ErrFormat error.
func DecodeMP3Stream(r io.ReadCloser) (Stream, beep.Format, error) {
	s, f, err := newMP3Source(readCloser{bufio.NewReaderSize(r, 8<<10), r}, r)
	if err != nil {
		r.Close()
		return nil, f, err
	}
	return s, f, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// DecodePCM reads raw signed 16-bit little-endian PCM, channels (1 or 2)
// interleaved, at rate frames per second. A trailing partial frame at the
// end of the stream is dropped.
func DecodePCM(r io.ReadCloser, rate, channels int) (Stream, beep.Format) {
	return &pcmStream{r: bufio.NewReaderSize(r, 4<<10), c: r, ch: max(min(channels, 2), 1)},
		beep.Format{SampleRate: beep.SampleRate(rate), NumChannels: 2, Precision: 2}
}

type pcmStream struct {
	r   *bufio.Reader
	c   io.Closer
	ch  int
	buf []byte
	err error
}

func (p *pcmStream) Stream(samples [][2]float64) (int, bool) {
	if p.err != nil {
		return 0, false
	}
	size := 2 * p.ch
	if need := len(samples) * size; cap(p.buf) < need {
		p.buf = make([]byte, need)
	}
	// Not io.ReadFull: it reports a clean end after a partial frame as
	// io.ErrUnexpectedEOF, which is also what a chunked HTTP body that
	// broke off returns, and the two must not be confused.
	n, err := 0, error(nil)
	for n < len(samples)*size && err == nil {
		var k int
		k, err = p.r.Read(p.buf[n : len(samples)*size])
		n += k
	}
	frames := n / size
	for i := range frames {
		b := p.buf[i*size:]
		l := float64(int16(uint16(b[0])|uint16(b[1])<<8)) / 32768
		r := l
		if p.ch == 2 {
			r = float64(int16(uint16(b[2])|uint16(b[3])<<8)) / 32768
		}
		samples[i] = [2]float64{l, r}
	}
	if err != nil {
		p.err = err // io.EOF: the clean end, a trailing partial frame dropped
	}
	return frames, frames > 0
}

// Err reports a read error; the clean end of the stream is not one.
func (p *pcmStream) Err() error {
	if p.err == io.EOF {
		return nil
	}
	return p.err
}

func (p *pcmStream) Close() error { return p.c.Close() }

// bufferChunk is how much audio the reading goroutine hands over at a time.
const bufferChunk = 10 * time.Millisecond

// Buffered decouples a network stream from the output's clock. A goroutine
// reads the source ahead, up to depth of audio; when the network is late,
// Stream plays silence (counted by Starved) rather than block the output;
// it ends once the source has ended or failed and what was read is played.
// Close closes the source. Stream and Close belong to the playing
// goroutine; the counters may be read from any goroutine.
type Buffered struct {
	src    Stream
	rate   beep.SampleRate
	latest bool // drop the oldest audio instead of holding the source back

	chunks chan [][2]float64
	quit   chan struct{}
	close  sync.Once
	cur    [][2]float64
	ended  bool  // Stream saw chunks closed
	err    error // the source's, set before chunks is closed

	starved, received, dropped atomic.Int64 // frames
	lastData                   atomic.Int64 // unix nanoseconds
}

// NewBuffered reads src ahead by up to depth. When the source delivers
// faster than real time (an Icecast server's burst on connect, a file
// served over HTTP) it is held back by TCP's flow control: nothing is lost.
func NewBuffered(src Stream, format beep.Format, depth time.Duration) *Buffered {
	return newBuffered(src, format, depth, false)
}

// NewBufferedLatest reads src ahead by up to depth, and when more than
// depth is waiting it drops the oldest audio (counted by Dropped): the delay
// from the source to the output never grows past depth, however often the
// network stalls and bursts. It is for live broadcasts, where late speech is
// worse than a lost syllable.
func NewBufferedLatest(src Stream, format beep.Format, depth time.Duration) *Buffered {
	return newBuffered(src, format, depth, true)
}

func newBuffered(src Stream, format beep.Format, depth time.Duration, latest bool) *Buffered {
	b := &Buffered{src: src, rate: format.SampleRate, latest: latest, quit: make(chan struct{}),
		chunks: make(chan [][2]float64, max(int(depth/bufferChunk), 2))}
	b.lastData.Store(time.Now().UnixNano())
	go b.fill(max(format.SampleRate.N(bufferChunk), 1))
	return b
}

// fill runs in its own goroutine until the source ends or Close.
func (b *Buffered) fill(chunk int) {
	defer close(b.chunks)
	for {
		buf := make([][2]float64, chunk)
		n, ok := b.src.Stream(buf)
		if n > 0 {
			b.received.Add(int64(n))
			b.lastData.Store(time.Now().UnixNano())
			if !b.put(buf[:n]) {
				return
			}
		}
		if !ok {
			b.err = b.src.Err()
			return
		}
	}
}

// put queues one chunk; false when the Buffered is closed.
func (b *Buffered) put(c [][2]float64) bool {
	for {
		if !b.latest {
			select {
			case b.chunks <- c:
				return true
			case <-b.quit:
				return false
			}
		}
		select {
		case b.chunks <- c:
			return true
		case <-b.quit:
			return false
		default: // full: drop the oldest chunk and try again
			select {
			case old := <-b.chunks:
				b.dropped.Add(int64(len(old)))
			default:
			}
		}
	}
}

// Stream never blocks: it returns what has arrived and fills the rest with
// silence while the source is still open.
func (b *Buffered) Stream(samples [][2]float64) (n int, ok bool) {
	for n < len(samples) {
		if len(b.cur) == 0 {
			select {
			case c, open := <-b.chunks:
				if !open {
					b.ended = true
					return n, n > 0
				}
				b.cur = c
			default:
				clear(samples[n:])
				b.starved.Add(int64(len(samples) - n))
				return len(samples), true
			}
		}
		k := copy(samples[n:], b.cur)
		b.cur, n = b.cur[k:], n+k
	}
	return n, true
}

// Err is the source's error once Stream has reached the end.
func (b *Buffered) Err() error {
	if !b.ended {
		return nil
	}
	return b.err
}

// Close stops the reading goroutine and closes the source, which unblocks
// a read in progress.
func (b *Buffered) Close() error {
	var err error
	b.close.Do(func() {
		close(b.quit)
		err = b.src.Close()
	})
	return err
}

// Starved is the silence played so far for want of data.
func (b *Buffered) Starved() time.Duration { return b.dur(b.starved.Load()) }

// Received is the audio received from the source so far.
func (b *Buffered) Received() time.Duration { return b.dur(b.received.Load()) }

// Dropped is the audio NewBufferedLatest dropped to keep the delay bounded.
func (b *Buffered) Dropped() time.Duration { return b.dur(b.dropped.Load()) }

// SinceData is the wall time since the source last delivered audio.
func (b *Buffered) SinceData() time.Duration {
	return time.Since(time.Unix(0, b.lastData.Load()))
}

func (b *Buffered) dur(frames int64) time.Duration {
	return time.Duration(frames) * time.Second / time.Duration(b.rate)
}
