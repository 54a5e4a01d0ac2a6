//go:build !unix

package audio

import "time"

// processCPU is not measured on this system; benchmarks then report 0.
func processCPU() time.Duration { return 0 }
