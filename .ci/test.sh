#!/usr/bin/env bash
# Runs every test of Loa. On a fresh Debian machine (as root) it first
# installs the OS packages the tests use: ffmpeg (conversion of phone
# recordings on ingest) and espeak-ng (text-to-speech). Usage: bash .ci/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v aplay >/dev/null || need+=(alsa-utils)
pkg-config --exists alsa 2>/dev/null || need+=(libasound2-dev)
command -v chromium >/dev/null || need+=(chromium)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v zbarimg >/dev/null || need+=(zbar-tools) # reads back the public site's QR codes
command -v mpg123 >/dev/null || need+=(mpg123) # a second reference decoder for the MP3 fidelity test
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui) # converts the report's .docx to PDF
if ((${#need[@]})); then
	if [ "$(id -u)" = 0 ]; then
		echo "installing: ${need[*]}"
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	else
		echo "warning: ${need[*]} missing; some tests will be skipped (run as root to install)" >&2
	fi
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...
# go.mod and go.sum say exactly what the code imports.
if ! go mod tidy -diff; then
	echo "go.mod/go.sum are not tidy: run go mod tidy" >&2
	exit 1
fi
# A short run of every fuzz target beyond its committed seeds (which the
# plain `go test` below runs too). LOA_FUZZTIME=0 skips it.
fuzztime=${LOA_FUZZTIME:-5s}
if [ "$fuzztime" != 0 ]; then
	git grep -l '^func Fuzz' -- '*_test.go' | while read -r file; do
		for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
			echo "fuzz $target ($fuzztime)"
			go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$(dirname "$file")" >/dev/null
		done
	done
fi

go test -count=1 -timeout 15m ./...

# Tests pass at every hour: the packages that cut days, weeks and quarters
# run again with the machine's zone set to UTC and to a zone with daylight
# saving; then the tests that read testclock.Now (or Ticking, directly or
# through a helper of their package) run once per named instant of
# internal/testclock (LOA_TEST_NOW), the zone alternating between the two.
# LOA_CLOCK_RUNS=0 skips it.
quiet() { local out; out=$("$@" 2>&1) || { echo "$out" >&2; return 1; }; }
if [ "${LOA_CLOCK_RUNS:-1}" != 0 ]; then
	days=$(for d in internal/ward internal/testclock broadcast/ledger broadcast/report broadcast/alert playlist stations; do
		[ -d "$d" ] && echo "./$d/..."
	done)
	zones=(UTC America/New_York)
	for tz in "${zones[@]}"; do
		echo "clock: TZ=$tz"
		TZ=$tz quiet go test -count=1 $days
	done
	# Each package's test binary is built once and run in its directory.
	bin=$(mktemp -d)
	trap 'rm -rf "$bin"' EXIT
	clocked=$(go run ./internal/testclock/names -tests)
	while IFS=$'\t' read -r pkg run; do
		[ -n "$pkg" ] && go test -c -o "$bin/$(echo "$pkg" | tr / _).test" "$pkg"
	done <<<"$clocked"
	i=0
	for now in $(go run ./internal/testclock/names); do
		tz=${zones[i++ % 2]}
		echo "clock: TZ=$tz LOA_TEST_NOW=$now"
		while IFS=$'\t' read -r pkg run; do
			[ -n "$pkg" ] || continue
			(cd "$pkg" && TZ=$tz LOA_TEST_NOW=$now quiet "$bin/$(echo "$pkg" | tr / _).test" -test.count=1 -test.run "$run")
		done <<<"$clocked"
	done
fi
