package playback

import (
	"fmt"
	"io"

	"github.com/gopxl/beep/v2"

	"loa/audio/internal/mp3"
)

// mp3Source streams an MP3 through audio's decoder (the fork of go-mp3 the
// fidelity test holds to ffmpeg): float samples with no clipping, so the
// gain stage and the limiter, not the decoder, decide what reaches the
// output. A decoder panic (corrupt input) ends the stream with an ErrFormat
// error.
type mp3Source struct {
	d   *mp3.Decoder
	c   io.Closer
	buf []float32
	err error
}

// newMP3Source reads up to the first frame; with a seekable r it also
// scans the file for its length.
func newMP3Source(r io.Reader, c io.Closer) (s *mp3Source, f beep.Format, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("%w: decoder panic: %v", ErrFormat, p)
		}
	}()
	d, err := mp3.NewDecoder(r)
	if err != nil {
		return nil, f, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return &mp3Source{d: d, c: c}, beep.Format{SampleRate: beep.SampleRate(d.SampleRate()), NumChannels: 2, Precision: 2}, nil
}

func (s *mp3Source) Stream(samples [][2]float64) (n int, ok bool) {
	if s.err != nil {
		return 0, false
	}
	defer func() {
		if p := recover(); p != nil {
			s.err = fmt.Errorf("%w: decoder panic: %v", ErrFormat, p)
			n, ok = 0, false
		}
	}()
	ch := s.d.Channels()
	if need := len(samples) * ch; cap(s.buf) < need {
		s.buf = make([]float32, need)
	}
	for n < len(samples) {
		k, err := s.d.ReadFloat(s.buf[:(len(samples)-n)*ch])
		for i := range k / ch {
			l, r := float64(s.buf[i*ch]), float64(s.buf[i*ch+ch-1])
			samples[n+i] = [2]float64{l, r}
		}
		n += k / ch
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			break
		}
	}
	return n, n > 0
}

func (s *mp3Source) Err() error    { return s.err }
func (s *mp3Source) Close() error  { return s.c.Close() }
func (s *mp3Source) Len() int      { return int(s.d.Length()) }
func (s *mp3Source) Position() int { p, _ := s.d.Seek(0, io.SeekCurrent); return int(p) }

func (s *mp3Source) Seek(p int) error {
	_, err := s.d.Seek(int64(p), io.SeekStart)
	return err
}
