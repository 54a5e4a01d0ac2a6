package audio

import (
	"bufio"
	"errors"
	"io"
	"time"
)

// MP3Info is what ScanMP3 learns about an MP3 without decoding it.
type MP3Info struct {
	SampleRate     int
	Channels       int
	Frames         int64  // audio frames (the tag frame not counted)
	Samples        int64  // gapless PCM frames, as ffmpeg decodes them
	EncoderDelay   int    // from the LAME tag, samples
	EncoderPadding int    // from the LAME tag, samples
	Tag            string // "Xing", "Info", "VBRI" or "" when there is none
	Duration       time.Duration
}

// ScanMP3 measures the MP3 in r (size bytes) from its frame headers alone.
// When the first frame is a Xing/Info/VBRI tag with a frame count it reads
// only the start and the end of the file; otherwise it walks every frame
// header. It does not validate the audio: Inspect does.
func ScanMP3(r io.ReaderAt, size int64) (MP3Info, error) {
	if size == 0 {
		return MP3Info{}, reject(CodeEmpty, "", -1, "the file is empty")
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 128<<10)
	sn, err := sniff(br, size)
	if err != nil {
		return MP3Info{}, err
	}
	if sn.format != FormatMP3 {
		return MP3Info{}, reject(CodeUnsupportedFormat, sn.format, -1, "not an MP3 stream the decoder reads")
	}
	end, err := audioEnd(r, size)
	if err != nil {
		return MP3Info{}, err
	}
	sc, err := newMP3Scanner(br, sn.pos, end, sn.first)
	if err != nil {
		return MP3Info{}, err
	}
	frames := sc.xing.frames
	if frames == 0 {
		frames, err = countFramesFast(r, sc.pos, end, sn.first)
	}
	if frames == 0 && err == nil { // something unusual on the way: walk carefully
		sc.r = bufio.NewReaderSize(io.NewSectionReader(r, sc.pos, size-sc.pos), 1<<20)
		if frames, err = countFrames(sc); err != nil {
			return MP3Info{}, err
		}
	}
	if err != nil {
		return MP3Info{}, err
	}
	return mp3Info(sn.first, sc.xing, frames), nil
}

// countFramesFast hops from header to header through big blocks of r. It
// returns 0 (and no error) at the first thing that is not a frame of the
// stream before end, for countFrames to look at.
func countFramesFast(r io.ReaderAt, pos, end int64, first frameHeader) (int64, error) {
	buf := make([]byte, 1<<20)
	var frames int64
	for pos < end {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), end-pos)], pos)
		if n < 4 {
			if err == nil || errors.Is(err, io.EOF) {
				return 0, nil
			}
			return 0, err
		}
		i := 0
		for i+4 <= n {
			h, ok := parseHeader(buf[i:])
			if !ok || !h.compatible(first) || h.bitrate == 0 {
				return 0, nil
			}
			i += h.size()
			frames++
		}
		pos += int64(i)
		if i > n && pos > end {
			return 0, nil // the last frame runs past the end
		}
	}
	return frames, nil
}

func countFrames(sc *mp3Scanner) (int64, error) {
	for {
		if _, err := sc.next(); errors.Is(err, io.EOF) {
			return sc.frames, nil
		} else if err != nil {
			return 0, err
		}
	}
}

func mp3Info(h frameHeader, x xingInfo, frames int64) MP3Info {
	info := MP3Info{SampleRate: h.sampleRate, Channels: h.channels(), Frames: frames, Tag: x.tag}
	info.Samples = gaplessSamples(x, frames*int64(h.samples()))
	if x.lame {
		info.EncoderDelay, info.EncoderPadding = x.delay, x.padding
	}
	info.Duration = time.Duration(info.Samples) * time.Second / time.Duration(h.sampleRate)
	return info
}

// gaplessSamples is how many samples of decoded (total) remain once the
// LAME delay, the decoder delay and the padding are cut, as ffmpeg cuts
// them: the padding only when the tag also gives the frame count.
func gaplessSamples(x xingInfo, total int64) int64 {
	if !x.lame {
		return total
	}
	n := total - int64(x.delay) - decoderDelay
	if x.frames > 0 {
		n = min(n, total-int64(x.delay)-int64(x.padding))
	}
	return max(n, 0)
}
