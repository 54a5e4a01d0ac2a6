package playback

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
)

// toneWriter writes a 1 kHz tone as 16 kHz mono s16le PCM to w in 20 ms
// packets, paced in real time, pausing for pause after the first half, and
// closes w after total (0: never, until the reader goes away).
func toneWriter(w *io.PipeWriter, total, pause time.Duration) {
	const rate, packet = 16000, 20 * time.Millisecond
	n := rate * int(packet) / int(time.Second)
	buf := make([]byte, 2*n)
	start, sent := time.Now(), time.Duration(0)
	for i := 0; total == 0 || sent < total; i++ {
		for k := range n {
			v := int16(0.5 * 32767 * math.Sin(2*math.Pi*1000*float64(i*n+k)/rate))
			buf[2*k], buf[2*k+1] = byte(v), byte(uint16(v)>>8)
		}
		if _, err := w.Write(buf); err != nil {
			return
		}
		sent += packet
		if pause > 0 && sent == total/2 {
			time.Sleep(pause)
			start = start.Add(pause)
		}
		time.Sleep(time.Until(start.Add(sent)))
	}
	w.Close()
}

func within(got, want, tol time.Duration) bool { return got >= want-tol && got <= want+tol }

func TestStreamPlaysLivePCMAsItArrives(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := NewWAV(dir, 44100)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	pr, pw := io.Pipe()
	go toneWriter(pw, 600*time.Millisecond, 0)
	src, format := DecodePCM(pr, 16000, 1)
	buf := NewBufferedLatest(src, format, 200*time.Millisecond)
	p, err := PrepareStream(Item{Name: "live-1", Duration: time.Hour}, buf, format, out)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Play(context.Background(), nil)
	if err != nil || res.Outcome != Completed {
		t.Fatalf("%v %s", err, res.Outcome)
	}
	if !within(buf.Received(), 600*time.Millisecond, time.Millisecond) {
		t.Errorf("received %v, want the 600ms sent", buf.Received())
	}
	// Played = what arrived + the silence while waiting for it.
	if got := res.Played - buf.Starved(); !within(got, 600*time.Millisecond, 15*time.Millisecond) {
		t.Errorf("played %v of which %v silence: want 600ms of tone", res.Played, buf.Starved())
	}
	if res.LoudestDB < -12 || res.LoudestDB > -3 {
		t.Errorf("loudest %.1f dBFS, want the tone's −9 dBFS", res.LoudestDB)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.wav"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	if rate, frames := wavFrames(t, files[0]); rate != 44100 || frames != int(res.Frames) {
		t.Errorf("wav: %d Hz, %d frames; played %d", rate, frames, res.Frames)
	}
}

func TestStreamThatPausesPlaysSilenceAndIsNotAStall(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	pause := WatchdogMargin + 500*time.Millisecond
	go toneWriter(pw, 400*time.Millisecond, pause)
	src, format := DecodePCM(pr, 16000, 1)
	buf := NewBuffered(src, format, 200*time.Millisecond)
	p, err := PrepareStream(Item{Name: "relay", Duration: time.Hour}, buf, format, NewNull(44100))
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Play(context.Background(), nil)
	if err != nil || res.Outcome != Completed {
		t.Fatalf("a pause upstream ended the stream: %v %s", err, res.Outcome)
	}
	if buf.Starved() < pause-200*time.Millisecond {
		t.Errorf("starved %v, want about the %v pause", buf.Starved(), pause)
	}
	if buf.Dropped() != 0 {
		t.Errorf("NewBuffered dropped %v", buf.Dropped())
	}
}

func TestStreamStopsAtItsDurationAndOnInterrupt(t *testing.T) {
	t.Parallel()
	play := func(ctx context.Context, d time.Duration) (Result, *Buffered) {
		pr, pw := io.Pipe()
		go toneWriter(pw, 0, 0)
		src, format := DecodePCM(pr, 16000, 1)
		buf := NewBuffered(src, format, 100*time.Millisecond)
		p, err := PrepareStream(Item{Name: "endless", Duration: d}, buf, format, NewNull(48000))
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Play(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		buf.Close()
		return res, buf
	}
	if res, _ := play(context.Background(), 500*time.Millisecond); res.Outcome != Completed || !within(res.Played, 500*time.Millisecond, time.Millisecond) {
		t.Errorf("bounded by 500ms: %s after %v", res.Outcome, res.Played)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, _ := play(ctx, time.Hour)
	if res.Outcome != Interrupted || res.Played < 300*time.Millisecond || res.Played > 300*time.Millisecond+FadeInterrupt+100*time.Millisecond {
		t.Errorf("interrupted at 300ms: %s after %v", res.Outcome, res.Played)
	}
	if _, err := PrepareStream(Item{Name: "unbounded"}, &pcmStream{c: io.NopCloser(nil)}, beep.Format{SampleRate: 16000, NumChannels: 2, Precision: 2}, NewNull(48000)); err == nil {
		t.Error("a stream without a duration was accepted")
	}
}

func TestBufferedLatestKeepsTheDelayBounded(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	go func() { // two seconds at once, as after a network stall
		pw.Write(make([]byte, 2*16000*2))
		pw.Close()
	}()
	src, format := DecodePCM(pr, 16000, 1)
	buf := NewBufferedLatest(src, format, 200*time.Millisecond)
	p, err := PrepareStream(Item{Name: "burst", Duration: time.Hour}, buf, format, NewNull(44100))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the burst arrives before playing starts
	res, err := p.Play(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if buf.Received() != 2*time.Second || res.Played-buf.Starved() > 300*time.Millisecond {
		t.Errorf("received %v, played %v (%v silence): the delay grew past the depth", buf.Received(), res.Played, buf.Starved())
	}
	if buf.Dropped() < 1700*time.Millisecond {
		t.Errorf("dropped %v, want the burst beyond 200ms", buf.Dropped())
	}
}

// unseekable hides the file's Seek, as an HTTP body would.
type unseekable struct{ f *os.File }

func (u unseekable) Read(p []byte) (int, error) { return u.f.Read(p) }
func (u unseekable) Close() error               { return u.f.Close() }

func TestMP3StreamDecodesWithoutSeeking(t *testing.T) {
	t.Parallel()
	f, err := os.Open(testAudio + "mp3/very-short.mp3")
	if err != nil {
		t.Fatal(err)
	}
	src, format, err := DecodeMP3Stream(unseekable{f})
	if err != nil {
		t.Fatal(err)
	}
	buf := NewBuffered(src, format, time.Second)
	time.Sleep(50 * time.Millisecond) // let the reader run ahead: no silence at the start
	p, err := PrepareStream(Item{Name: "mp3", Duration: time.Hour}, buf, format, NewNull(44100))
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Play(context.Background(), nil)
	if err != nil || res.Outcome != Completed {
		t.Fatalf("%v %s", err, res.Outcome)
	}
	// The same file as Prepare plays it: 1201 ms (TestPlayWritesEachItemAsWAVWithTiming).
	if got := res.Played - buf.Starved(); !within(got, 1201*time.Millisecond, 30*time.Millisecond) {
		t.Errorf("played %v of audio, want 1201ms", got)
	}
}

func TestMP3StreamRefusesWhatIsNotMP3(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"bad/text-renamed.mp3", "bad/random.mp3", "bad/empty.mp3"} {
		f, err := os.Open(testAudio + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := DecodeMP3Stream(unseekable{f}); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
}

// failingReader returns data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func (f *failingReader) Close() error { return nil }

// A clean end after a partial frame is the end of the stream; a body that
// broke off (io.ErrUnexpectedEOF from a chunked HTTP body) is an error.
func TestPCMStreamTellsACleanEndFromABreak(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		end  error
		want error
	}{{io.EOF, nil}, {io.ErrUnexpectedEOF, io.ErrUnexpectedEOF}} {
		s, _ := DecodePCM(&failingReader{data: make([]byte, 1001), err: c.end}, 16000, 1)
		buf := make([][2]float64, 160)
		frames := 0
		for {
			n, ok := s.Stream(buf)
			frames += n
			if !ok {
				break
			}
		}
		if frames != 500 || !errors.Is(s.Err(), c.want) && s.Err() != c.want {
			t.Errorf("ending with %v: %d frames, err %v; want 500 frames, err %v", c.end, frames, s.Err(), c.want)
		}
	}
}
