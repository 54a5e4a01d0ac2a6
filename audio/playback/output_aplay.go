package playback

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strconv"
	"time"
)

// Aplay pipes the audio to one long-running `aplay` process: the speaker
// output of a build without cgo. Between items aplay underruns and
// recovers by itself; if it dies, Write fails and the caller reopens.
type Aplay struct {
	rate int
	cmd  *exec.Cmd
	in   io.WriteCloser
}

// NewAplay starts aplay on device (empty: the default PCM).
func NewAplay(device string, rate int, log *slog.Logger) (*Aplay, error) {
	args := []string{"-q", "-t", "raw", "-f", "S16_LE", "-c", "2", "-r", strconv.Itoa(rate), "--buffer-time=200000"}
	if device != "" {
		args = append(args, "-D", device)
	}
	cmd := exec.Command("aplay", args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("aplay output: %w", err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("aplay output: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("aplay output: %w", err)
	}
	go func() { // aplay's complaints (underruns, device errors) go to the log
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if log != nil {
				log.Debug("aplay", "line", sc.Text())
			}
		}
	}()
	return &Aplay{rate: rate, cmd: cmd, in: in}, nil
}

func (a *Aplay) Rate() int                   { return a.rate }
func (a *Aplay) Begin(string) error          { return nil }
func (a *Aplay) End(Timing) error            { return nil }
func (a *Aplay) Write(b []byte) (int, error) { return a.in.Write(b) }

// Close lets aplay play what it holds (up to a second), then ends it; it
// also unblocks a Write stuck on a stalled device.
func (a *Aplay) Close() error {
	a.in.Close()
	done := make(chan struct{})
	go func() { a.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		a.cmd.Process.Kill()
		<-done
	}
	return nil
}
