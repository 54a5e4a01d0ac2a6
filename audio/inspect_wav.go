package audio

import (
	"bufio"
	"context"
	"math"
)

// inspectWAV parses the header and decodes every sample.
func inspectWAV(ctx context.Context, r *bufio.Reader, size int64) (Analysis, error) {
	d, err := readWAVHeader(r, size)
	if err != nil {
		return Analysis{}, err
	}
	f := d.format
	m := NewMeter(f.sampleRate, f.channels)
	if err := decodeWAV(ctx, r, d, m.Write); err != nil {
		return Analysis{}, err
	}
	a := Analysis{Format: FormatWAV, SampleRate: f.sampleRate, Channels: f.channels,
		BitrateKbps: int(math.Round(float64(f.sampleRate*f.blockAlign*8) / 1000))}
	a.measured(m.Result(), f.sampleRate)
	return a, nil
}
