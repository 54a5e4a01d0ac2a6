//go:build cgo

// Package speaker is the station's real sound output: ALSA's PCM API through
// cgo, behind the cgo build tag so that the server and cgo-free agent builds
// never need libasound (they pipe to aplay instead, see audio/playback).
//
// It talks to libasound directly rather than through beep's speaker (oto
// v3): a device can be opened and closed as often as needed (beep's
// speaker.Init works once per process), a blocking write is the real-time
// pace, and a missing or failing device is an error here instead of a
// player that never finishes. It must not know about schedules or files.
package speaker

/*
#cgo pkg-config: alsa
#include <alsa/asoundlib.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"loa/audio/playback"
)

// Latency is the device buffer the speaker asks ALSA for.
const Latency = 100 * time.Millisecond

// Speaker is one open ALSA playback device taking 16-bit stereo PCM. It
// implements audio/playback's Output.
type Speaker struct {
	rate int

	mu      sync.Mutex // guards pcm against Close during a Write
	pcm     *C.snd_pcm_t
	writing bool
	closing bool
}

// Open opens device ("" or "default": ALSA's default PCM, which
// ALSA_CONFIG_PATH may redefine) at rate frames per second.
func Open(device string, rate int) (*Speaker, error) {
	if device == "" {
		device = "default"
	}
	name := C.CString(device)
	defer C.free(unsafe.Pointer(name))
	var pcm *C.snd_pcm_t
	if rc := C.snd_pcm_open(&pcm, name, C.SND_PCM_STREAM_PLAYBACK, 0); rc < 0 {
		return nil, fmt.Errorf("open alsa device %q: %s", device, alsaError(rc))
	}
	rc := C.snd_pcm_set_params(pcm, C.SND_PCM_FORMAT_S16_LE, C.SND_PCM_ACCESS_RW_INTERLEAVED,
		2, C.uint(rate), 1, C.uint(Latency/time.Microsecond))
	if rc < 0 {
		C.snd_pcm_close(pcm)
		return nil, fmt.Errorf("configure alsa device %q: %s", device, alsaError(rc))
	}
	return &Speaker{rate: rate, pcm: pcm}, nil
}

func alsaError(rc C.int) string { return C.GoString(C.snd_strerror(rc)) }

// ErrClosed is returned by a Write after Close.
var ErrClosed = errors.New("speaker closed")

func (s *Speaker) Rate() int          { return s.rate }
func (s *Speaker) Begin(string) error { return nil }

// Write blocks until the device has taken all of b, recovering from
// underruns between items.
func (s *Speaker) Write(b []byte) (int, error) {
	s.mu.Lock()
	if s.pcm == nil || s.closing {
		s.mu.Unlock()
		return 0, ErrClosed
	}
	s.writing = true
	pcm := s.pcm
	s.mu.Unlock()
	defer s.doneWriting()

	done := 0
	for done+4 <= len(b) {
		frames := C.snd_pcm_uframes_t((len(b) - done) / 4)
		n := C.snd_pcm_writei(pcm, unsafe.Pointer(&b[done]), frames)
		if n < 0 {
			if rc := C.snd_pcm_recover(pcm, C.int(n), 1); rc < 0 {
				return done, fmt.Errorf("alsa write: %s", alsaError(C.int(n)))
			}
			continue
		}
		done += int(n) * 4
	}
	return done, nil
}

func (s *Speaker) doneWriting() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writing = false
	if s.closing && s.pcm != nil {
		C.snd_pcm_close(s.pcm)
		s.pcm = nil
	}
}

// End waits until the item's last sample has played, then readies the
// device for the next item.
func (s *Speaker) End(playback.Timing) error { return s.drain() }

var _ playback.Output = (*Speaker)(nil)

func (s *Speaker) drain() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pcm == nil {
		return ErrClosed
	}
	C.snd_pcm_drain(s.pcm)
	if rc := C.snd_pcm_prepare(s.pcm); rc < 0 {
		return fmt.Errorf("alsa prepare: %s", alsaError(rc))
	}
	return nil
}

// Close releases the device; when a Write is stuck in the driver, the device
// is closed as soon as that Write returns.
func (s *Speaker) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing = true
	if !s.writing && s.pcm != nil {
		C.snd_pcm_close(s.pcm)
		s.pcm = nil
	}
	return nil
}
