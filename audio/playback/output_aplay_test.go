package playback

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestAplayOutputPlaysThroughALSA pipes a clip to aplay, whose default PCM
// is a raw capture into a FIFO (read at real-time pace, as a card would).
func TestAplayOutputPlaysThroughALSA(t *testing.T) {
	if _, err := exec.LookPath("aplay"); err != nil {
		if os.Geteuid() != 0 {
			t.Skip("aplay (alsa-utils) is missing and this is not root: bash .ci/test.sh as root installs it")
		}
		t.Fatal("aplay missing: run bash .ci/test.sh as root")
	}
	const rate = 44100
	dir := t.TempDir()
	fifo := filepath.Join(dir, "capture.fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "asound.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf(`pcm.!default {
	type plug
	slave { pcm "capture" format S16_LE channels 2 rate %d }
}
pcm.capture {
	type file
	slave.pcm { type null }
	file "%s"
	format "raw"
}
`, rate, fifo)), 0o644)
	t.Setenv("ALSA_CONFIG_PATH", conf)
	got := make(chan int, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- 0
			return
		}
		defer f.Close()
		buf, total, t0 := make([]byte, rate*4/100), 0, time.Now()
		for {
			n, err := io.ReadFull(f, buf)
			total += n
			if err != nil {
				got <- total
				return
			}
			time.Sleep(time.Until(t0.Add(time.Duration(total/4) * time.Second / rate)))
		}
	}()
	out, err := NewAplay("", rate, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(Item{Name: "clip", Path: testAudio + "mp3/very-short.mp3"}, out)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := p.Play(context.Background(), nil); err != nil || res.Outcome != Completed {
		t.Fatalf("play: %v %s", err, res.Outcome)
	}
	out.Close()
	if played := time.Duration(<-got/4) * time.Second / rate; played < 1150*time.Millisecond || played > 1300*time.Millisecond {
		t.Errorf("captured %v from aplay, want the clip's 1.2 s", played)
	}
}
