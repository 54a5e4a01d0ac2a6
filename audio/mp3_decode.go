package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"

	"golang.org/x/sync/errgroup"

	"loa/audio/internal/mp3"
)

// Parallel MP3 decoding. The scanner cuts the stream into chunks of frames;
// workers decode chunks with our fork of go-mp3 (internal/mp3) at the same
// time; one goroutine takes
// the PCM back in file order and feeds the meter. Layer III frames are not
// independent: a frame's main data may start up to 511 bytes back in the
// frames before it (the bit reservoir), and the IMDCT overlap and the
// synthesis filterbank carry state from frame to frame. So every chunk but
// the first starts with
//
//   - a carrier frame we build: silent side information, and the reservoir
//     bytes the next frame needs at the end of its main data;
//   - the last warmupFrames frames of the previous chunk, which bring the
//     filterbank state back;
//
// all decoded and thrown away. The output then equals a sequential decode
// bit for bit (TestParallelDecodeIsExact).

const (
	chunkFrames  = 192 // frames a worker decodes at once (~5 s at 44.1 kHz)
	warmupFrames = 2   // MPEG-2 has one granule per frame and needs both
	maxFrameSize = 2881
	maxReservoir = 511
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

// produceChunks reads frames and hands out chunks.
func produceChunks(ctx context.Context, sc *mp3Scanner, chunk int, jobs, order chan<- *mp3Chunk) (mp3Stream, error) {
	var cur *mp3Chunk
	var w warmState
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
		cur = nil
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
			cur = w.startChunk(sc.first, chunk)
		}
		cur.frames = append(cur.frames, chunkFrame{off: f.off, size: len(f.data)})
		cur.data = append(cur.data, f.data...)
		w.add(f)
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

// warmState remembers what a chunk needs from before its start: the last
// frames and go-mp3's view of the main-data stream (the reservoir).
type warmState struct {
	md     []byte // main data of the frames so far, the last few KB
	last   [warmupFrames]frameCopy
	frames int
}

type frameCopy struct {
	off  int64
	n    int // bytes in data
	md   int // of which main data (as go-mp3 counts it)
	data [maxFrameSize]byte
}

func (w *warmState) add(f mp3Frame) {
	copy(w.last[:], w.last[1:])
	c := &w.last[warmupFrames-1]
	c.off, c.n = f.off, copy(c.data[:], f.data)
	o := f.h.sideInfoOffset() + f.h.sideInfoSize()
	md := f.data[min(o, len(f.data)):min(o+f.h.mainDataSize(), len(f.data))]
	c.md = len(md)
	if len(w.md) > 4*maxFrameSize {
		w.md = append(w.md[:0], w.md[len(w.md)-2*maxFrameSize:]...)
	}
	w.md = append(w.md, md...)
	w.frames++
}

// startChunk begins a chunk: carrier and warm-up frames, unless the
// stream is just starting.
func (w *warmState) startChunk(first frameHeader, chunk int) *mp3Chunk {
	c := &mp3Chunk{
		data:   make([]byte, 0, (chunk+warmupFrames+1)*first.size()*11/10),
		frames: make([]chunkFrame, 0, chunk+warmupFrames+1),
		done:   make(chan chunkResult, 1),
	}
	k := min(w.frames, warmupFrames)
	if k == 0 {
		return c
	}
	warm := w.last[warmupFrames-k:]
	res := len(w.md)
	for i := range warm {
		res -= warm[i].md
	}
	carrier := carrierFrame(first, w.md[max(0, res-maxReservoir):res])
	c.data = append(c.data, carrier...)
	c.frames = append(c.frames, chunkFrame{off: warm[0].off, size: len(carrier)})
	for i := range warm {
		c.data = append(c.data, warm[i].data[:warm[i].n]...)
		c.frames = append(c.frames, chunkFrame{off: warm[i].off, size: warm[i].n})
	}
	c.overlap = len(c.frames)
	return c
}

// carrierFrame builds a frame of the stream's kind that decodes to silence
// and whose main data ends with res, so that the frame after it finds its
// reservoir. It has the highest bitrate, so room for any reservoir.
func carrierFrame(first frameHeader, res []byte) []byte {
	// Bitrate index 14, no padding, no CRC, no intensity/M-S stereo.
	raw := first.raw&^(0xF<<12|1<<9|0x30) | 14<<12 | 1<<16
	b := []byte{byte(raw >> 24), byte(raw >> 16), byte(raw >> 8), byte(raw)}
	h, _ := parseHeader(b)
	f := make([]byte, h.size())
	copy(f, b)
	mdEnd := h.sideInfoOffset() + h.sideInfoSize() + h.mainDataSize()
	res = res[max(0, len(res)-h.mainDataSize()):] // MPEG-2 reaches back only 255 bytes
	copy(f[mdEnd-len(res):mdEnd], res)
	return f
}

// decodeChunk decodes a chunk and returns the PCM of its own frames. Frames
// whose reservoir is missing (the first warm-up frames, or damage) get their
// side information zeroed: they decode to silence instead of garbage, which
// is what ffmpeg does, and go-mp3 cannot read past its buffers.
func decodeChunk(c *mp3Chunk, first frameHeader) (res chunkResult) {
	decoded := 0
	defer func() {
		if p := recover(); p != nil {
			res = chunkResult{err: c.failure(decoded/(first.samples()*first.channels()), fmt.Errorf("decoder panic: %v", p))}
		}
	}()
	starve(c)
	dec, err := mp3.NewDecoder(struct{ io.Reader }{bytes.NewReader(c.data)})
	if err != nil {
		return chunkResult{err: c.failure(0, err)}
	}
	perFrame := first.samples() * first.channels()
	buf := make([]float32, len(c.frames)*perFrame)
	for decoded < len(buf) {
		n, err := dec.ReadFloat(buf[decoded:])
		decoded += n
		if err != nil {
			break
		}
	}
	if decoded < len(buf) {
		return chunkResult{err: c.failure(decoded/perFrame, errors.New("decoder stopped early"))}
	}
	return chunkResult{pcm: buf[c.overlap*perFrame:]}
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
			f[3] &^= 0x30 // and no joint stereo to apply to nothing
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
