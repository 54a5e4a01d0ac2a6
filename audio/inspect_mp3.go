package audio

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
)

// inspectMP3 scans and decodes the MP3 stream at sn.pos.
func inspectMP3(ctx context.Context, r *bufio.Reader, ra io.ReaderAt, size int64, sn sniffed, opts Options) (Analysis, error) {
	end, err := audioEnd(ra, size)
	if err != nil {
		return Analysis{}, fmt.Errorf("inspect mp3: %w", err)
	}
	sc, err := newMP3Scanner(r, sn.pos, end, sn.first)
	if err != nil {
		return Analysis{}, err
	}
	rate, channels := sn.first.sampleRate, sn.first.channels()
	m := NewMeter(rate, channels)
	tr := newTrimmer(sc.xing, sn.first, channels)
	st, err := decodeMP3(ctx, sc, opts.Workers, 0, func(pcm []float32) { m.Write(tr.trim(pcm)) })
	if err != nil {
		return Analysis{}, err
	}
	if err := checkFrameCount(sc, st); err != nil {
		return Analysis{}, err
	}
	if st.frames == 0 {
		return Analysis{}, reject(CodeNoAudio, FormatMP3, sn.pos, "no audio frames after the tag frame")
	}
	a := Analysis{Format: FormatMP3, SampleRate: rate, Channels: channels}
	a.measured(m.Result(), rate)
	seconds := float64(st.frames) * float64(sn.first.samples()) / float64(rate)
	a.BitrateKbps = int(math.Round(float64(st.bytes) * 8 / seconds / 1000))
	if st.junk > 0 {
		a.Warnings = append(a.Warnings, Warning{Code: WarnTrailingJunk, Value: float64(st.junk),
			Message: fmt.Sprintf("%d bytes of non-audio data after the last frame (from byte %d) were ignored", st.junk, st.junkAt)})
	}
	return a, nil
}

// checkFrameCount compares the frames found with what the Xing/Info or VBRI
// tag promised: fewer means the file was cut short.
func checkFrameCount(sc *mp3Scanner, st mp3Stream) error {
	if sc.xing.frames > 0 && st.frames < sc.xing.frames {
		return reject(CodeTruncated, FormatMP3, sc.pos,
			"the %s header promises %d frames but the file ends after %d (at byte %d)", sc.xing.tag, sc.xing.frames, st.frames, sc.pos)
	}
	return nil
}

// trimmer cuts the decoded stream to the gapless signal: it drops the
// encoder delay plus the decoder's 529 samples at the start and the
// encoder padding at the end, as ffmpeg does when a LAME tag says so.
type trimmer struct {
	skip     int64 // frames still to drop at the start
	left     int64 // frames still to keep; -1 means all
	channels int
}

func newTrimmer(x xingInfo, first frameHeader, channels int) *trimmer {
	t := &trimmer{left: -1, channels: channels}
	if !x.lame {
		return t
	}
	t.skip = int64(x.delay + decoderDelay)
	if x.frames > 0 {
		t.left = gaplessSamples(x, x.frames*int64(first.samples()))
	}
	return t
}

func (t *trimmer) trim(pcm []float32) []float32 {
	n := int64(len(pcm) / t.channels)
	d := min(t.skip, n)
	t.skip -= d
	pcm = pcm[d*int64(t.channels):]
	n -= d
	if t.left >= 0 {
		n = min(n, t.left)
		t.left -= n
	}
	return pcm[:n*int64(t.channels)]
}
