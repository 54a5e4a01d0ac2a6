package playback

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testAudio = "../../testdata/audio/"

func wavFrames(t *testing.T, path string) (rate int, frames int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 44 || string(b[:4]) != "RIFF" || string(b[36:40]) != "data" {
		t.Fatalf("%s is not a canonical WAV", path)
	}
	return int(binary.LittleEndian.Uint32(b[24:])), int(binary.LittleEndian.Uint32(b[40:])) / 4
}

func TestPlayWritesEachItemAsWAVWithTiming(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := NewWAV(dir, 44100)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	items := []Item{
		{Name: "mp3-cut", Path: testAudio + "mp3/cbr128-stereo.mp3", Duration: 700 * time.Millisecond, GainDB: -3},
		{Name: "mp3-22k", Path: testAudio + "mp3/very-short.mp3"},
		{Name: "wav-22k", Path: testAudio + "wav/pcm16-mono-22k.wav", CueIn: 2 * time.Second},
	}
	want := []time.Duration{700 * time.Millisecond, 1201 * time.Millisecond, 592 * time.Millisecond}
	for i, it := range items {
		it.Planned = time.Now().Add(5 * time.Millisecond)
		p, err := Prepare(it, out)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(it.Planned))
		res, err := p.Play(context.Background(), nil)
		if err != nil || res.Outcome != Completed {
			t.Fatalf("%s: %v %s", it.Name, err, res.Outcome)
		}
		if d := res.Played - want[i]; d < -30*time.Millisecond || d > 30*time.Millisecond {
			t.Errorf("%s played %v, want %v", it.Name, res.Played, want[i])
		}
		if res.LoudestDB < -30 || res.LoudestDB > 0 {
			t.Errorf("%s: loudest %v dBFS, want speech level", it.Name, res.LoudestDB)
		}
		if took := res.Ended.Sub(res.Started); took < res.Played-100*time.Millisecond {
			t.Errorf("%s took %v of wall time for %v of audio: not paced", it.Name, took, res.Played)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.wav"))
	if len(files) != 3 {
		t.Fatalf("files %v", files)
	}
	for i, f := range files {
		rate, frames := wavFrames(t, f)
		if got := time.Duration(frames) * time.Second / time.Duration(rate); rate != 44100 || got < want[i]-30*time.Millisecond || got > want[i]+30*time.Millisecond {
			t.Errorf("%s: %d Hz, %v", f, rate, got)
		}
	}
	log, _ := os.ReadFile(filepath.Join(dir, TimingLog))
	if lines := strings.Split(strings.TrimSpace(string(log)), "\n"); len(lines) != 3 || !strings.Contains(lines[2], "wav-22k") || !strings.Contains(lines[0], "outcome=completed") {
		t.Errorf("timing log:\n%s", log)
	}
}

func TestPlayFadesOutWhenInterrupted(t *testing.T) {
	t.Parallel()
	out := NewNull(44100)
	p, err := Prepare(Item{Name: "long", Path: testAudio + "mp3/cbr128-stereo.mp3"}, out)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	res, err := p.Play(ctx, nil)
	if err != nil || res.Outcome != Interrupted {
		t.Fatalf("%v %s", err, res.Outcome)
	}
	if res.Played < 300*time.Millisecond || res.Played > 300*time.Millisecond+FadeInterrupt+100*time.Millisecond {
		t.Errorf("played %v after an interrupt at 300ms", res.Played)
	}
}

// stuck is an output whose device never takes audio.
type stuck struct{ Null }

func (s *stuck) Write([]byte) (int, error) { select {} }

func TestStalledOutputIsAFaultNotAHang(t *testing.T) {
	t.Parallel()
	out := &stuck{Null: *NewNull(44100)}
	p, err := Prepare(Item{Name: "x", Path: testAudio + "mp3/very-short.mp3", Duration: 100 * time.Millisecond}, out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Play(context.Background(), nil); !errors.Is(err, ErrStalled) {
		t.Fatalf("err %v, want ErrStalled", err)
	}
}

func TestPrepareRefusesWhatIsNotAudio(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"bad/text-renamed.mp3", "bad/empty.mp3", "bad/random.mp3"} {
		if _, err := Prepare(Item{Path: testAudio + f}, NewNull(44100)); err == nil {
			t.Errorf("%s: no error", f)
		}
	}
}

func TestOpenOutputSpecs(t *testing.T) {
	t.Parallel()
	for spec, ok := range map[string]bool{"null": true, "wav:" + t.TempDir(): true, "wav:": false, "tape": false} {
		out, err := Open(spec, 0, nil)
		if (err == nil) != ok {
			t.Errorf("%q: %v", spec, err)
		}
		if out != nil {
			out.Close()
		}
	}
}
