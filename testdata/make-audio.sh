#!/usr/bin/env bash
# make-audio.sh rebuilds the audio test corpus in testdata/audio from short
# Vietnamese speech clips (espeak-ng -v vi). It is for humans: tests only read
# the committed files. Needs espeak-ng, sox, lame, ffmpeg and perl.
#
#   testdata/make-audio.sh          # rebuild, then print ffmpeg's figures
#
# The figures printed at the end (decoded length, integrated loudness, true
# peak) are the expected values recorded in audio/inspect_test.go.
set -euo pipefail
cd "$(dirname "$0")"
out=audio
# audio/found holds inputs found by searching, not made here: keep it.
rm -rf "$out/mp3" "$out/wav" "$out/other" "$out/bad" "$out/layouts"
mkdir -p "$out/mp3" "$out/wav" "$out/other" "$out/bad" "$out/layouts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() { espeak-ng -v vi -s 150 -w "$1" "$2"; }

# Source clips: 22.05 kHz mono speech from espeak-ng.
say "$tmp/a.wav" "Xin chào bà con. Đây là đài truyền thanh phường. Sau đây là thông báo về cải cách hành chính năm hai nghìn không trăm hai mươi sáu."
say "$tmp/b.wav" "Bà con có thể nộp hồ sơ trực tuyến qua cổng dịch vụ công và ứng dụng VNeID."
say "$tmp/c.wav" "Xin cảm ơn."
say "$tmp/d.wav" "Thông báo của ủy ban nhân dân phường."

# Normalised speech: mono 44.1 kHz, and a stereo version with a different
# clip on each side (so the two channels differ).
sox "$tmp/a.wav" -r 44100 "$tmp/a44.wav" gain -n -3
sox "$tmp/b.wav" -r 44100 "$tmp/b44.wav" gain -n -3
sox -M "$tmp/a44.wav" "$tmp/b44.wav" "$tmp/st44.wav"
sox "$tmp/d.wav" -r 22050 "$tmp/a22.wav" gain -n -3
sox -M "$tmp/a22.wav" "$tmp/c.wav" "$tmp/st22.wav" # short WAV clips keep the corpus small

# --- MP3 -------------------------------------------------------------------
lame --quiet -b 128 "$tmp/st44.wav" "$out/mp3/cbr128-stereo.mp3"          # MPEG-1, Info + LAME tag
lame --quiet -V 4 "$tmp/st44.wav" "$out/mp3/vbr-stereo.mp3"               # MPEG-1 VBR, Xing + LAME tag
lame --quiet -m m -b 48 --resample 22.05 "$tmp/a44.wav" "$out/mp3/cbr48-mono-22k.mp3" # MPEG-2 mono, frames too small for an Info tag
lame --quiet -b 64 --resample 22.05 "$tmp/st44.wav" "$out/mp3/cbr64-stereo-22k.mp3" # MPEG-2 stereo with Info + LAME tag
lame --quiet -m m -b 64 "$tmp/a44.wav" "$out/mp3/cbr64-mono-44k.mp3"      # MPEG-1 mono
lame --quiet -t -b 128 "$tmp/st44.wav" "$out/mp3/no-info-header.mp3"      # no Xing/Info frame
lame --quiet -b 128 --add-id3v2 --id3v2-only --tt "Thông báo" --ta "Phường" "$tmp/st44.wav" "$tmp/id3.mp3"
lame --quiet -b 64 -m m --id3v1-only --tt "Thong bao" "$tmp/a44.wav" "$tmp/id3v1.mp3"

# ID3v2 + ID3v1 + APEv2 tags around the same audio.
{
  head -c "$(($(stat -c %s "$tmp/id3.mp3")))" "$tmp/id3.mp3"
  # APEv2 footer-only tag with one item "Title=Loa" (32-byte footer).
  perl -e 'my $item = pack("V V", 3, 0) . "Title\0" . "Loa";
           my $size = length($item) + 32;
           print $item, "APETAGEX", pack("V V V V", 2000, $size, 1, 0), "\0" x 8;'
  perl -e 'print "TAG", pack("a30 a30 a30 a4 a30 C", "Thong bao", "Phuong", "", "2026", "", 12);'
} > "$out/mp3/tags-id3v2-ape-id3v1.mp3"
cp "$tmp/id3v1.mp3" "$out/mp3/id3v1-mono.mp3"

# ID3v2.4 with a footer ("3DI") in front of the audio.
perl -e 'my $body = "\3" . "Loa test" . "\0";
         my $frame = "TIT2" . pack("N", length($body) & 0x7f) . "\0\0" . $body;
         my $len = length($frame);
         my $ss = sub { my $n = shift; pack("C4", ($n>>21)&0x7f, ($n>>14)&0x7f, ($n>>7)&0x7f, $n&0x7f) };
         print "ID3", "\4\0", "\x10", $ss->($len), $frame, "3DI", "\4\0", "\x10", $ss->($len);' > "$tmp/footer.tag"
cat "$tmp/footer.tag" "$out/mp3/cbr64-mono-44k.mp3" > "$out/mp3/id3v24-footer.mp3"

# Trailing junk after the last frame (a text line, as some tools append).
{ cat "$out/mp3/cbr64-mono-44k.mp3"; printf 'this is not audio, just junk appended by a broken uploader\n%.0s' 1 2 3 4 5 6 7 8; } > "$out/mp3/trailing-junk.mp3"

# Speech with silence: 1 s head, 4 s gap, 1.5 s tail (cue-in/out, long silence).
sox "$tmp/a44.wav" "$tmp/pad1.wav" pad 1 0
sox -n -r 44100 -c 1 "$tmp/gap.wav" trim 0 4
sox "$tmp/pad1.wav" "$tmp/gap.wav" "$tmp/b44.wav" "$tmp/sil.wav" pad 0 1.5
lame --quiet -m m -b 64 "$tmp/sil.wav" "$out/mp3/silences.mp3"

# Too quiet (about -36 LUFS) and too loud / clipping (hard limited at 0 dBFS).
sox "$tmp/a44.wav" "$tmp/quiet.wav" gain -n -25
lame --quiet -m m -b 64 "$tmp/quiet.wav" "$out/mp3/too-quiet.mp3"
sox "$tmp/a44.wav" "$tmp/loud.wav" gain -n 0 gain 12
lame --quiet -m m -b 64 --nohist "$tmp/loud.wav" "$out/mp3/too-loud.mp3" 2>/dev/null || true

# Very short (about 0.8 s) and digital silence (3 s).
lame --quiet -m m -b 64 "$tmp/c.wav" "$out/mp3/very-short.mp3"
sox -n -r 44100 -c 2 -b 16 "$tmp/zero.wav" trim 0 3
lame --quiet -b 128 "$tmp/zero.wav" "$out/mp3/digital-silence.mp3"

# Louder than full scale inside the MP3: lame scales the float input by 1.8
# (+5.1 dB) after normalising to 0 dBFS, so the decoded peaks pass 0 dBFS
# and only a decoder with headroom measures them.
sox "$tmp/a44.wav" "$tmp/full.wav" trim 0 2.5 gain -n 0
lame --quiet -m m -b 64 --scale 1.8 "$tmp/full.wav" "$out/mp3/over-full-scale.mp3"

# --- MP3 layouts for the decoder fidelity test (audio/fidelity_test.go) ----
# Every kind of Layer III stream lame can write: MPEG-1, MPEG-2 (LSF) and
# MPEG-2.5 at each of their rates; mono, stereo, joint, dual channel and
# intensity stereo; CBR and VBR; with and without CRC. 2.5 s each.
sox "$tmp/st44.wav" "$tmp/st.wav" trim 0 2.5
sox "$tmp/a44.wav" "$tmp/mono.wav" trim 0 2.5
L=$out/layouts
lm() { local name=$1; shift; lame --quiet "$@" "$tmp/mono.wav" "$L/$name.mp3"; }
ls_() { local name=$1; shift; lame --quiet "$@" "$tmp/st.wav" "$L/$name.mp3"; }
ls_ mpeg1-44k-stereo-cbr128 -m s -b 128
ls_ mpeg1-48k-joint-vbr -m j -V 5 --resample 48
lm mpeg1-32k-mono-cbr48-crc -m m -b 48 -p --resample 32
ls_ mpeg1-44k-dual-cbr96 -m d -b 96 --resample 44.1
ls_ mpeg1-44k-joint-cbr64 -m j -b 64 --resample 44.1
lm mpeg2-22k-mono-cbr32 -m m -b 32 --cbr --resample 22.05 # the issue's layout
ls_ mpeg2-24k-stereo-cbr64 -m s -b 64 --resample 24
ls_ mpeg2-16k-joint-vbr -m j -V 6 --resample 16
ls_ mpeg2-22k-joint-cbr40-crc -m j -b 40 -p --resample 22.05
lm mpeg2-22k-mono-vbr -m m -V 7 --resample 22.05
lm mpeg2-24k-mono-cbr32 -m m -b 32 --resample 24
lm mpeg25-8k-mono-cbr16 -m m -b 16 --resample 8
ls_ mpeg25-11k-stereo-cbr32 -m s -b 32 --resample 11.025
ls_ mpeg25-12k-joint-vbr -m j -V 7 --resample 12
lm mpeg25-11k-mono-cbr24-crc -m m -b 24 -p --resample 11.025
ls_ mpeg2-22k-joint-cbr40 -m j -b 40 --resample 22.05
ls_ mpeg25-12k-joint-cbr32 -m j -b 32 --resample 12
# Intensity stereo: lame no longer writes it, so joint stereo streams get
# the intensity bit set in their frames' mode extension. For MPEG-1 that
# changes no bit of the side information or main data, so the stream stays
# valid: the right channel's scalefactors above its last non-zero line
# become intensity positions.
perl -e 'local $/; my $d = <STDIN>;
  my @br = (0,32,40,48,56,64,80,96,112,128,160,192,224,256,320);
  my @sr = (44100,48000,32000);
  my $p = 0;
  while ($p + 4 <= length($d)) {
    my ($b0,$b1,$b2,$b3) = unpack("C4", substr($d, $p, 4));
    last unless $b0 == 0xFF && ($b1 & 0xFE) == 0xFA; # MPEG-1 layer III, no CRC
    substr($d, $p + 3, 1) = chr($b3 | 0x10) if ($b3 >> 6) == 1;
    $p += int(144000 * $br[$b2 >> 4] / $sr[($b2 >> 2) & 3]) + (($b2 >> 1) & 1);
  }
  print $d;' < "$L/mpeg1-44k-joint-cbr64.mp3" > "$L/mpeg1-44k-intensity-cbr64.mp3"
# For MPEG-2 and 2.5 the intensity bit changes how the right channel's
# scalefactors are read (ISO 13818-3 2.4.3.2), so each frame's right-channel
# scalefac_compress is also replaced by an intensity one whose scalefactors
# take exactly as many bits (frames with none keep their mode), and the
# intensity_scale bit alternates. The main data is untouched.
lsf_intensity() {
  perl -e 'local $/; my $d = <STDIN>;
  my @br = (0,8,16,24,32,40,48,56,64,80,96,112,128,144,160);
  my %sr = (2 => [22050,24000,16000], 0 => [11025,12000,8000]);
  my @nsfb = ([[6,5,5,5],[9,9,9,9],[6,9,9,9]], [[6,5,7,3],[9,9,12,6],[6,9,12,6]],
              [[11,10,0,0],[18,18,0,0],[15,18,0,0]], [[7,7,7,0],[12,12,12,0],[6,15,12,0]],
              [[6,6,6,3],[12,9,9,6],[6,12,9,6]], [[8,8,5,0],[15,12,9,0],[6,18,9,0]]);
  sub bits { my ($t, $n, $s) = @_; my $b = 0; $b += $nsfb[$t][$n][$_] * $s->[$_] for 0..3; $b }
  sub normal { my $c = shift;
    return (0, [int(($c>>4)/5), ($c>>4)%5, ($c%16)>>2, $c%4]) if $c < 400;
    $c -= 400, return (1, [int(($c>>2)/5), ($c>>2)%5, $c%4, 0]) if $c < 500;
    $c -= 500; return (2, [int($c/3), $c%3, 0, 0]) }
  sub intensity { my $c = shift;
    return (3, [int($c/36), int(($c%36)/6), ($c%36)%6, 0]) if $c < 180;
    $c -= 180, return (4, [($c%64)>>4, ($c%16)>>2, $c%4, 0]) if $c < 244;
    $c -= 244; return (5, [int($c/3), $c%3, 0, 0]) }
  sub getb { my ($s, $o, $n) = @_; my $v = 0;
    $v = ($v << 1) | ((ord(substr($$s, $_ >> 3, 1)) >> (7 - ($_ & 7))) & 1) for $o .. $o+$n-1; $v }
  sub setb { my ($s, $o, $n, $v) = @_;
    for my $i (0 .. $n-1) { my $q = $o + $i; my $m = 1 << (7 - ($q & 7)); my $c = ord(substr($$s, $q >> 3, 1));
      substr($$s, $q >> 3, 1) = chr((($v >> ($n-1-$i)) & 1) ? $c | $m : $c & ~$m & 0xFF) } }
  my ($p, $k) = (0, 0);
  while ($p + 4 <= length($d)) {
    my ($b0,$b1,$b2,$b3) = unpack("C4", substr($d, $p, 4));
    last unless $b0 == 0xFF && ($b1 & 0xE7) == 0xE3; # MPEG-2/2.5 layer III, no CRC
    my $size = int(72000 * $br[$b2 >> 4] / $sr{($b1 >> 3) & 3}[($b2 >> 2) & 3]) + (($b2 >> 1) & 1);
    my $si = substr($d, $p + 4, 17);
    if (($b3 >> 6) == 1 && substr($d, $p + 21, 4) !~ /^(Xing|Info)$/) {
      my $ws = getb(\$si, 111, 1);
      my $n = $ws && getb(\$si, 112, 2) == 2 ? (getb(\$si, 114, 1) ? 2 : 1) : 0;
      my ($t0, $s0) = normal(getb(\$si, 102, 9));
      my $want = bits($t0, $n, $s0);
      for my $c (0 .. 255) {
        my ($t, $s) = intensity($c);
        next unless bits($t, $n, $s) == $want;
        setb(\$si, 102, 9, ($c << 1) | ($k++ & 1));
        substr($d, $p + 4, 17) = $si;
        substr($d, $p + 3, 1) = chr($b3 | 0x10);
        last;
      }
    }
    $p += $size;
  }
  print $d;'
}
lsf_intensity < "$L/mpeg2-22k-joint-cbr40.mp3" > "$L/mpeg2-22k-intensity-cbr40.mp3"
lsf_intensity < "$L/mpeg25-12k-joint-cbr32.mp3" > "$L/mpeg25-12k-intensity-cbr32.mp3"

# --- WAV -------------------------------------------------------------------
sox "$tmp/a22.wav" -b 16 "$out/wav/pcm16-mono-22k.wav"
sox "$tmp/a22.wav" -b 8 -e unsigned "$out/wav/pcm8-mono.wav"
ffmpeg -loglevel error -bitexact -i "$tmp/st22.wav" -c:a pcm_s24le "$out/wav/pcm24-stereo-extensible.wav" # 24-bit: ffmpeg writes EXTENSIBLE
ffmpeg -loglevel error -bitexact -i "$tmp/a22.wav" -c:a pcm_f32le "$out/wav/float32-mono.wav"
ffmpeg -loglevel error -bitexact -i "$tmp/a22.wav" -c:a pcm_s32le "$out/wav/pcm32-mono.wav"
# LIST/INFO and bext chunks (ffmpeg metadata), then an odd-sized chunk with
# its pad byte inserted before "data".
ffmpeg -loglevel error -i "$tmp/a22.wav" -write_bext 1 -metadata title="Thông báo" \
  -metadata description="CCHC" -c:a pcm_s16le "$out/wav/list-bext.wav"
perl -e 'local $/; my $w = <STDIN>;
         my $i = index($w, "data");
         my $chunk = "junk" . pack("V", 3) . "abc" . "\0";
         substr($w, $i, 0) = $chunk;
         substr($w, 4, 4) = pack("V", length($w) - 8);
         print $w;' < "$out/wav/pcm16-mono-22k.wav" > "$out/wav/odd-chunk.wav"

# --- Formats that need ffmpeg ------------------------------------------------
ffmpeg -loglevel error -i "$tmp/a22.wav" -c:a aac -b:a 48k "$out/other/speech.m4a"
ffmpeg -loglevel error -i "$tmp/a22.wav" -c:a libopus -b:a 24k "$out/other/speech.ogg"
ffmpeg -loglevel error -i "$tmp/a22.wav" -c:a flac "$out/other/speech.flac"
sox "$tmp/a44.wav" -r 8000 "$tmp/a8.wav"
lame --quiet -m m -b 16 "$tmp/a8.wav" "$out/other/mpeg25-8k.mp3"          # MPEG-2.5, 8 kHz (phones)

# --- Bad input ---------------------------------------------------------------
: > "$out/bad/empty.mp3"
src="$out/mp3/cbr128-stereo.mp3"
size=$(stat -c %s "$src")
head -c $((size / 2 + 100)) "$src" > "$out/bad/truncated.mp3"
# 3000 bytes of noise over the middle of the stream (frame headers included).
{ head -c $((size / 2)) "$src"; head -c 3000 /dev/urandom; tail -c +$((size / 2 + 3001)) "$src"; } > "$out/bad/corrupt-middle.mp3"
ffmpeg -loglevel error -f lavfi -i color=red:s=16x16 -frames:v 1 -f image2 -c:v png "$out/bad/image-renamed.mp3"
printf 'Thông báo: đây là một tệp văn bản, không phải âm thanh.\n' > "$out/bad/text-renamed.mp3"
head -c 8192 /dev/urandom > "$out/bad/random.mp3"
# ID3v2 tag and nothing else.
head -c "$(($(stat -c %s "$tmp/footer.tag")))" "$tmp/footer.tag" > "$out/bad/id3-only.mp3"
# WAV whose data chunk claims twice the bytes the file holds.
perl -e 'local $/; my $w = <STDIN>; my $i = index($w, "data");
         my $n = unpack("V", substr($w, $i + 4, 4));
         substr($w, $i + 4, 4) = pack("V", 2 * $n); print $w;' < "$out/wav/pcm16-mono-22k.wav" > "$out/bad/wav-data-too-long.wav"
# WAV whose fmt chunk lies: block align 3 for 16-bit mono.
perl -e 'local $/; my $w = <STDIN>; my $i = index($w, "fmt ");
         substr($w, $i + 8 + 12, 2) = pack("v", 3); print $w;' < "$out/wav/pcm16-mono-22k.wav" > "$out/bad/wav-fmt-lies.wav"
# WAV with a codec we do not read (IMA ADPCM) and ffmpeg "off".
ffmpeg -loglevel error -i "$tmp/a22.wav" -c:a adpcm_ima_wav "$out/bad/wav-adpcm.wav"

# audio/found/mpeg2-decoder-panic.mp3 is cbr64-stereo-22k.mp3 with 20 payload
# bytes changed (frame headers kept), the first of a random search that made
# go-mp3 panic (index out of range in its main-data reader). Not rebuilt here.
# ffmpeg decodes it without a complaint, and so does our fork of go-mp3.

# --- Reference figures from ffmpeg -------------------------------------------
report() {
  local f=$1
  local samples rate ebu
  rate=$(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of default=nk=1:nw=1 "$f")
  samples=$(ffmpeg -nostats -hide_banner -i "$f" -f s16le -ac 1 - 2>/dev/null | wc -c)
  ebu=$(ffmpeg -nostats -hide_banner -i "$f" -af ebur128=peak=true -f null - 2>&1 |
        awk '/Integrated loudness:/{f=1} f&&/I:/{i=$2} f&&/Peak:/{p=$2} END{print i, p}')
  printf '%-45s rate=%s samples=%s ms=%.3f I/TP=%s\n' "$f" "$rate" $((samples / 2)) \
    "$(echo "$samples / 2 * 1000 / $rate" | bc -l)" "$ebu"
}
for f in "$out"/mp3/*.mp3 "$out"/wav/*.wav "$out"/other/* "$out"/layouts/*; do report "$f"; done
du -sh "$out"
