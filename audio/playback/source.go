package playback

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/wav"
)

// Item is one thing to play.
type Item struct {
	Name     string
	Path     string
	Planned  time.Time     // the instant it should start; zero when unscheduled
	CueIn    time.Duration // skipped at the start
	CueOut   time.Duration // end point in the file; 0: the end of the file
	Duration time.Duration // the most it may play; 0: no limit
	GainDB   float64       // loudness normalisation from the server's analysis
	Volume   float64       // station volume, 0–1 (0 is taken as 1)
}

// ErrFormat means the file is neither a decodable MP3 nor a PCM WAV.
var ErrFormat = errors.New("unsupported audio format")

// bufFile is a file read through a buffer that can still seek: the MP3
// decoder reads with tiny reads, and needs Seek to know the length.
type bufFile struct {
	f *os.File
	r *bufio.Reader
}

func (b *bufFile) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *bufFile) Close() error               { return b.f.Close() }

func (b *bufFile) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekCurrent {
		off -= int64(b.r.Buffered())
	}
	pos, err := b.f.Seek(off, whence)
	b.r.Reset(b.f)
	return pos, err
}

// decode opens path as MP3 or WAV (by its first bytes). The MP3 decoder
// reads an *os.File with tiny reads, so it gets a bufio.Reader.
func decode(path string) (s beep.StreamSeekCloser, f beep.Format, err error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, f, err
	}
	head := make([]byte, 4)
	if _, err := io.ReadFull(file, head); err != nil {
		file.Close()
		return nil, f, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		file.Close()
		return nil, f, err
	}
	defer func() { // a decoder may panic on corrupt input
		if r := recover(); r != nil {
			file.Close()
			s, err = nil, fmt.Errorf("%w: decoder panic: %v", ErrFormat, r)
		}
	}()
	if bytes.Equal(head, []byte("RIFF")) {
		s, f, err = wav.Decode(file)
	} else {
		s, f, err = newMP3Source(&bufFile{file, bufio.NewReaderSize(file, 32<<10)}, file)
	}
	if err != nil {
		file.Close()
		return nil, f, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return s, f, nil
}

// chain is the item's stream at the output rate, with its length in output
// frames when known (-1 otherwise).
type chain struct {
	src    Stream
	s      beep.Streamer
	frames int64
	gain   float64
}

func openChain(it Item, rate int) (*chain, error) {
	src, format, err := decode(it.Path)
	if err != nil {
		return nil, err
	}
	sr := format.SampleRate
	skip := sr.N(it.CueIn)
	if err := discard(src, skip); err != nil {
		src.Close()
		return nil, err
	}
	frames := int64(src.Len() - skip)
	if it.CueOut > 0 {
		frames = min(frames, int64(sr.N(it.CueOut-it.CueIn)))
	}
	if it.Duration > 0 {
		frames = min(frames, int64(sr.N(it.Duration)))
	}
	return newChain(it, src, sr, frames, rate), nil
}

// newChain takes frames (at the source's rate sr) of src, resampled to rate,
// with the item's gain and volume.
func newChain(it Item, src Stream, sr beep.SampleRate, frames int64, rate int) *chain {
	var s beep.Streamer = beep.Take(int(max(frames, 0)), src)
	if int(sr) != rate {
		s = beep.Resample(3, sr, beep.SampleRate(rate), s)
		frames = frames * int64(rate) / int64(sr)
	}
	vol := it.Volume
	if vol <= 0 || vol > 1 {
		vol = 1
	}
	return &chain{src: src, s: s, frames: frames, gain: vol * math.Pow(10, it.GainDB/20)}
}

func discard(s beep.Streamer, n int) error {
	buf := make([][2]float64, 1024)
	for n > 0 {
		k, ok := s.Stream(buf[:min(n, len(buf))])
		n -= k
		if !ok {
			return fmt.Errorf("cue in beyond the end of the audio")
		}
	}
	return nil
}
