// Command names prints the names of testclock.Nows, one a line: the
// values of LOA_TEST_NOW that CI runs the clocked tests at.
package main

import (
	"fmt"

	"loa/internal/testclock"
)

func main() {
	for _, n := range testclock.Names() {
		fmt.Println(n)
	}
}
