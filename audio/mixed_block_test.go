package audio

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Mixed blocks (ISO 11172-3 2.4.2.7, ISO 13818-3 2.4.3.2): a Layer III
// granule with block_type 2 and mixed_block_flag 1 codes its lowest two
// subbands as long blocks (long scalefactor bands, 36-point IMDCT, one
// antialias butterfly) and the rest as short blocks. No encoder on hand
// writes them (LAME never sets the flag), so the test makes them: it takes
// a stream LAME wrote, and rewrites short-block granules as mixed ones.
// The side information keeps its length; the scalefactors are written
// in the mixed layout (long bands, then short bands from the fourth) with
// the same lengths, which takes fewer bits, so the Huffman data that
// follows is copied unchanged right after them, part2_3_length shrinks by
// the difference and the bits freed at the end of the frame's main data
// become ancillary data. The result is a valid stream whose spectrum is
// still LAME's, read differently below line 36 (72 at 8 kHz). Frames with
// a CRC get it recomputed.

// TestMixedBlockFidelity decodes every layout of the corpus with short
// blocks made mixed, with Loa's decoder and the reference decoders, and
// holds Loa to the fidelity test's bar (minFidelitySNR, with its
// exceptions) against each reference wherever that reference decodes mixed
// blocks as the standard says (mixedBar). Rerun with -v for the table in
// docs/benchmarks.md.
func TestMixedBlockFidelity(t *testing.T) {
	t.Parallel()
	refs := referenceDecoders()
	if len(refs) == 0 {
		if os.Geteuid() == 0 {
			t.Fatal("neither ffmpeg nor mpg123 installed; .ci/test.sh installs them")
		}
		t.Skip("neither ffmpeg nor mpg123 installed (run .ci/test.sh as root to install them)")
	}
	files, err := filepath.Glob(corpus + "layouts/*.mp3")
	if err != nil || len(files) < 15 {
		t.Fatalf("found %d layouts (%v); run testdata/make-audio.sh", len(files), err)
	}
	for _, path := range files {
		for _, kind := range []string{"runs", "alternate", "same-tables"} {
			if !slices.ContainsFunc(refs, func(r referenceDecoder) bool { return !math.IsInf(mixedBar(r, path, kind), -1) }) {
				continue // no reference to hold this one to
			}
			name := filepath.Base(path)
			t.Run(name+"/"+kind, func(t *testing.T) {
				t.Parallel()
				crafted, n := craftMixed(t, path, kind)
				if says := ffmpegComplaints(t, crafted); len(says) > 0 {
					t.Errorf("ffmpeg finds the crafted stream damaged (%d messages): %s", len(says), says[0])
				}
				got, ch := decodeGapless(t, crafted)
				plain, _ := decodeGapless(t, path)
				changed := snrDB(plain, got, ch, 0)
				if changed >= minFidelitySNR {
					t.Errorf("decoded as if the blocks were not mixed: %.1f dB from the original's decode", changed)
				}
				line := fmt.Sprintf("%-32s %-11s %3d mixed  vs original %5.1f dB", name, kind, n, changed)
				decoded := map[string][]float32{}
				for _, ref := range refs {
					want := ref.decode(t, crafted)
					decoded[ref.name] = want
					snr := alignedSNR(want, got, ch)
					line += fmt.Sprintf("  vs %s %6.1f dB", ref.name, snr)
					if min := mixedBar(ref, path, kind); snr < min {
						t.Errorf("SNR against %s %.1f dB, want at least %.0f dB", ref.name, snr, min)
					}
				}
				if a, b := decoded["ffmpeg"], decoded["mpg123"]; a != nil && b != nil {
					line += fmt.Sprintf("  (mpg123 vs ffmpeg %6.1f dB)", alignedSNR(a, b, ch))
				}
				t.Log(line)
			})
		}
	}
}

// Chunked parallel decoding of mixed blocks gives exactly the sequential
// decode: the warm-up frames bring back the overlap of a mixed granule's
// long and short subbands too. No reference decoder needed.
func TestMixedBlockParallelDecodeIsExact(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"mpeg1-44k-joint-cbr64.mp3", "mpeg2-22k-joint-cbr40.mp3", "mpeg25-8k-mono-cbr16.mp3"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			crafted, _ := craftMixed(t, corpus+"layouts/"+name, "alternate")
			want := decodeChunked(t, crafted, 1, 1<<20)
			for _, chunk := range []int{5, 37} {
				got := decodeChunked(t, crafted, 3, chunk)
				if len(got) != len(want) {
					t.Fatalf("chunk %d: %d samples, want %d", chunk, len(got), len(want))
				}
				if i := firstDiff(got, want); i >= 0 {
					t.Fatalf("chunk %d: sample %d is %v, sequential gives %v", chunk, i, got[i], want[i])
				}
			}
		})
	}
}

// decodeChunked decodes the MP3 at path in chunks of frames on workers and
// returns all its PCM (before gapless trimming).
func decodeChunked(t *testing.T, path string, workers, chunk int) []float32 {
	t.Helper()
	sc, _ := openMP3(t, path)
	var pcm []float32
	if _, err := decodeMP3(context.Background(), sc, workers, chunk, func(p []float32) { pcm = append(pcm, p...) }); err != nil {
		t.Fatal(err)
	}
	return pcm
}

// mixedBar is the SNR Loa must reach against ref on a stream made by
// craftMixed(kind), or -Inf where ref departs from the standard there. The
// references agree with each other on such streams only to 1-22 dB in two
// cases; in each Loa agrees with the other reference to 118-128 dB, as the
// two agree on ordinary streams:
//
//   - ffmpeg (5.1) computes a short block's IMDCT assuming the granule
//     before it was a short or a start block (whose overlap into lines
//     12-17 of the next granule is zero) and drops that overlap; after a
//     mixed granule, whose lowest two subbands have the normal long
//     window, it is not zero. So ffmpeg is only a reference for "runs",
//     where no mixed granule is followed by a short one. mpg123 and Loa
//     add the whole overlap, as ISO 11172-3's decoding process does. (Loa
//     with ffmpeg's shortcut, tried once, agrees with ffmpeg to 121-124
//     dB on "alternate".)
//   - mpg123 (1.31) starts Huffman region 1 of an MPEG-2.5 mixed granule
//     at long band 8 (line 54, 108 at 8 kHz) where ffmpeg, Loa and the ISO
//     reference decoder (dist10, MPEG-1 and 2: line 36 for any block_type
//     2) take the end of short band 2 (line 36, 72 at 8 kHz). So mpg123 is only a reference for MPEG-2.5
//     in "same-tables", whose mixed granules code both regions with one
//     Huffman table; there it agrees with Loa to 127 dB.
func mixedBar(ref referenceDecoder, path, kind string) float64 {
	mpeg25 := strings.HasPrefix(filepath.Base(path), "mpeg25-")
	switch {
	case ref.name == "ffmpeg" && kind != "runs":
		return math.Inf(-1)
	case ref.name == "mpg123" && mpeg25 != (kind == "same-tables"):
		return math.Inf(-1) // same-tables is only needed for MPEG-2.5
	}
	return ref.min(path)
}

// ffmpegComplaints is what ffmpeg's MP3 decoder (mp3float, not the
// demuxer) says about a stream: nothing when it is valid, "overread" where
// Huffman data runs past its granule (as when only the mixed_block_flag
// bit is flipped). At 8 kHz ffmpeg notes every mixed granule as a case its
// authors have not seen; that note is left out. Nothing without ffmpeg.
func ffmpegComplaints(t *testing.T, path string) []string {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return nil
	}
	out, err := exec.Command("ffmpeg", "-hide_banner", "-nostats", "-v", "info", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, out)
	}
	var says []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "[mp3float") && !strings.Contains(line, "switch point in 8khz") && !strings.Contains(line, "If you want to help") {
			says = append(says, line)
		}
	}
	return says
}

// craftMixed writes the MP3 at path with short blocks made mixed to a
// temporary file, and returns its path and how many granules it changed.
// kind "runs" makes every run of short blocks mixed, "alternate" every
// other short block, "same-tables" those coded with one Huffman table.
func craftMixed(t *testing.T, path, kind string) (string, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseL3(b)
	if err != nil {
		t.Fatal(err)
	}
	pick := s.wholeRuns()
	switch kind {
	case "alternate":
		pick = s.everyOther()
	case "same-tables":
		pick = func(i, gr, ch int) bool {
			g := s.frames[i].gr[gr][ch]
			return g.tables[0] == g.tables[1]
		}
	}
	out, n, err := s.mixShortBlocks(pick)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no short-block granule to make mixed")
	}
	crafted := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(crafted, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return crafted, n
}

// l3Stream is an MP3 file cut into Layer III frames, with the main data of
// every frame laid end to end as the bit reservoir sees it.
type l3Stream struct {
	file   []byte
	frames []l3Frame
	res    []byte // main data slots of all frames, in order
}

type l3Frame struct {
	h       frameHeader
	off     int // of the header in file
	slot    int // start of the frame's main data slot in res
	begin   int // main_data_begin: its main data starts at slot-begin
	modeExt int
	nch     int
	ngr     int
	scfsi   [2]int // MPEG-1, 4 bits per channel
	gr      [2][2]l3Granule
}

type l3Granule struct {
	pos       int    // bit offset of part2_3_length in the side information
	flagPos   int    // bit offset of mixed_block_flag
	tables    [2]int // table_select of regions 0 and 1
	part23    int
	sfc       int // scalefac_compress
	blockType int // 0 without window switching
	mixed     int
}

// parseL3 cuts an MP3 (ID3v2 tag allowed, trailing tags ignored) into
// frames. It fails on anything but one Layer III stream.
func parseL3(file []byte) (*l3Stream, error) {
	s := &l3Stream{file: file}
	off := 0
	if len(file) >= 10 && string(file[:3]) == "ID3" {
		off = 10 + (int(file[6])<<21 | int(file[7])<<14 | int(file[8])<<7 | int(file[9]))
	}
	for off+4 <= len(file) {
		h, ok := parseHeader(file[off:])
		if !ok || h.layer != 3 || h.size() == 0 || off+h.size() > len(file) {
			break
		}
		f := l3Frame{h: h, off: off, slot: len(s.res), nch: h.channels(), ngr: 2, modeExt: int(h.raw>>4) & 3}
		if h.version != mpeg1 {
			f.ngr = 1
		}
		side := file[off+h.sideInfoOffset() : off+h.sideInfoOffset()+h.sideInfoSize()]
		if err := f.parseSide(side); err != nil {
			return nil, fmt.Errorf("frame at %d: %w", off, err)
		}
		s.res = append(s.res, file[off+h.sideInfoOffset()+h.sideInfoSize():off+h.size()]...)
		s.frames = append(s.frames, f)
		off += h.size()
	}
	if len(s.frames) < 10 {
		return nil, fmt.Errorf("only %d Layer III frames", len(s.frames))
	}
	return s, nil
}

// parseSide reads the side information fields the rewrite needs.
func (f *l3Frame) parseSide(side []byte) error {
	p := 0
	read := func(n int) int { v := getBits(side, p, n); p += n; return v }
	if f.h.version == mpeg1 {
		f.begin = read(9)
		p += map[bool]int{true: 5, false: 3}[f.nch == 1]
		for ch := range f.nch {
			f.scfsi[ch] = read(4)
		}
	} else {
		f.begin = read(8)
		p += f.nch
	}
	for gr := range f.ngr {
		for ch := range f.nch {
			g := &f.gr[gr][ch]
			g.pos = p
			g.part23 = read(12)
			p += 9 + 8 // big_values, global_gain
			if f.h.version == mpeg1 {
				g.sfc = read(4)
			} else {
				g.sfc = read(9)
			}
			if read(1) == 1 { // window switching
				g.blockType = read(2)
				g.flagPos = p
				g.mixed = read(1)
				g.tables = [2]int{read(5), read(5)}
				p += 3 * 3 // subblock_gain
			} else {
				p += 3*5 + 4 + 3 // table_select, region counts
			}
			if f.h.version == mpeg1 {
				p++ // preflag
			}
			p += 2 // scalefac_scale, count1table_select
		}
	}
	if p != 8*len(side) {
		return fmt.Errorf("side information of %d bits, want %d", p, 8*len(side))
	}
	return nil
}

func getBits(b []byte, pos, n int) int {
	v := 0
	for i := range n {
		v = v<<1 | int(b[(pos+i)/8]>>(7-(pos+i)%8)&1)
	}
	return v
}

func putBits(b []byte, pos, n, v int) {
	for i := range n {
		bit := byte(v>>(n-1-i)) & 1
		m := byte(1) << (7 - (pos+i)%8)
		b[(pos+i)/8] = b[(pos+i)/8]&^m | bit*m
	}
}

// mixable says whether granule gr of channel ch in frame i can be made
// mixed: a short block whose scalefactors take no more bits in the mixed
// layout (some MPEG-2 intensity stereo lengths take more), and not an
// MPEG-1 first granule whose channel has scfsi bits set (decoders copy a
// short granule's scalefactors into the next one differently; LAME sets
// scfsi only where both granules are long).
func (s *l3Stream) mixable(i, gr, ch int) bool {
	f := &s.frames[i]
	g := f.gr[gr][ch]
	if g.blockType != 2 || g.mixed != 0 || gr == 0 && f.scfsi[ch] != 0 {
		return false
	}
	plain, mixed, _ := f.sfLayouts(ch, g)
	return layoutBits(mixed) <= layoutBits(plain) && layoutBits(plain) <= g.part23
}

// wholeRuns picks the mixable granules whose channel's next granule is not
// a short block left unmixed: the window sequences an encoder would write.
func (s *l3Stream) wholeRuns() func(i, gr, ch int) bool {
	pick := map[[3]int]bool{}
	for ch := range 2 {
		next := true // the next granule may follow a mixed one
		for i := len(s.frames) - 1; i >= 0; i-- {
			f := &s.frames[i]
			if ch >= f.nch {
				continue
			}
			for gr := f.ngr - 1; gr >= 0; gr-- {
				g := f.gr[gr][ch]
				m := s.mixable(i, gr, ch) && next
				pick[[3]int{i, gr, ch}] = m
				next = m || g.blockType != 2 || g.mixed == 1
			}
		}
	}
	return func(i, gr, ch int) bool { return pick[[3]int{i, gr, ch}] }
}

// everyOther picks every other mixable granule of each channel, so that
// most mixed granules are followed by a short one.
func (s *l3Stream) everyOther() func(i, gr, ch int) bool {
	var n [2]int
	pick := map[[3]int]bool{}
	for i, f := range s.frames {
		for gr := range f.ngr {
			for ch := range f.nch {
				if s.mixable(i, gr, ch) {
					pick[[3]int{i, gr, ch}] = n[ch]%2 == 0
					n[ch]++
				}
			}
		}
	}
	return func(i, gr, ch int) bool { return pick[[3]int{i, gr, ch}] }
}

// mixShortBlocks rewrites the short-block granules pick chooses (of those
// mixable) as mixed ones (see above), and returns the new file and how many
// granules it rewrote.
func (s *l3Stream) mixShortBlocks(pick func(i, gr, ch int) bool) ([]byte, int, error) {
	out := slices.Clone(s.file)
	res := slices.Clone(s.res)
	n := 0
	for i := range s.frames {
		f := &s.frames[i]
		side := out[f.off+f.h.sideInfoOffset():][:f.h.sideInfoSize()]
		if f.h.crc && mpegCRC(append(out[f.off+2:f.off+4:f.off+4], side...)) != uint16(out[f.off+4])<<8|uint16(out[f.off+5]) {
			return nil, 0, fmt.Errorf("frame at %d: CRC does not match", f.off)
		}
		src := (f.slot - f.begin) * 8
		if src < 0 {
			return nil, 0, fmt.Errorf("frame at %d: main data starts before the stream", f.off)
		}
		dst := src
		for gr := range f.ngr {
			for ch := range f.nch {
				g := f.gr[gr][ch]
				if src+g.part23 > 8*len(s.res) {
					return nil, 0, fmt.Errorf("frame at %d: main data runs past the stream", f.off)
				}
				bits := g.part23
				if s.mixable(i, gr, ch) && pick(i, gr, ch) {
					plain, mixed, nLong := f.sfLayouts(ch, g)
					oldBits, newBits := layoutBits(plain), layoutBits(mixed)
					sf := readSF(s.res, src, plain)
					// Long bands take the values of the first short bands'
					// scalefactors; short bands 3-11 keep theirs.
					sf = append(sf[:nLong:nLong], sf[9:]...)
					writeSF(res, dst, sf, mixed)
					copyBits(res, dst+newBits, s.res, src+oldBits, g.part23-oldBits)
					bits = g.part23 - oldBits + newBits
					putBits(side, g.pos, 12, bits)
					putBits(side, g.flagPos, 1, 1)
					n++
				} else {
					copyBits(res, dst, s.res, src, bits)
				}
				src += g.part23
				dst += bits
			}
		}
		if f.h.crc {
			crc := mpegCRC(append(out[f.off+2:f.off+4:f.off+4], side...))
			out[f.off+4], out[f.off+5] = byte(crc>>8), byte(crc)
		}
	}
	for i, f := range s.frames {
		end := len(s.res)
		if i+1 < len(s.frames) {
			end = s.frames[i+1].slot
		}
		copy(out[f.off+f.h.sideInfoOffset()+f.h.sideInfoSize():], res[f.slot:end])
	}
	return out, n, nil
}

// sfGroup is n scalefactors of the same length.
type sfGroup struct{ n, bits int }

func layoutBits(groups []sfGroup) int {
	b := 0
	for _, g := range groups {
		b += g.n * g.bits
	}
	return b
}

// sfLayouts is how a short-block granule's scalefactors are coded: plain
// (12 bands × 3 windows) and mixed (nLong long bands, then bands 3-11 × 3
// windows), with the lengths its scalefac_compress gives. MPEG-1: ISO
// 11172-3 2.4.2.7; MPEG-2 and 2.5: ISO 13818-3 2.4.3.2.
func (f *l3Frame) sfLayouts(ch int, g l3Granule) (plain, mixed []sfGroup, nLong int) {
	if f.h.version == mpeg1 {
		s1 := [16]int{0, 0, 0, 0, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4}[g.sfc]
		s2 := [16]int{0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3}[g.sfc]
		return []sfGroup{{18, s1}, {18, s2}}, []sfGroup{{17, s1}, {18, s2}}, 8
	}
	var slen [4]int
	var table int
	c := g.sfc
	intensity := ch == 1 && f.h.raw>>6&3 == 1 && f.modeExt&1 == 1
	switch {
	case intensity && c>>1 < 180:
		c >>= 1
		slen, table = [4]int{c / 36, c % 36 / 6, c % 6}, 3
	case intensity && c>>1 < 244:
		c = c>>1 - 180
		slen, table = [4]int{c >> 4, c >> 2 & 3, c & 3}, 4
	case intensity:
		c = c>>1 - 244
		slen, table = [4]int{c / 3, c % 3}, 5
	case c < 400:
		slen = [4]int{c >> 4 / 5, c >> 4 % 5, c >> 2 & 3, c & 3}
	case c < 500:
		c -= 400
		slen, table = [4]int{c >> 2 / 5, c >> 2 % 5, c & 3}, 1
	default:
		c -= 500
		slen, table = [4]int{c / 3, c % 3}, 2
	}
	// nr_of_sfb of ISO 13818-3 Table B.3 for short and mixed blocks.
	counts := [6][2][4]int{
		{{9, 9, 9, 9}, {6, 9, 9, 9}},
		{{9, 9, 12, 6}, {6, 9, 12, 6}},
		{{18, 18, 0, 0}, {15, 18, 0, 0}},
		{{12, 12, 12, 0}, {6, 15, 12, 0}},
		{{12, 9, 9, 6}, {6, 12, 9, 6}},
		{{15, 12, 9, 0}, {6, 18, 9, 0}},
	}[table]
	for i := range 4 {
		plain = append(plain, sfGroup{counts[0][i], slen[i]})
		mixed = append(mixed, sfGroup{counts[1][i], slen[i]})
	}
	return plain, mixed, 6
}

func readSF(b []byte, pos int, groups []sfGroup) []int {
	var sf []int
	for _, g := range groups {
		for range g.n {
			sf = append(sf, getBits(b, pos, g.bits))
			pos += g.bits
		}
	}
	return sf
}

// writeSF writes scalefactors, each cut to the largest value its length
// holds.
func writeSF(b []byte, pos int, sf []int, groups []sfGroup) {
	i := 0
	for _, g := range groups {
		for range g.n {
			putBits(b, pos, g.bits, min(sf[i], 1<<g.bits-1))
			pos += g.bits
			i++
		}
	}
}

func copyBits(dst []byte, to int, src []byte, from, n int) {
	for i := range n {
		putBits(dst, to+i, 1, getBits(src, from+i, 1))
	}
}

// mpegCRC is the CRC-16 of a protected frame (ISO 11172-3 2.4.3.1):
// polynomial 0x8005, initial value 0xffff, over the header's last two
// bytes and the side information.
func mpegCRC(b []byte) uint16 {
	crc := uint16(0xffff)
	for _, x := range b {
		for i := 7; i >= 0; i-- {
			if (crc>>15)^uint16(x>>i&1) == 1 {
				crc = crc<<1 ^ 0x8005
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
