// Command names prints the names of testclock.Nows, one a line: the values
// of LOA_TEST_NOW that CI runs the clocked tests at. With -tests it prints
// instead, for every package under the current directory, the tests that
// read that clock: a line "dir<TAB>^(TestA|TestB)$" for go test -run. A test
// reads it when its body, or a function of its package that it calls,
// calls testclock.Now or testclock.Ticking.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"loa/internal/testclock"
)

func main() {
	tests := flag.Bool("tests", false, "list the clocked tests by package instead")
	flag.Parse()
	if !*tests {
		for _, n := range testclock.Names() {
			fmt.Println(n)
		}
		return
	}
	byDir, err := clockedTests(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "names:", err)
		os.Exit(1)
	}
	for _, dir := range sortedKeys(byDir) {
		fmt.Printf("./%s\t^(%s)$\n", dir, strings.Join(byDir[dir], "|"))
	}
}
