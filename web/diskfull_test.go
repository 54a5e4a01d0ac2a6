package web

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDiskFull fills a small real file system (a tmpfs mounted for the
// test, so it needs root) with uploads until it is full: the upload that
// does not fit fails with a clear error, the server keeps serving, and
// what was stored before is intact.
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	ts := newTestServerAt(t, dir)
	admin := ts.signIn(t, "admin")

	var stored []segmentView
	var full apiErr
	for i := range 40 {
		var raw json.RawMessage
		resp := admin.uploadData(fmt.Sprintf("tone-%d.wav", i), toneWAV(300+20*float64(i), 3), map[string]string{"topic": "khac"}, &raw)
		if resp.StatusCode != http.StatusCreated {
			json.Unmarshal(raw, &full)
			break
		}
		var seg segmentView
		json.Unmarshal(raw, &seg)
		stored = append(stored, seg)
	}
	if full.Error.Code != "disk_full" || full.Error.Message == "" {
		t.Fatalf("after %d uploads: %+v, want disk_full", len(stored), full.Error)
	}
	if len(stored) == 0 {
		t.Fatal("nothing fitted at all; the test proves nothing")
	}
	t.Logf("%d uploads fitted; the next one: %s", len(stored), full.Error.Message)
	// Still serving, and everything stored before is whole.
	var list []segmentView
	if resp := admin.json("GET", "/api/segments", nil, &list); resp.StatusCode != 200 || len(list) != len(stored) {
		t.Fatalf("list after disk full: %s, %d segments, want %d", resp.Status, len(list), len(stored))
	}
	for _, seg := range stored {
		data, err := os.ReadFile(ts.blobs.Path(seg.Audio.SHA256))
		sum := sha256.Sum256(data)
		if err != nil || hex.EncodeToString(sum[:]) != seg.Audio.SHA256 {
			t.Errorf("segment %d: audio damaged (%v)", seg.ID, err)
		}
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "audio", "tmp")); len(left) != 0 {
		t.Errorf("%d temporary files left on the full disk", len(left))
	}
}

// toneWAV is a 16-bit mono 44.1 kHz WAV of a sine at freq Hz, seconds long:
// a distinct, valid recording for every frequency.
func toneWAV(freq float64, seconds int) []byte {
	const rate = 44100
	n := rate * seconds
	b := make([]byte, 44, 44+2*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], rate)
	binary.LittleEndian.PutUint32(b[28:], rate*2)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	for i := range n {
		v := int16(8000 * math.Sin(2*math.Pi*freq*float64(i)/rate))
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}
