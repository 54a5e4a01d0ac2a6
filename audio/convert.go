package audio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Conversion of formats the Go decoders cannot read. The target is MP3
// (libmp3lame, VBR quality 4, 44.1 kHz, mono kept mono): the stored file is
// downloaded by every station over often slow links, so it should be small
// (a WAV of the same speech is 5–10 times larger), the whole pipeline plays
// MP3 anyway, and ffmpeg writes a LAME tag, so the converted file stays
// gapless. One more lossy generation at this quality is inaudible on
// speech through a loudspeaker.

// ffmpegArgs are the encoding options after "-i input".
var ffmpegArgs = []string{
	"-vn", "-sn", "-dn", "-map_metadata", "-1",
	"-af", "aformat=channel_layouts=mono|stereo",
	"-ar", "44100", "-c:a", "libmp3lame", "-q:a", "4", "-f", "mp3",
}

// convertAndInspect converts path with ffmpeg and inspects the result. With
// no ffmpeg it rejects the file, naming the format and the fix.
func convertAndInspect(ctx context.Context, path, format string, opts Options) (Analysis, error) {
	bin, err := ffmpegPath(opts.FFmpeg)
	if err != nil {
		return Analysis{}, &Error{Code: CodeUnsupportedFormat, Format: format, Offset: -1,
			Detail: fmt.Sprintf("%s audio cannot be read directly: install ffmpeg or convert to MP3/WAV", format)}
	}
	out, err := convert(ctx, bin, path, opts.TempDir, opts.MaxDuration)
	if err != nil {
		var rej *Error
		if errors.As(err, &rej) {
			rej.Format = format
		}
		return Analysis{}, err
	}
	off := opts
	off.FFmpeg = "off"
	a, err := inspectNative(ctx, out, off)
	if err != nil {
		os.Remove(out)
		var rej *Error
		if errors.As(err, &rej) {
			return Analysis{}, &Error{Code: CodeConversionFailed, Format: format, Offset: -1,
				Detail: "ffmpeg's output is not valid audio", Err: err}
		}
		return Analysis{}, err
	}
	a.ConvertedFrom = format
	if a.Source, err = describeSource(ctx, bin, path, format); err != nil {
		os.Remove(out)
		return Analysis{}, err
	}
	a.Warnings = append([]Warning{{Code: WarnConverted,
		Message: fmt.Sprintf("converted from %s to MP3 with ffmpeg", format)}}, a.Warnings...)
	return a, nil
}

// ffmpegPath resolves Options.FFmpeg; "off" and a missing binary are errors.
func ffmpegPath(opt string) (string, error) {
	switch opt {
	case "off":
		return "", errors.New("conversion disabled")
	case "":
		opt = "ffmpeg"
	}
	return exec.LookPath(opt)
}

// convert runs ffmpeg into a new file in dir and returns its path; on
// failure nothing is left behind. With a limit, ffmpeg stops writing a
// second past it (a few KB of FLAC can hold hours of silence), and the
// too-long result is refused by Inspect.
func convert(ctx context.Context, bin, path, dir string, limit time.Duration) (string, error) {
	out, err := os.CreateTemp(dir, "loa-convert-*.mp3")
	if err != nil {
		return "", fmt.Errorf("convert: %w", err)
	}
	out.Close()
	args := append([]string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", path}, ffmpegArgs...)
	if limit > 0 {
		args = append(args, "-t", strconv.FormatFloat((limit+time.Second).Seconds(), 'f', 3, 64))
	}
	cmd := exec.CommandContext(ctx, bin, append(args, out.Name())...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(out.Name())
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", &Error{Code: CodeConversionFailed, Offset: -1,
			Detail: "ffmpeg could not convert the file: " + lastLine(stderr.String()), Err: err}
	}
	return out.Name(), nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// describeSource hashes the given file and asks ffprobe, when it sits
// beside ffmpeg or in PATH, for its rate, channels, duration and bitrate.
func describeSource(ctx context.Context, ffmpeg, path, format string) (*Source, error) {
	src := &Source{Format: format}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("describe source: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if src.Size, err = io.Copy(h, ctxReader{ctx, f}); err != nil {
		return nil, fmt.Errorf("describe source: %w", err)
	}
	src.SHA256 = hex.EncodeToString(h.Sum(nil))
	probe, err := exec.LookPath(filepath.Join(filepath.Dir(ffmpeg), "ffprobe"))
	if err != nil {
		if probe, err = exec.LookPath("ffprobe"); err != nil {
			return src, nil
		}
	}
	out, err := exec.CommandContext(ctx, probe, "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=sample_rate,channels:format=duration,bit_rate", "-of", "json", path).Output()
	if err != nil {
		return src, nil // the conversion worked; the description is best effort
	}
	var p struct {
		Streams []struct {
			SampleRate string `json:"sample_rate"`
			Channels   int    `json:"channels"`
		} `json:"streams"`
		Format struct {
			Duration string `json:"duration"`
			BitRate  string `json:"bit_rate"`
		} `json:"format"`
	}
	if json.Unmarshal(out, &p) != nil || len(p.Streams) == 0 {
		return src, nil
	}
	src.SampleRate, _ = strconv.Atoi(p.Streams[0].SampleRate)
	src.Channels = p.Streams[0].Channels
	if d, err := strconv.ParseFloat(p.Format.Duration, 64); err == nil {
		src.DurationMS = int64(math.Round(d * 1000))
	}
	if b, err := strconv.Atoi(p.Format.BitRate); err == nil {
		src.BitrateKbps = int(math.Round(float64(b) / 1000))
	}
	return src, nil
}
