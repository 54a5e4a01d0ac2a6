package audio

import "math"

// Gated integration (ITU-R BS.1770-4 §2.8, EBU R128): the K-weighted mean
// square of each channel is taken over 400 ms blocks overlapping by 75 %,
// that is every 100 ms sub-block; blocks at or below −70 LUFS are dropped
// (absolute gate), then blocks at or below the mean of the rest minus 10 LU
// (relative gate); the loudness is that of the mean of what remains.
//
// Keeping every block would make Write allocate on long files, so blocks go
// into a histogram of 0.01 LU bins that keeps, per bin, the count and the
// exact sum of block energies: sums are exact, and only blocks in the one
// bin that straddles the relative gate can be misjudged, by under 0.01 LU.
// (ffmpeg's ebur128 uses the same 0.01 LU grain but sums bin midpoints.)

const (
	absoluteGate = -70.0 // LUFS
	relativeGate = -10.0 // LU below the absolutely gated mean
	histTop      = 30.0  // LUFS; louder blocks (impossible in [−1, 1]) go in the last bin
	histGrain    = 100   // bins per LU
	histBins     = int(histTop-absoluteGate) * histGrain
)

// loudness accumulates sub-block energies and gates the resulting blocks.
type loudness struct {
	weights []float64 // per channel (BS.1770-4 Table 3)
	sub     int       // frames per 100 ms sub-block
	fill    int       // frames in the current sub-block
	energy  []float64 // per channel: sum of squares in the current sub-block

	recent [4]float64 // weighted energies of the last four sub-blocks
	subs   int64      // completed sub-blocks

	count []int64   // per bin: blocks
	sum   []float64 // per bin: sum of block mean squares
}

func newLoudness(sampleRate, channels int) loudness {
	return loudness{
		weights: channelWeights(channels),
		sub:     (sampleRate + 5) / 10, // as libebur128 and ffmpeg round it
		energy:  make([]float64, channels),
		count:   make([]int64, histBins),
		sum:     make([]float64, histBins),
	}
}

// channelWeights follows libebur128's default map for interleaved WAV/SMPTE
// order: L, R, C weigh 1, the surrounds 1.41 (+1.5 dB), LFE nothing. Four
// channels are L R Ls Rs, five L R C Ls Rs, six or more L R C LFE Ls Rs and
// then unweighted extras, which are ignored as libebur128 does. Mono is one
// channel of weight 1, so a mono file reads 3 LU below the same signal on
// two channels, as it sounds from one loudspeaker.
func channelWeights(channels int) []float64 {
	const surround = 1.41
	w := make([]float64, channels)
	switch channels {
	case 4:
		copy(w, []float64{1, 1, surround, surround})
	case 5:
		copy(w, []float64{1, 1, 1, surround, surround})
	default:
		copy(w, []float64{1, 1, 1, 0, surround, surround})
	}
	return w
}

// room is how many frames the current sub-block still takes.
func (l *loudness) room() int { return l.sub - l.fill }

// add adds a channel's sum of squares over the frames of the current pass.
func (l *loudness) add(channel int, sumSquares float64) {
	l.energy[channel] += sumSquares
}

// advance records that n frames were added; at the end of a sub-block it
// closes the 400 ms block ending there.
func (l *loudness) advance(n int) {
	l.fill += n
	if l.fill < l.sub {
		return
	}
	var e float64
	for c, s := range l.energy {
		e += l.weights[c] * s
		l.energy[c] = 0
	}
	l.recent[l.subs%4] = e
	l.subs++
	l.fill = 0
	if l.subs >= 4 {
		block := (l.recent[0] + l.recent[1] + l.recent[2] + l.recent[3]) / float64(4*l.sub)
		l.addBlock(block)
	}
}

// blockLoudness converts a weighted mean square to LUFS.
func blockLoudness(meanSquare float64) float64 {
	return -0.691 + 10*math.Log10(meanSquare)
}

func (l *loudness) addBlock(meanSquare float64) {
	lufs := blockLoudness(meanSquare)
	if !(lufs > absoluteGate) { // also drops NaN from non-finite input
		return
	}
	bin := min(int((lufs-absoluteGate)*histGrain), histBins-1)
	l.count[bin]++
	l.sum[bin] += meanSquare
}

// integrated returns the gated loudness, false when no block passes the gates.
func (l *loudness) integrated() (float64, bool) {
	var n int64
	var e float64
	for i, c := range l.count {
		n += c
		e += l.sum[i]
	}
	if n == 0 {
		return 0, false
	}
	gate := blockLoudness(e/float64(n)) + relativeGate
	first := max(int((gate-absoluteGate)*histGrain), 0)
	n, e = 0, 0
	for i := first; i < histBins; i++ {
		c := l.count[i]
		if c == 0 {
			continue
		}
		if i == first && !(blockLoudness(l.sum[i]/float64(c)) > gate) {
			continue // the straddling bin, judged by its mean
		}
		n += c
		e += l.sum[i]
	}
	if n == 0 {
		return 0, false
	}
	return blockLoudness(e / float64(n)), true
}
