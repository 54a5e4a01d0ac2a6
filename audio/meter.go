package audio

// The loudness meter: integrated loudness (ITU-R BS.1770-4 / EBU R128),
// true peak, sample peak and silence of decoded PCM. It only measures: it
// never decodes, resamples or judges (warnings belong to the ingest code).

import (
	"fmt"
	"math"
)

// SilenceThreshold is the level, in dBFS, below which a frame counts as
// silent: every channel's sample magnitude must be below it. −50 dBFS sits
// above the noise floor of phone and studio speech recordings (−60 to
// −75 dBFS, MP3 coding noise included) and below the quietest speech
// (consonants and breath tails are around −40 dBFS), so cue points land on
// the first and last audible sound. 8-bit audio cannot go below −42 dBFS
// except at exact zero; its silence is digital silence only.
const SilenceThreshold = -50.0

// Measurement is what a Meter found in the PCM written to it.
type Measurement struct {
	Frames int64

	// Loudness is the integrated loudness in LUFS. It is meaningful only if
	// HasLoudness: a signal shorter than one 400 ms block, digital silence, or
	// one whose every block is below the −70 LUFS absolute gate has none.
	Loudness    float64
	HasLoudness bool

	// TruePeak (dBTP) is the highest magnitude of the 4× oversampled signal
	// (2× at 96 kHz and above), never below SamplePeak; SamplePeak (dBFS) the
	// highest sample magnitude. Both are the maximum over all channels and
	// math.Inf(-1) for digital silence.
	TruePeak   float64
	SamplePeak float64

	// LeadingSilence and TrailingSilence are the silent frames before the
	// first and after the last frame at or above SilenceThreshold;
	// LongestSilence is the longest silent run between two such frames. A
	// wholly silent signal has Leading = Trailing = Frames and Longest = 0.
	LeadingSilence, TrailingSilence, LongestSilence int64
}

// Meter measures loudness, true peak and silence of interleaved PCM.
// Not safe for concurrent use.
type Meter struct {
	channels int
	frames   int64

	// rows hold the current pass, one channel each, each prefixed by the
	// last group samples of the pass before (the interpolator's history).
	// gmax[c][g] is the largest magnitude in rows[c][g·group : (g+1)·group];
	// true peak and silence use it to skip what cannot matter.
	rows  [][]float64
	gmax  [][]float64
	group int

	kw   []kweight // per channel
	loud loudness
	tp   truePeak
	sil  silence
	peak float64 // highest sample magnitude so far
}

// maxPass bounds the frames handled in one pass, so a pass's rows stay in
// the first-level cache.
const maxPass = 1024

// NewMeter returns a meter for PCM of the given sample rate (Hz) and channel
// count, interleaved in the usual WAV/SMPTE order (L R C LFE Ls Rs). Rates
// from 8 to 192 kHz are what the filters are designed and tested for.
// It panics if either is not positive.
func NewMeter(sampleRate, channels int) *Meter {
	if sampleRate <= 0 || channels <= 0 {
		panic(fmt.Sprintf("audio: NewMeter(%d, %d): sample rate and channels must be positive", sampleRate, channels))
	}
	m := &Meter{
		channels: channels,
		kw:       make([]kweight, channels),
		loud:     newLoudness(sampleRate, channels),
		tp:       newTruePeak(sampleRate),
		sil:      newSilence(),
		rows:     make([][]float64, channels),
		gmax:     make([][]float64, channels),
	}
	m.group = m.tp.group
	for c := range channels {
		m.kw[c] = newKWeight(sampleRate)
		m.rows[c] = make([]float64, m.group+maxPass)
		m.gmax[c] = make([]float64, (m.group+maxPass+m.group-1)/m.group)
	}
	return m
}

// Write measures interleaved samples, nominally in [−1, 1]. It does not
// allocate. It panics if len(samples) is not a multiple of the channel count.
func (m *Meter) Write(samples []float32) {
	ch := m.channels
	if len(samples)%ch != 0 {
		panic(fmt.Sprintf("audio: Meter.Write: %d samples is not a whole number of %d-channel frames", len(samples), ch))
	}
	for len(samples) > 0 {
		n := min(len(samples)/ch, maxPass, m.loud.room())
		m.measurePass(samples[:n*ch], n)
		samples = samples[n*ch:]
	}
}

// measurePass measures n frames that do not cross a 100 ms sub-block.
func (m *Meter) measurePass(samples []float32, n int) {
	h := m.group
	rows := m.rows
	for c := range rows {
		rows[c] = rows[c][:h+n]
	}
	m.peak = max(m.peak, spread(rows, m.gmax, samples, h))
	m.tp.max = max(m.tp.max, m.peak) // branch 0 of the interpolator
	m.sil.scan(rows, m.gmax, h, m.frames)
	for c := 0; c+1 < m.channels; c += 2 {
		e0, e1 := kweightPair(&m.kw[c], &m.kw[c+1], rows[c][h:], rows[c+1][h:])
		m.loud.add(c, e0)
		m.loud.add(c+1, e1)
	}
	if c := m.channels - 1; m.channels%2 == 1 {
		m.loud.add(c, m.kw[c].filter(rows[c][h:]))
	}
	for c, row := range rows {
		m.tp.interpolate(row, m.gmax[c])
		copy(row[:h], row[n:])
		m.kw[c].flushTiny()
	}
	m.frames += int64(n)
	m.loud.advance(n)
}

// spread deinterleaves samples into rows, after the first group entries of
// each (the history), fills gmax with the largest magnitude of every group
// of every row, and returns the largest magnitude among the samples.
// Magnitudes are compared as float32 bit patterns, which order like the
// values once the sign bit is cleared; this keeps the loop free of
// floating-point compares.
func spread(rows, gmax [][]float64, samples []float32, group int) float64 {
	const noSign = 0x7fffffff
	ch := len(rows)
	n := len(samples) / ch
	for c, row := range rows {
		var top float64
		for _, x := range row[:group] {
			top = max(top, math.Abs(x))
		}
		gmax[c][0] = top
	}
	var peak uint32
	for f, g := 0, 1; f < n; f, g = f+group, g+1 {
		k := min(group, n-f)
		if ch == 2 {
			l, r := rows[0][group+f:group+f+k], rows[1][group+f:group+f+k]
			in := samples[2*f : 2*(f+k)]
			var ml, mr uint32
			for i := range l {
				a, b := in[2*i], in[2*i+1]
				l[i], r[i] = float64(a), float64(b)
				ml = max(ml, math.Float32bits(a)&noSign)
				mr = max(mr, math.Float32bits(b)&noSign)
			}
			gmax[0][g] = float64(math.Float32frombits(ml))
			gmax[1][g] = float64(math.Float32frombits(mr))
			peak = max(peak, ml, mr)
			continue
		}
		for c, row := range rows {
			out := row[group+f : group+f+k]
			var mc uint32
			for i := range out {
				x := samples[(f+i)*ch+c]
				out[i] = float64(x)
				mc = max(mc, math.Float32bits(x)&noSign)
			}
			gmax[c][g] = float64(math.Float32frombits(mc))
			peak = max(peak, mc)
		}
	}
	return float64(math.Float32frombits(peak))
}

// Result returns the measurement of everything written so far. It may be
// called at any time and does not change the meter.
func (m *Meter) Result() Measurement {
	r := Measurement{
		Frames:     m.frames,
		SamplePeak: toDB(m.peak),
		TruePeak:   toDB(max(m.tp.max, m.peak)),
	}
	r.Loudness, r.HasLoudness = m.loud.integrated()
	r.LeadingSilence, r.TrailingSilence, r.LongestSilence = m.sil.result(m.frames)
	return r
}

// toDB converts a magnitude to decibels; 0 gives −Inf.
func toDB(x float64) float64 {
	return 20 * math.Log10(x)
}
