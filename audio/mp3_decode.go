package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/hajimehoshi/go-mp3"
	"golang.org/x/sync/errgroup"
)

// Parallel MP3 decoding. The scanner cuts the stream into chunks of frames;
// workers decode chunks with go-mp3 at the same time; one goroutine takes
// the PCM back in file order and feeds the meter. Layer III frames are not
// independent (the bit reservoir, the IMDCT overlap and the synthesis
// filterbank all carry state), so each chunk starts with a few frames of the
// previous one, decoded and thrown away. decodeChunk makes that warm-up
// exact, so the output equals a sequential decode bit for bit.

const (
	chunkFrames = 192 // frames a worker decodes at once (~5 s at 44.1 kHz)
	maxOverlap  = 64  // most frames of warm-up a chunk may need
)

// mp3Chunk is a run of whole frames, copied out of the file.
type mp3Chunk struct {
	data    []byte
	frames  []chunkFrame // warm-up frames first, then the chunk's own
	overlap int          // how many warm-up frames to decode and discard
	done    chan chunkResult
}

type chunkFrame struct {
	off  int64 // in the file
	size int
}

type chunkResult struct {
	pcm []float32 // the chunk's own frames, interleaved source channels
	err error
}

// mp3Stream is what decoding learned besides the PCM.
type mp3Stream struct {
	frames, bytes int64 // audio frames and their bytes
	junk, junkAt  int64 // trailing junk
}

// decodeMP3 decodes every frame sc yields and passes the PCM (source
// channels, in order) to sink. workers 0 means one per CPU (at most 4);
// chunk 0 means chunkFrames.
func decodeMP3(ctx context.Context, sc *mp3Scanner, workers, chunk int, sink func([]float32)) (mp3Stream, error) {
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	if chunk <= 0 {
		chunk = chunkFrames
	}
	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan *mp3Chunk)
	order := make(chan *mp3Chunk, workers+1)
	var st mp3Stream
	g.Go(func() error {
		defer close(order)
		defer close(jobs)
		var err error
		st, err = produceChunks(gctx, sc, chunk, jobs, order)
		return err
	})
	for range workers {
		g.Go(func() error {
			for c := range jobs {
				c.done <- decodeChunk(c, sc.first)
			}
			return nil
		})
	}
	g.Go(func() error {
		for c := range order {
			select {
			case r := <-c.done:
				if r.err != nil {
					return r.err
				}
				sink(r.pcm)
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	err := g.Wait()
	return st, err
}

// produceChunks reads frames and hands out chunks, each with the warm-up
// frames it needs taken from the end of the one before.
func produceChunks(ctx context.Context, sc *mp3Scanner, chunk int, jobs, order chan<- *mp3Chunk) (mp3Stream, error) {
	var prev, cur *mp3Chunk
	send := func() error {
		if cur == nil || len(cur.frames) == cur.overlap {
			return nil
		}
		for _, ch := range []chan<- *mp3Chunk{order, jobs} {
			select {
			case ch <- cur:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		prev, cur = cur, nil
		return nil
	}
	for {
		f, err := sc.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return mp3Stream{}, err
		}
		if cur == nil {
			cur = startChunk(prev, sc.first, chunk)
		}
		cur.frames = append(cur.frames, chunkFrame{off: f.off, size: len(f.data)})
		cur.data = append(cur.data, f.data...)
		if len(cur.frames)-cur.overlap == chunk {
			if err := send(); err != nil {
				return mp3Stream{}, err
			}
		}
	}
	if err := send(); err != nil {
		return mp3Stream{}, err
	}
	return mp3Stream{frames: sc.frames, bytes: sc.bytes, junk: sc.junk, junkAt: sc.junkAt}, nil
}

// startChunk begins a chunk with the warm-up frames copied from prev.
func startChunk(prev *mp3Chunk, first frameHeader, chunk int) *mp3Chunk {
	c := &mp3Chunk{
		data:   make([]byte, 0, (chunk+maxOverlap)*first.size()*11/10),
		frames: make([]chunkFrame, 0, chunk+maxOverlap),
		done:   make(chan chunkResult, 1),
	}
	if prev == nil {
		return c
	}
	k := warmup(prev)
	tail := prev.frames[len(prev.frames)-k:]
	start := len(prev.data)
	for _, f := range tail {
		start -= f.size
	}
	c.data = append(c.data, prev.data[start:]...)
	c.frames = append(c.frames, tail...)
	c.overlap = k
	return c
}

// warmup picks how many frames from the end of prev a chunk must decode
// first: enough that the last two of them decode with their true bit
// reservoir (after which the filterbank state is exact too).
func warmup(prev *mp3Chunk) int {
	n := len(prev.frames)
	for k := 3; k <= min(maxOverlap, n); k++ {
		z := lastStarved(prev, n-k)
		if z < n-2 {
			return k
		}
	}
	return min(maxOverlap, n)
}

// lastStarved simulates go-mp3's bit reservoir from frame `from` of c (with
// nothing before it) and returns the index of the last frame whose
// main_data_begin points before the data available, or -1.
func lastStarved(c *mp3Chunk, from int) int {
	last, avail, pos := -1, 0, 0
	for i := 0; i < from; i++ {
		pos += c.frames[i].size
	}
	for i := from; i < len(c.frames); i++ {
		f := c.data[pos : pos+c.frames[i].size]
		h, _ := parseHeader(f)
		mdb := h.mainDataBegin(f)
		if mdb > avail {
			last, mdb = i, 0
		}
		avail = mdb + h.mainDataSize()
		pos += c.frames[i].size
	}
	return last
}

// decodeChunk decodes a chunk and returns the PCM of its own frames. Frames
// whose reservoir is missing (the first warm-up frames, or damage) get their
// side information zeroed: they decode to silence instead of garbage, which
// is what ffmpeg does, and go-mp3 cannot read past its buffers.
func decodeChunk(c *mp3Chunk, first frameHeader) (res chunkResult) {
	decoded := 0
	defer func() {
		if p := recover(); p != nil {
			res = chunkResult{err: c.failure(decoded/(first.samples()*4), fmt.Errorf("decoder panic: %v", p))}
		}
	}()
	starve(c)
	dec, err := mp3.NewDecoder(struct{ io.Reader }{bytes.NewReader(c.data)})
	if err != nil {
		return chunkResult{err: c.failure(0, err)}
	}
	perFrame := first.samples() * 4 // go-mp3 always gives 16-bit stereo
	buf := make([]byte, len(c.frames)*perFrame)
	for decoded < len(buf) {
		n, err := dec.Read(buf[decoded:])
		decoded += n
		if err != nil {
			break
		}
	}
	if decoded < len(buf) {
		return chunkResult{err: c.failure(decoded/perFrame, errors.New("decoder stopped early"))}
	}
	return chunkResult{pcm: toFloat(buf[c.overlap*perFrame:], first.channels())}
}

// starve zeroes the side information of frames go-mp3 would decode from a
// missing reservoir.
func starve(c *mp3Chunk) {
	avail, pos := 0, 0
	for _, fr := range c.frames {
		f := c.data[pos : pos+fr.size]
		h, _ := parseHeader(f)
		mdb := h.mainDataBegin(f)
		if mdb > avail {
			o := h.sideInfoOffset()
			clear(f[o : o+h.sideInfoSize()])
			mdb = 0
		}
		avail = mdb + h.mainDataSize()
		pos += fr.size
	}
}

// failure is the rejection for frame i of the chunk.
func (c *mp3Chunk) failure(i int, err error) error {
	i = min(i, len(c.frames)-1)
	off := c.frames[i].off
	return &Error{Code: CodeCorrupt, Format: FormatMP3, Offset: off,
		Detail: fmt.Sprintf("the frame at byte %d cannot be decoded", off), Err: err}
}

// toFloat converts go-mp3's 16-bit stereo to float32 with the source's
// channel count (a mono source comes back as two equal channels).
func toFloat(b []byte, channels int) []float32 {
	frames := len(b) / 4
	out := make([]float32, frames*channels)
	const scale = 1.0 / 32768
	if channels == 1 {
		for i := range frames {
			out[i] = float32(int16(uint16(b[4*i])|uint16(b[4*i+1])<<8)) * scale
		}
		return out
	}
	for i := range out {
		out[i] = float32(int16(uint16(b[2*i])|uint16(b[2*i+1])<<8)) * scale
	}
	return out
}
