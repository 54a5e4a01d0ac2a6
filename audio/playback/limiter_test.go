package playback

import (
	"math"
	"testing"
)

// Under the ceiling the limiter only delays; over it, no sample passes the
// ceiling, and the peaks still reach it.
func TestLimiter(t *testing.T) {
	t.Parallel()
	const rate = 44100
	for _, amp := range []float64{0.5, 2.5} { // −6 dBFS and +8 dBFS peaks
		l := newLimiter(rate)
		in := make([][2]float64, rate) // 1 s of a 440 Hz tone
		for i := range in {
			v := amp * math.Sin(2*math.Pi*440*float64(i)/rate)
			in[i] = [2]float64{v, -v}
		}
		buf := append([][2]float64(nil), in...)
		n := l.process(buf)
		tail := make([][2]float64, l.n)
		out := append(buf[:n], tail[:l.flush(tail)]...)
		if len(out) != len(in) {
			t.Fatalf("amp %v: %d frames out of %d", amp, len(out), len(in))
		}
		ceiling := math.Pow(10, CeilingDBFS/20)
		var peak float64
		for i := range out {
			peak = max(peak, math.Abs(out[i][0]), math.Abs(out[i][1]))
			if amp < ceiling && out[i] != in[i] {
				t.Fatalf("amp %v: frame %d changed from %v to %v", amp, i, in[i], out[i])
			}
		}
		if peak > ceiling+1e-12 {
			t.Errorf("amp %v: peak %.4f over the ceiling %.4f", amp, peak, ceiling)
		}
		if amp > ceiling && peak < 0.99*ceiling {
			t.Errorf("amp %v: peak %.4f, want the ceiling %.4f", amp, peak, ceiling)
		}
	}
}

// BenchmarkLimiter is the limiter's cost per second of 44.1 kHz stereo
// (a tone 8 dB over the ceiling, so it works all the time):
//
//	go test ./audio/playback -run '^$' -bench Limiter
func BenchmarkLimiter(b *testing.B) {
	const rate = 44100
	buf := make([][2]float64, rate)
	for i := range buf {
		v := 2.5 * math.Sin(2*math.Pi*440*float64(i)/rate)
		buf[i] = [2]float64{v, v}
	}
	l := newLimiter(rate)
	work := make([][2]float64, len(buf))
	for b.Loop() {
		copy(work, buf)
		l.process(work)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/s_audio")
}
