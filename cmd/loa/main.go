// Command loa is the Loa server and its admin commands: serve the ward's
// loudspeaker network, probe audio files, import them into a running server.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // the ward's zone must resolve on a box without tzdata
)

const usage = `Loa — hệ thống quản lý đài truyền thanh cơ sở / ward loudspeaker network

Usage:
  loa demo    [flags]            a whole ward in one process, on a throwaway directory
  loa serve   [flags]            run the server (loa serve -h for flags)
  loa probe   [--json] FILE...   check and measure audio files, no server needed
  loa import  [flags] FILE...    add audio files to a running server
  loa backup  [flags] FILE.tar   download a consistent backup from a running server
  loa restore [--data DIR] FILE  restore a backup into an empty data directory
  loa playlist [flags] STATION [DATE]  a station's timed playlist with reasons
  loa doctor  [--agent] [flags]  check this box: data dir, disk, clock, database or sound card, server, token
  loa bench   [flags]            load-test the agent link (loa bench -h)
  loa bench-signin [flags]       flood a running server with failed sign-ins, time a valid one (loa bench-signin -h)
  loa report  --period 2026-Q3 --format xlsx|csv|json|html [--out FILE]
                                 airtime report of a period, read from the data directory
  loa version                    print the version
`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "probe":
		return runProbe(ctx, args[1:], stdout, stderr)
	case "doctor":
		return runDoctor(ctx, args[1:], stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "bench-signin":
		return runBenchSignin(ctx, args[1:], stdout, stderr)
	case "playlist":
		return runPlaylist(ctx, args[1:], stdout, stderr)
	case "report":
		return runReport(ctx, args[1:], stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "loa", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "loa: unknown command %q\n\n%s", args[0], usage)
	return 2
}
