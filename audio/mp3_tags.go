package audio

import (
	"encoding/binary"
	"io"
)

// Tags around MP3 audio: ID3v2 in front (possibly several, possibly with a
// footer), and ID3v1, APEv2, Lyrics3 or an appended ID3v2 at the end. The
// scanner skips them all; their content is never interpreted.

// id3v2Size returns the whole length of the ID3v2 tag starting at b (header,
// body and footer), or 0 when b does not start one.
func id3v2Size(b []byte) int64 {
	if len(b) < 10 || string(b[:3]) != "ID3" || b[3] == 0xFF || b[4] == 0xFF {
		return 0
	}
	n, ok := syncsafe(b[6:10])
	if !ok {
		return 0
	}
	n += 10
	if b[5]&0x10 != 0 { // footer present (ID3v2.4)
		n += 10
	}
	return n
}

func syncsafe(b []byte) (int64, bool) {
	var n int64
	for _, c := range b[:4] {
		if c&0x80 != 0 {
			return 0, false
		}
		n = n<<7 | int64(c)
	}
	return n, true
}

// audioEnd returns where the audio of an MP3 ends: size minus the tags found
// at the end of the file. It reads only the tail, through r.
func audioEnd(r io.ReaderAt, size int64) (int64, error) {
	end := size
	for {
		next, err := stripTrailingTag(r, end)
		if err != nil {
			return 0, err
		}
		if next == end {
			return end, nil
		}
		end = next
	}
}

// stripTrailingTag returns end minus the length of one tag ending at end,
// or end itself when none does.
func stripTrailingTag(r io.ReaderAt, end int64) (int64, error) {
	var b [128]byte
	if end >= 128 {
		if _, err := r.ReadAt(b[:], end-128); err != nil {
			return 0, err
		}
		if string(b[:3]) == "TAG" {
			return end - 128, nil
		}
	}
	if end < 32 {
		return end, nil
	}
	t := b[96:128] // the last 32 bytes before end
	if end < 128 {
		if _, err := r.ReadAt(t, end-32); err != nil {
			return 0, err
		}
	}
	switch {
	case string(t[:8]) == "APETAGEX":
		n := int64(binary.LittleEndian.Uint32(t[12:16]))
		flags := binary.LittleEndian.Uint32(t[20:24])
		if flags&(1<<31) != 0 {
			n += 32 // a header in front of the items
		}
		if n >= 32 && n <= end {
			return end - n, nil
		}
	case string(t[22:31]) == "LYRICS200":
		n, ok := atoiDigits(t[16:22])
		if ok && n+15 <= end {
			return end - n - 15, nil
		}
	case string(t[22:25]) == "3DI":
		if n, ok := syncsafe(t[28:32]); ok && n+20 <= end {
			return end - n - 20, nil
		}
	}
	return end, nil
}

func atoiDigits(b []byte) (int64, bool) {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
