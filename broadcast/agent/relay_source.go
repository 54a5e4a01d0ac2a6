package agent

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gopxl/beep/v2"

	"loa/audio/playback"
)

// Reconnect backoff of a relay: short, since every second of it is dead
// air. A connection that lasted relayStable reconnects at once when it
// drops; one that did not (a server that takes the request and hangs up)
// keeps backing off, so it is not hammered.
const (
	relayBackoffMin = 250 * time.Millisecond
	relayBackoffMax = 4 * time.Second
	relayStable     = 10 * time.Second
)

// relaySource is a radio stream that survives drops: when the connection
// fails or ends it connects again, with a short backoff, until it is
// closed. Every connection is decoded and resampled to the output's rate,
// so one stream of one format comes out. It runs in a Buffered's reading
// goroutine, which may block in it; the counters are read by the player.
type relaySource struct {
	ctx    context.Context
	cancel context.CancelFunc
	client *http.Client
	url    string
	agent  string // User-Agent
	rate   beep.SampleRate
	loud   float64 // mean square above which a chunk is not silence
	log    *slog.Logger

	dec   playback.Stream // the current connection; nil between connections
	body  *relayBody      // its body, for the ICY title
	title string          // the last title logged
	s     beep.Streamer   // dec at the output rate
	since time.Time       // when dec connected
	retry time.Duration   // the wait before the next attempt

	lastLoud atomic.Int64 // unix ns of the last chunk above the silence level; 0: none yet
	bad      atomic.Bool  // the last attempt was answered with something unplayable
}

func newRelaySource(client *http.Client, url, agent string, rate int, silenceDB float64, log *slog.Logger) *relaySource {
	ctx, cancel := context.WithCancel(context.Background())
	return &relaySource{ctx: ctx, cancel: cancel, client: client, url: url, agent: agent,
		rate: beep.SampleRate(rate), loud: math.Pow(10, silenceDB/10), log: log}
}

// Stream returns audio from the current connection, connecting (again) as
// needed; it ends only when the source is closed.
func (s *relaySource) Stream(samples [][2]float64) (int, bool) {
	for s.ctx.Err() == nil {
		if s.s == nil && !s.connect() {
			break
		}
		n, ok := s.s.Stream(samples)
		if n > 0 {
			s.heard(samples[:n])
			if t := s.body.title(); t != s.title {
				s.title = t
				s.log.Info("relay title", "url", s.url, "title", t)
			}
			return n, true
		}
		if !ok || n == 0 {
			s.drop()
		}
	}
	s.drop()
	return 0, false
}

// connect opens the stream, retrying with backoff; false when closed.
func (s *relaySource) connect() bool {
	for failures := 0; ; failures++ {
		if s.retry > 0 {
			t := time.NewTimer(s.retry)
			select {
			case <-s.ctx.Done():
				t.Stop()
				return false
			case <-t.C:
			}
		}
		s.retry = min(max(2*s.retry, relayBackoffMin), relayBackoffMax)
		err := s.dial()
		if err == nil {
			s.bad.Store(false)
			return true
		}
		if s.ctx.Err() != nil {
			return false
		}
		s.bad.Store(errors.Is(err, errBadStream) || errors.Is(err, playback.ErrFormat))
		level := slog.LevelDebug
		if failures == 0 {
			level = slog.LevelWarn
		}
		s.log.Log(s.ctx, level, "relay connect", "url", s.url, "err", err, "retry_in", s.retry)
	}
}

// dial opens one connection and decodes up to its first frame.
func (s *relaySource) dial() error {
	body, err := openRelay(s.ctx, s.client, s.url, s.agent)
	if err != nil {
		return err
	}
	dec, f, err := playback.DecodeMP3Stream(body)
	if err != nil {
		return err
	}
	s.dec, s.s, s.body, s.since = dec, dec, body, time.Now()
	if f.SampleRate != s.rate {
		s.s = beep.Resample(3, f.SampleRate, s.rate, dec)
	}
	s.log.Info("relay connected", "url", s.url, "name", body.name, "content_type", body.ctype,
		"rate", int(f.SampleRate), "icy", body.icy != nil)
	return nil
}

// drop closes the current connection, if any.
func (s *relaySource) drop() {
	if s.dec == nil {
		return
	}
	if err := s.dec.Err(); err != nil && s.ctx.Err() == nil {
		s.log.Warn("relay dropped", "url", s.url, "err", err)
	} else if s.ctx.Err() == nil {
		s.log.Warn("relay ended by the server", "url", s.url)
	}
	s.dec.Close()
	s.dec, s.s, s.body = nil, nil, nil
	if time.Since(s.since) >= relayStable {
		s.retry = 0
	}
}

// heard notes when the audio was last above the silence level.
func (s *relaySource) heard(buf [][2]float64) {
	var sum float64
	for _, x := range buf {
		sum += x[0]*x[0] + x[1]*x[1]
	}
	if sum/float64(2*len(buf)) >= s.loud {
		s.lastLoud.Store(time.Now().UnixNano())
	}
}

// Err is always nil: a relay does not fail, it reconnects until closed.
func (s *relaySource) Err() error { return nil }

// Close ends the stream; a read in progress is unblocked (the requests
// share the source's context).
func (s *relaySource) Close() error {
	s.cancel()
	return nil
}
