// Copyright 2017 Hajime Hoshi
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

package mp3

import (
	"errors"
	"io"

	"loa/audio/internal/mp3/internal/consts"
	"loa/audio/internal/mp3/internal/frame"
	"loa/audio/internal/mp3/internal/frameheader"
)

// A Decoder is a MP3-decoded stream.
//
// Decoder decodes its underlying source on the fly. Loa: it gives float
// samples of the source's channels, not clipped, instead of 16-bit stereo;
// positions and lengths count sample frames (one sample per channel).
type Decoder struct {
	source         *source
	sampleRate     int
	channels       int
	length         int64 // sample frames; invalidLength until known
	frameStarts    []int64
	buf            []float32
	tmp            []float32
	frame          *frame.Frame
	pos            int64 // sample frames
	framesPerFrame int64 // sample frames per MP3 frame
}

func (d *Decoder) readFrame() error {
	var err error
	d.frame, _, err = frame.Read(d.source, d.source.pos, d.frame)
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		if _, ok := err.(*consts.UnexpectedEOF); ok {
			// TODO: Log here?
			return io.EOF
		}
		return err
	}
	if d.channels == 0 {
		d.channels = d.frame.NumberOfChannels()
	}
	if d.frame.NumberOfChannels() == d.channels {
		d.buf = d.frame.Decode(d.buf)
		return nil
	}
	// Loa: a stream whose channel count changes (files joined end to end)
	// keeps the first frame's count: stereo is averaged, mono doubled.
	d.tmp = d.frame.Decode(d.tmp[:0])
	if d.channels == 1 {
		for i := 0; i+1 < len(d.tmp); i += 2 {
			d.buf = append(d.buf, (d.tmp[i]+d.tmp[i+1])/2)
		}
		return nil
	}
	for _, v := range d.tmp {
		d.buf = append(d.buf, v, v)
	}
	return nil
}

// ReadFloat fills dst with interleaved samples of Channels() channels, at
// full scale ±1 and not clipped, and returns how many values it wrote (a
// multiple of Channels() when len(dst) is). It returns io.EOF at the end.
func (d *Decoder) ReadFloat(dst []float32) (int, error) {
	for len(d.buf) == 0 {
		d.buf = d.buf[:0]
		if err := d.readFrame(); err != nil {
			return 0, err
		}
	}
	n := copy(dst, d.buf)
	d.buf = d.buf[n:]
	d.pos += int64(n / d.channels)
	return n, nil
}

// Seek moves to a sample frame: offset counts sample frames, as Position
// and Length do.
//
// Seek returns an error when the underlying source is not io.Seeker.
func (d *Decoder) Seek(offset int64, whence int) (int64, error) {
	if offset == 0 && whence == io.SeekCurrent {
		// Handle the special case of asking for the current position specially.
		return d.pos, nil
	}

	npos := int64(0)
	switch whence {
	case io.SeekStart:
		npos = offset
	case io.SeekCurrent:
		npos = d.pos + offset
	case io.SeekEnd:
		npos = d.Length() + offset
	default:
		return 0, errors.New("mp3: invalid whence")
	}
	if npos < 0 || d.framesPerFrame == 0 || npos/d.framesPerFrame >= int64(len(d.frameStarts)) {
		return 0, errors.New("mp3: seek out of range")
	}
	d.pos = npos
	d.buf = d.buf[:0]
	d.frame = nil
	f := d.pos / d.framesPerFrame
	skip := d.pos % d.framesPerFrame
	// If the frame is not first, read the previous ahead of reading that
	// because the previous frame can affect the targeted frame.
	if f > 0 {
		f--
		skip += d.framesPerFrame
	}
	if _, err := d.source.Seek(d.frameStarts[f], 0); err != nil {
		return 0, err
	}
	for range 2 {
		if err := d.readFrame(); err != nil && err != io.EOF {
			return 0, err
		}
	}
	d.buf = d.buf[min(int64(len(d.buf)), skip*int64(d.channels)):]
	return npos, nil
}

// SampleRate returns the sample rate like 44100.
//
// Note that the sample rate is retrieved from the first frame.
func (d *Decoder) SampleRate() int {
	return d.sampleRate
}

// Channels is the source's channel count (1 or 2), from the first frame.
func (d *Decoder) Channels() int {
	return d.channels
}

func (d *Decoder) ensureFrameStartsAndLength() error {
	if d.length != invalidLength {
		return nil
	}

	if _, ok := d.source.reader.(io.Seeker); !ok {
		return nil
	}

	// Keep the current position.
	pos, err := d.source.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if err := d.source.rewind(); err != nil {
		return err
	}

	if err := d.source.skipTags(); err != nil {
		return err
	}
	l := int64(0)
	for {
		h, pos, err := frameheader.Read(d.source, d.source.pos)
		if err != nil {
			if err == io.EOF {
				break
			}
			if _, ok := err.(*consts.UnexpectedEOF); ok {
				// TODO: Log here?
				break
			}
			return err
		}
		d.frameStarts = append(d.frameStarts, pos)
		d.framesPerFrame = int64(consts.SamplesPerGr * h.Granules())
		l += d.framesPerFrame

		framesize, err := h.FrameSize()
		if err != nil {
			return err
		}
		buf := make([]byte, framesize-4)
		if _, err := d.source.ReadFull(buf); err != nil {
			if err == io.EOF {
				break
			}
			return err
		}
	}
	d.length = l

	if _, err := d.source.Seek(pos, io.SeekStart); err != nil {
		return err
	}
	return nil
}

const invalidLength = -1

// Length returns the total number of sample frames.
//
// Length returns -1 when the total size is not available
// e.g. when the given source is not io.Seeker.
func (d *Decoder) Length() int64 {
	return d.length
}

// NewDecoder decodes the given io.Reader and returns a decoded stream.
func NewDecoder(r io.Reader) (*Decoder, error) {
	s := &source{
		reader: r,
	}
	d := &Decoder{
		source: s,
		length: invalidLength,
	}

	if err := s.skipTags(); err != nil {
		return nil, err
	}
	// TODO: Is readFrame here really needed?
	if err := d.readFrame(); err != nil {
		return nil, err
	}
	freq, err := d.frame.SamplingFrequency()
	if err != nil {
		return nil, err
	}
	d.sampleRate = freq

	if err := d.ensureFrameStartsAndLength(); err != nil {
		return nil, err
	}

	return d, nil
}
