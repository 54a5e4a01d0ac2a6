package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestClockedTestsFollowsOneCall(t *testing.T) {
	dir := t.TempDir()
	src := `package p

import "testing"

func TestDirect(t *testing.T) { _ = testclock.Now(t) }
func TestThroughHelper(t *testing.T) { newWard(t) }
func TestWallClock(t *testing.T) { _ = time.Now() }
func newWard(t *testing.T) { _ = testclock.Ticking(t) }
`
	if err := os.MkdirAll(filepath.Join(dir, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p", "p_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := clockedTests(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"TestDirect", "TestThroughHelper"}; len(got) != 1 || !slices.Equal(got[filepath.Join(dir, "p")], want) {
		t.Fatalf("clocked tests %v, want %v in p", got, want)
	}
}
