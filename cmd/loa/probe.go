package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"loa/audio"
)

// probeResult is one file of `loa probe --json`. The top level describes
// the file as it was given (format, rate, channels, duration, bitrate,
// size, sha256) and the measurements of what would play (loudness, true
// peak, cues, warnings); Stored is what ingest would store: the same file,
// or its conversion to MP3. A rejected file has its error code and offset.
type probeResult struct {
	File        string  `json:"file"`
	OK          bool    `json:"ok"`
	Error       *string `json:"error"` // null when ok
	ErrorCode   string  `json:"error_code,omitempty"`
	ErrorOffset *int64  `json:"error_offset,omitempty"`

	audio.Source // the file as given

	LoudnessLUFS *float64        `json:"loudness_lufs"`
	TruePeakDBTP float64         `json:"true_peak_dbtp"`
	CueInMS      int64           `json:"cue_in_ms"`
	CueOutMS     int64           `json:"cue_out_ms"`
	Warnings     []audio.Warning `json:"warnings"`

	Stored *probeStored `json:"stored"` // null when rejected
}

// probeStored is the file ingest would store.
type probeStored struct {
	audio.Source
	ConvertedFrom string `json:"converted_from,omitempty"`
}

// runProbe checks and measures audio files without a server, as ingest
// would. It exits 1 when any file is rejected, 2 on bad usage.
func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loa probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a JSON array, one object per file")
	target := fs.Float64("target", audio.DefaultTargetLUFS, "loudness target for warnings, LUFS")
	ffmpeg := fs.String("ffmpeg", "", `ffmpeg binary for M4A, Ogg, FLAC, AMR... ("" = from PATH, "off" = never convert)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loa probe [--json] [--target LUFS] [--ffmpeg PATH] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	tmp, err := os.MkdirTemp("", "loa-probe-")
	if err != nil {
		fmt.Fprintln(stderr, "loa probe:", err)
		return 1
	}
	defer os.RemoveAll(tmp) // converted files are only looked at
	opts := audio.Options{TargetLUFS: *target, FFmpeg: *ffmpeg, TempDir: tmp}
	results := make([]probeResult, 0, fs.NArg())
	code := 0
	for _, file := range fs.Args() {
		r := probeFile(ctx, file, opts)
		if !r.OK {
			code = 1
		}
		results = append(results, r)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			fmt.Fprintln(stderr, "loa probe:", err)
			return 1
		}
		return code
	}
	printProbeTable(stdout, results)
	return code
}

func probeFile(ctx context.Context, file string, opts audio.Options) probeResult {
	a, err := audio.Inspect(ctx, file, opts)
	r := probeResult{File: file, OK: err == nil, Warnings: []audio.Warning{}}
	if err != nil {
		msg := err.Error()
		r.Error = &msg
		var rej *audio.Error
		if errors.As(err, &rej) {
			r.ErrorCode, r.Format = rej.Code, rej.Format
			if rej.Offset >= 0 {
				r.ErrorOffset = &rej.Offset
			}
		}
		return r
	}
	r.Stored = &probeStored{ConvertedFrom: a.ConvertedFrom, Source: audio.Source{Format: a.Format, SampleRate: a.SampleRate,
		Channels: a.Channels, DurationMS: a.DurationMS, BitrateKbps: a.BitrateKbps, Size: a.Size, SHA256: a.SHA256}}
	r.Source = r.Stored.Source
	if a.Source != nil {
		r.Source = *a.Source
	}
	r.LoudnessLUFS, r.TruePeakDBTP, r.CueInMS, r.CueOutMS = a.LoudnessLUFS, a.TruePeakDBTP, a.CueInMS, a.CueOutMS
	r.Warnings = append(r.Warnings, a.Warnings...)
	return r
}

// printProbeTable prints one line per file, then its warnings indented.
func printProbeTable(w io.Writer, results []probeResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tFORMAT\tDURATION\tRATE\tCH\tKBPS\tLUFS\tdBTP\tCUE\tRESULT")
	for _, r := range results {
		if !r.OK {
			fmt.Fprintf(tw, "%s\t%s\t\t\t\t\t\t\t\tREJECTED %s\n", r.File, r.Format, *r.Error)
			continue
		}
		lufs := "none"
		if r.LoudnessLUFS != nil {
			lufs = fmt.Sprintf("%.1f", *r.LoudnessLUFS)
		}
		format, rate := r.Format, fmt.Sprint(r.SampleRate)
		if st := r.Stored; st.ConvertedFrom != "" {
			format, rate = r.Format+"→"+st.Format, fmt.Sprintf("%d→%d", r.SampleRate, st.SampleRate)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%.1f\t%s–%s\t%s\n", r.File, format, seconds(r.DurationMS),
			rate, r.Channels, r.BitrateKbps, lufs, r.TruePeakDBTP, seconds(r.CueInMS), seconds(r.CueOutMS), warningCodes(r.Warnings))
	}
	tw.Flush()
}

func seconds(ms int64) string { return fmt.Sprintf("%d.%03ds", ms/1000, ms%1000) }

func warningCodes(ws []audio.Warning) string {
	if len(ws) == 0 {
		return "ok"
	}
	codes := make([]string, len(ws))
	for i, w := range ws {
		codes[i] = w.Code
	}
	return "ok, warnings: " + strings.Join(codes, ", ")
}
