package audio

import "math"

// K-weighting (ITU-R BS.1770-4): a high shelf (+4 dB above ~1.7 kHz, the
// head's acoustic effect) followed by a high pass (the RLB curve, ~38 Hz).
// BS.1770 tabulates the coefficients for 48 kHz only; like libebur128 (and
// ffmpeg's ebur128 filter, which uses the same design) we derive them for
// any rate from the analog prototypes with the bilinear transform, which
// reproduces the tabulated 48 kHz values to about 1e-9.

// biquad is one second-order section in direct form I: y = b·x − a·y.
// The high pass's numerator is always (1, −2, 1), so the loops below write
// it out as additions.
// Direct form I keeps the feedback chain at one multiply and one subtract
// per sample and behaves well in float64 at 192 kHz, where the high pass
// poles sit very close to 1.
type biquad struct {
	b0, b1, b2, a1, a2 float64
}

// kweight is one channel's filter state: the input and the outputs of the
// two sections over the last two samples.
type kweight struct {
	shelf, highPass biquad
	x1, x2          float64 // input
	y1, y2          float64 // shelf output
	z1, z2          float64 // high-pass output
}

// The analog prototypes, as fitted by libebur128 to the BS.1770 48 kHz
// coefficients.
const (
	shelfF0   = 1681.974450955533
	shelfGain = 3.999843853973347 // dB
	shelfQ    = 0.7071752369554196
	shelfVbEx = 0.4996667741545416
	rlbF0     = 38.13547087602444
	rlbQ      = 0.5003270373238773
)

func newKWeight(sampleRate int) kweight {
	fs := float64(sampleRate)

	k := math.Tan(math.Pi * shelfF0 / fs)
	vh := math.Pow(10, shelfGain/20)
	vb := math.Pow(vh, shelfVbEx)
	a0 := 1 + k/shelfQ + k*k
	shelf := biquad{
		b0: (vh + vb*k/shelfQ + k*k) / a0,
		b1: 2 * (k*k - vh) / a0,
		b2: (vh - vb*k/shelfQ + k*k) / a0,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/shelfQ + k*k) / a0,
	}

	k = math.Tan(math.Pi * rlbF0 / fs)
	a0 = 1 + k/rlbQ + k*k
	highPass := biquad{
		b0: 1, b1: -2, b2: 1, // unnormalised, as in libebur128; the loops rely on it
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/rlbQ + k*k) / a0,
	}
	return kweight{shelf: shelf, highPass: highPass}
}

// filter K-weights x and returns the sum of squares of the result.
func (w *kweight) filter(x []float64) float64 {
	s, h := w.shelf, w.highPass
	x1, x2, y1, y2, z1, z2 := w.x1, w.x2, w.y1, w.y2, w.z1, w.z2
	var sum float64
	for _, x0 := range x {
		y0 := (s.b0*x0 + s.b1*x1 + s.b2*x2 - s.a2*y2) - s.a1*y1
		z0 := ((y0 + y2) - (y1 + y1) - h.a2*z2) - h.a1*z1
		sum += z0 * z0
		x2, x1 = x1, x0
		y2, y1 = y1, y0
		z2, z1 = z1, z0
	}
	w.x1, w.x2, w.y1, w.y2, w.z1, w.z2 = x1, x2, y1, y2, z1, z2
	return sum
}

// kweightPair filters two channels of equal length in one loop: the two
// independent feedback chains then run side by side in the CPU, which
// nearly halves the time per sample against two separate loops.
func kweightPair(w0, w1 *kweight, x0s, x1s []float64) (sum0, sum1 float64) {
	s, h := w0.shelf, w0.highPass // every channel has the same coefficients
	ax1, ax2, ay1, ay2, az1, az2 := w0.x1, w0.x2, w0.y1, w0.y2, w0.z1, w0.z2
	bx1, bx2, by1, by2, bz1, bz2 := w1.x1, w1.x2, w1.y1, w1.y2, w1.z1, w1.z2
	x1s = x1s[:len(x0s)]
	for i, ax0 := range x0s {
		bx0 := x1s[i]
		ay0 := (s.b0*ax0 + s.b1*ax1 + s.b2*ax2 - s.a2*ay2) - s.a1*ay1
		by0 := (s.b0*bx0 + s.b1*bx1 + s.b2*bx2 - s.a2*by2) - s.a1*by1
		az0 := ((ay0 + ay2) - (ay1 + ay1) - h.a2*az2) - h.a1*az1
		bz0 := ((by0 + by2) - (by1 + by1) - h.a2*bz2) - h.a1*bz1
		sum0 += az0 * az0
		sum1 += bz0 * bz0
		ax2, ax1, ay2, ay1, az2, az1 = ax1, ax0, ay1, ay0, az1, az0
		bx2, bx1, by2, by1, bz2, bz1 = bx1, bx0, by1, by0, bz1, bz0
	}
	w0.x1, w0.x2, w0.y1, w0.y2, w0.z1, w0.z2 = ax1, ax2, ay1, ay2, az1, az2
	w1.x1, w1.x2, w1.y1, w1.y2, w1.z1, w1.z2 = bx1, bx2, by1, by2, bz1, bz2
	return sum0, sum1
}

// flushTiny zeroes a decaying state before it reaches the subnormal range,
// where x86 arithmetic becomes a hundred times slower (a few seconds of
// digital silence after a sound would otherwise get there). Each section
// decays at its own pace, so each is flushed on its own. 1e-30 is −600 dB: no
// measurement can see it, and a pass is far too short to decay from there
// to subnormals (~1e-308).
func (w *kweight) flushTiny() {
	const tiny = 1e-30
	if math.Abs(w.y1) < tiny && math.Abs(w.y2) < tiny {
		w.y1, w.y2 = 0, 0
	}
	if math.Abs(w.z1) < tiny && math.Abs(w.z2) < tiny {
		w.z1, w.z2 = 0, 0
	}
}
