package hub

import (
	"sync/atomic"
	"testing"
)

func TestFanOutSendsToEveryTargetOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, fanOutShard, fanOutShard + 1, 10_000} {
		seen := make([]atomic.Int32, n)
		targets := make([]int, n)
		for i := range targets {
			targets[i] = i
		}
		fanOut(targets, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Fatalf("n=%d: target %d sent %d times", n, i, got)
			}
		}
	}
}
