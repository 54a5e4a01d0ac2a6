//go:build unix

package tts

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) of this process and of its
// finished children (the engine runs), for figures that a loaded machine
// does not inflate.
func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
