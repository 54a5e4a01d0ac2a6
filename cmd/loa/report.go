package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/report"
	"loa/internal/app"
	"loa/playlist/ingest"
	"loa/web"
)

// reportConfig is what `loa report` builds and where it writes it.
type reportConfig struct {
	Data, Ward, Format, Out, Lang string
	Period                        report.Period
	LateMargin                    time.Duration
}

func parseReportFlags(args []string, stderr io.Writer) (reportConfig, error) {
	var c reportConfig
	var env envDefaults
	var period string
	fs := flag.NewFlagSet("loa report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&period, "period", "", "2026-Q3, 2026-H1, 2026, 2026-07 or 2026-07-01..2026-09-30 (days in the ward's zone)")
	fs.StringVar(&c.Format, "format", "xlsx", "xlsx, csv, json, html or docx (Word)")
	fs.StringVar(&c.Out, "out", "", `the file to write ("-" for standard output; default bao-cao-phat-thanh-PERIOD.FORMAT)`)
	fs.StringVar(&c.Data, "data", env.str("LOA_DATA", DefaultData), "data directory (LOA_DATA); the server must not be running on it")
	fs.StringVar(&c.Ward, "ward", env.str("LOA_WARD", ""), "the ward's name, as the report's heading shows it (LOA_WARD)")
	fs.StringVar(&c.Lang, "lang", "vi", "language of the HTML page: vi or en")
	fs.DurationVar(&c.LateMargin, "late-margin", ledger.DefaultLateMargin, "a start later than this counts as late")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := errors.Join(env.errs...); err != nil {
		return c, err
	}
	var err error
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case period == "":
		return c, errors.New("--period is required, e.g. --period 2026-Q3")
	case !slices.Contains(report.Formats, c.Format):
		return c, fmt.Errorf("--format %q: want xlsx, csv, json, html or docx", c.Format)
	case c.Lang != "vi" && c.Lang != "en":
		return c, fmt.Errorf("--lang %q: want vi or en", c.Lang)
	case c.LateMargin <= 0:
		return c, fmt.Errorf("--late-margin %v: want a positive duration such as 60s", c.LateMargin)
	}
	if c.Period, err = report.ParsePeriod(period); err != nil {
		return c, fmt.Errorf("--period: %w", err)
	}
	return c, nil
}

// runReport builds a period report from the data directory and writes it
// as a file. It reads the database directly, so the server must be stopped
// (the HTTP API serves the same report while it runs).
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseReportFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loa report:", err)
		return 2
	}
	out, err := writeReport(cfg, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "loa report:", err)
		return 1
	}
	if out != "-" {
		fmt.Fprintf(stdout, "Đã ghi báo cáo / report written: %s\n", out)
	}
	return 0
}

func writeReport(cfg reportConfig, stdout io.Writer) (string, error) {
	path := filepath.Join(cfg.Data, app.DBFile)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("no database in %s: %w", cfg.Data, err)
	}
	a, err := app.Open(app.Config{Data: cfg.Data, Ward: cfg.Ward, OpenTimeout: time.Second, Ingest: ingest.Config{FFmpeg: "off", TTS: "off"}},
		slog.New(slog.DiscardHandler))
	if errors.Is(err, app.ErrInUse) {
		return "", fmt.Errorf("%s is in use by a running server: stop it, or download the report from the server (GET /api/reports/%s?format=%s)", cfg.Data, cfg.Period.Code(), cfg.Format)
	}
	if err != nil {
		return "", err
	}
	defer a.Close()
	r, err := buildReport(a, cfg)
	if err != nil {
		return "", err
	}
	write := func(w io.Writer) error {
		if cfg.Format == "html" { // a file opened with no server: its style inside
			return report.WriteHTMLWith(w, r, cfg.Lang, report.HTMLOptions{CSS: web.ReportPrintCSS()})
		}
		return report.Write(w, r, cfg.Format, cfg.Lang)
	}
	if cfg.Out == "-" {
		return "-", write(stdout)
	}
	out := cfg.Out
	if out == "" {
		out = report.FileName(r, cfg.Format)
	}
	return out, writeReportFile(out, write)
}

func buildReport(a *app.App, cfg reportConfig) (*report.Report, error) {
	dir, err := a.Directory()
	if err != nil {
		return nil, err
	}
	st, err := a.ReportSettings.Get()
	if err != nil {
		return nil, err
	}
	b := *a.Reports
	b.LateMargin = cfg.LateMargin
	r, err := b.Build(cfg.Period, dir)
	if err != nil {
		return nil, err
	}
	r.SetIssuer(st)
	return r, nil
}

// writeReportFile writes a file through a temporary one and a rename, so a
// failed export never leaves half a file under the final name.
func writeReportFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".loa-report-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
