package sim

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
)

// speechWAV makes a recording of secs seconds at simRate, 16-bit mono: a
// voice-like tone that wavers, different for every seed (so every file has
// its own sha256), loud enough for the loudness analysis.
func speechWAV(secs float64, rng *rand.Rand) []byte {
	n := int(secs * simRate)
	f0 := 150 + rng.Float64()*150
	b := make([]byte, 44+2*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], simRate)
	binary.LittleEndian.PutUint32(b[28:], simRate*2)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	phase := 0.0
	for i := range n {
		t := float64(i) / simRate
		f := f0 * (1 + 0.2*math.Sin(2*math.Pi*3*t))
		phase += 2 * math.Pi * f / simRate
		env := 0.5 + 0.5*math.Abs(math.Sin(2*math.Pi*2*t)) // syllables
		v := 0.3 * env * (math.Sin(phase) + 0.3*math.Sin(2*phase))
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(int16(v*32767)))
	}
	return b
}
