package live

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkFanOut is the speaker's cost of one 20 ms frame (16 kHz mono)
// handed to n stations, recording included: what the operator's socket
// goroutine spends per frame (20 ms of real time). Frames come here faster
// than real time, so each listener's queue holds them all: no one is
// dropped for the benchmark's speed.
//
//	go test -run '^$' -bench FanOut -benchtime 500x ./broadcast/live
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{10, 300, 3000} {
		b.Run(fmt.Sprintf("stations=%d", n), func(b *testing.B) {
			m := NewManager(b.TempDir(), b.N+1)
			ids := make([]string, n)
			for i := range ids {
				ids[i] = fmt.Sprintf("tdp-%04d", i)
			}
			s, err := m.Start(Info{ID: "live-bench", Stations: ids, Rate: 16000, Channels: 1, MaxLength: 4 * time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for _, id := range ids {
				l, err := s.Listen(id)
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					for {
						if _, err := l.Next(ctx); err != nil {
							return
						}
					}
				}()
			}
			f := make([]byte, 640)
			b.SetBytes(int64(len(f)))
			b.ResetTimer()
			for range b.N {
				if err := s.Write(f); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if d := s.Dropped(); d > 0 {
				b.Logf("%d listeners dropped (they could not keep up on this machine)", d)
			}
			s.End()
		})
	}
}
