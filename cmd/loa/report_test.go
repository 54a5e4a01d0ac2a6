package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"go.etcd.io/bbolt"

	"loa/broadcast/ledger"
	"loa/internal/app"
	"loa/internal/apptest"
	"loa/stations"
)

// reportDataDir is a data directory whose ledger holds 5 aired events in
// Q3 2026 and one in Q2 at station tdp-01.
func reportDataDir(t *testing.T) string {
	t.Helper()
	cfg := apptest.Config(t)
	apptest.Prepare(t, cfg, func(a *app.App) error {
		if _, _, err := a.Stations.Create(stations.New("tdp-01", "Tổ dân phố 1"), time.Now()); err != nil {
			return err
		}
		var events []ledger.Event
		for i, day := range []int{0, 20, 40, 60, 80, -10} {
			at := time.Date(2026, 7, 1, 7, 0, 0, 0, time.FixedZone("ICT", 7*3600)).AddDate(0, 0, day)
			events = append(events, ledger.Event{StationID: "tdp-01", ID: fmt.Sprint("ev", i), ItemID: fmt.Sprint("it", i), SegmentID: "7",
				Title: "Hướng dẫn cài đặt VNeID", Topic: "cchc-dvc-truc-tuyen", Level: "ordinary", Duration: 2 * time.Minute,
				Planned: at, Started: at, Ended: at.Add(2 * time.Minute), Played: 2 * time.Minute, Outcome: "completed"})
		}
		_, err := a.Ledger.Record(events)
		return err
	})
	return cfg.Data
}

func TestLoaReportWritesTheQuarterAsExcel(t *testing.T) {
	t.Parallel()
	data := reportDataDir(t)
	out := filepath.Join(t.TempDir(), "q3.xlsx")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"report", "--period", "2026-Q3", "--format", "xlsx", "--out", out, "--data", data, "--ward", "Phường An Phú"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plays, _ := f.GetCellValue("Tổng hợp", "B7")
	before, _ := f.GetCellValue("Tổng hợp", "C7")
	airtime, _ := f.GetCellValue("Tổng hợp", "B9")
	ward, _ := f.GetCellValue("Tổng hợp", "A2")
	if plays != "5" || before != "1" || airtime != "0:10:00" || !strings.Contains(ward, "Phường An Phú") {
		t.Fatalf("plays %q, previous %q, airtime %q, %q", plays, before, airtime, ward)
	}
}

func TestLoaReportJSONToStandardOutput(t *testing.T) {
	t.Parallel()
	data := reportDataDir(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"report", "--period", "2026-07", "--format", "json", "--out", "-", "--data", data}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var r struct {
		Totals struct{ Plays int }
		Period struct {
			NameVi string `json:"name_vi"`
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil || r.Totals.Plays != 2 || r.Period.NameVi != "Tháng 7/2026" {
		t.Fatalf("%v %+v", err, r)
	}
}

func TestLoaReportRefusesBadInputClearly(t *testing.T) {
	t.Parallel()
	data := reportDataDir(t)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--period", "2026-Q5"}, 2, "Q1 to Q4"},
		{[]string{"--period", "2026-09-30..2026-07-01"}, 2, "before the first"},
		{[]string{"--period", "2026-Q3", "--format", "pdf"}, 2, "want xlsx, csv, json, html or docx"},
		{[]string{"--format", "csv"}, 2, "--period is required"},
		{[]string{"--period", "2026-Q3", "--data", filepath.Join(data, "nowhere")}, 1, "no database"},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"report", "--data", data, "--out", filepath.Join(t.TempDir(), "x")}, c.args...)
		if code := run(context.Background(), args, &stdout, &stderr); code != c.code || !strings.Contains(stderr.String(), c.says) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, stderr.String(), c.code, c.says)
		}
	}
	// A running server holds the database: say so instead of hanging.
	db, err := bbolt.Open(filepath.Join(data, "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"report", "--period", "2026-Q3", "--data", data, "--out", filepath.Join(t.TempDir(), "x")}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "in use by a running server") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
}
