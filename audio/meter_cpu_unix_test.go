//go:build unix

package audio

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the test process has used so far, user
// and system; benchmarks report it beside wall time because the machine is
// shared and wall time counts the waits for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
