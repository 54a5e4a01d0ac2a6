#!/usr/bin/env bash
# bench.sh measures ingest on two 60-minute MP3s beside ffmpeg, in one run:
#
#   audio/bench.sh [DIR]     # DIR keeps the long files between runs (default: a temp dir)
#
# It makes a 128 kbps stereo (44.1 kHz) and a 48 kbps mono (22.05 kHz) MP3
# of looped corpus speech with ffmpeg and lame (never committed), builds
# loa, then for each file times `ffmpeg -af ebur128 -f null -` and
# `loa probe` (wall and CPU time, peak RSS; idle RSS is loa probe on a 2 s
# file), checks the durations against ffmpeg's decoded length, and runs the
# Go benchmarks (header-only duration scan, Inspect on 2 and 1 workers,
# decoding alone). Needs ffmpeg, lame and GNU time. LOA_BIN=path uses that
# loa binary instead of building one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$(mktemp -d)}
mkdir -p "$dir"
corpus=$root/testdata/audio

long() { # long OUT SOURCE LAME-ARGS...
  local out=$dir/$1 src=$2
  shift 2
  [ -s "$out" ] && return
  ffmpeg -loglevel error -y -stream_loop -1 -i "$src" -t 3600 -f wav - | lame --quiet "$@" - "$out"
}
long long-128k-stereo.mp3 "$corpus/wav/pcm24-stereo-extensible.wav" -b 128 --resample 44.1
long long-48k-mono.mp3 "$corpus/wav/pcm16-mono-22k.wav" -m m -b 48

if [ -n "${LOA_BIN:-}" ]; then # a loa binary built elsewhere
  cp "$LOA_BIN" "$dir/loa"
else
  (cd "$root" && go build -o "$dir/loa" ./cmd/loa)
fi
t() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }

echo "date: $(date -u +%FT%TZ)  host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(ffmpeg -version | head -1 | cut -d' ' -f1-3), $(go version | cut -d' ' -f3)"
read -r _ _ _ idle < <(t "$dir/loa" probe "$corpus/wav/pcm16-mono-22k.wav")
echo "idle loa probe RSS: $((idle / 1024)) MB"
printf '%-22s %-8s %9s %9s %9s %9s %8s\n' file tool wall_s cpu_s x_rt_wall x_rt_cpu rss_MB
for f in long-128k-stereo.mp3 long-48k-mono.mp3; do
  read -r fw fu fs fm < <(t ffmpeg -nostats -hide_banner -i "$dir/$f" -af ebur128 -f null -)
  read -r lw lu ls lm < <(t "$dir/loa" probe "$dir/$f")
  for row in "ffmpeg $fw $fu $fs $fm" "loa $lw $lu $ls $lm"; do
    set -- $row
    awk -v f="$f" -v tool="$1" -v w="$2" -v u="$3" -v s="$4" -v m="$5" \
      'BEGIN { printf "%-22s %-8s %9.2f %9.2f %9.0f %9.0f %8.1f\n", f, tool, w, u+s, 3600/w, 3600/(u+s), m/1024 }'
  done
  awk -v f="$f" -v a="$fw" -v b="$lw" -v c="$fu" -v d="$fs" -v e="$lu" -v g="$ls" -v m="$lm" -v i="$idle" \
    'BEGIN { printf "%-22s loa/ffmpeg: %.1fx the wall time, %.1fx the CPU time; peak RSS above idle %.1f MB\n", f, b/a, (e+g)/(c+d), (m-i)/1024 }'
  ffms=$(ffmpeg -nostats -i "$dir/$f" -f s16le -ac 1 - 2>/dev/null | wc -c)
  rate=$(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of default=nk=1:nw=1 "$dir/$f")
  loams=$("$dir/loa" probe --json "$dir/$f" | awk -F': ' '/"duration_ms"/ { gsub(",", "", $2); print $2 }')
  awk -v f="$f" -v s="$ffms" -v r="$rate" -v l="$loams" \
    'BEGIN { printf "%-22s duration: ffmpeg %.3f ms, loa %d ms\n", f, s / 2 * 1000 / r, l }'
done
cd "$root" && LOA_BENCH_DIR=$dir go test ./audio -run '^$' -bench 'Long' -benchtime 1x | grep -E '^Benchmark'
