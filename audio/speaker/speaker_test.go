//go:build cgo

package speaker

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"loa/audio/playback"
)

// captureConfig makes ALSA's default PCM a raw capture into fifo: a plug
// (S16_LE stereo at rate) over a file PCM whose slave is an inline null
// device. It replaces the system configuration entirely.
func captureConfig(t *testing.T, fifo string, rate int) string {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "asound.conf")
	body := fmt.Sprintf(`pcm.!default {
	type plug
	slave { pcm "capture" format S16_LE channels 2 rate %d }
}
pcm.capture {
	type file
	slave.pcm { type null }
	file "%s"
	format "raw"
}
`, rate, fifo)
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return conf
}

// readPaced reads the FIFO at real-time pace (rate × 4 bytes per second),
// as a sound card would, until the writer closes it.
func readPaced(fifo string, rate int, got chan<- []byte) {
	f, err := os.Open(fifo)
	if err != nil {
		got <- nil
		return
	}
	defer f.Close()
	var all []byte
	buf := make([]byte, rate*4/100) // 10 ms
	t0 := time.Now()
	for {
		n, err := io.ReadFull(f, buf)
		all = append(all, buf[:n]...)
		if err != nil {
			got <- all
			return
		}
		due := t0.Add(time.Duration(len(all)/4) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(due))
	}
}

func TestSpeakerPlaysThroughALSA(t *testing.T) {
	const rate = 44100
	dir := t.TempDir()
	fifo := filepath.Join(dir, "capture.fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALSA_CONFIG_PATH", captureConfig(t, fifo, rate))
	got := make(chan []byte, 1)
	go readPaced(fifo, rate, got)

	sp, err := Open("", rate)
	if err != nil {
		t.Fatal(err)
	}
	p, err := playback.Prepare(playback.Item{Name: "clip", Path: "../../testdata/audio/mp3/very-short.mp3"}, sp)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Play(context.Background(), nil)
	if err != nil || res.Outcome != playback.Completed {
		t.Fatalf("play: %v %s", err, res.Outcome)
	}
	sp.Close()
	pcm := <-got
	played := time.Duration(len(pcm)/4) * time.Second / rate
	if played < 1150*time.Millisecond || played > 1300*time.Millisecond {
		t.Errorf("captured %v of audio, want the clip's 1.2 s", played)
	}
	// The FIFO's 64 KiB buffer (0.37 s) lets the player run that far ahead.
	if took := res.Ended.Sub(res.Started); took < 700*time.Millisecond {
		t.Errorf("played in %v: the device did not pace playback", took)
	}
	loud := 0
	for i := 0; i+1 < len(pcm); i += 2 {
		if v := int16(uint16(pcm[i]) | uint16(pcm[i+1])<<8); v > 3000 || v < -3000 {
			loud++
		}
	}
	if loud < 1000 {
		t.Errorf("capture is nearly silent (%d loud samples)", loud)
	}
}
