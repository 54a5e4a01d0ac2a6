package report

import (
	"errors"
	"slices"
	"time"
)

// The aired log (Nhật ký phát sóng): every planned item of a station's,
// a group's or the ward's days beside what aired — actual start and end,
// time played, outcome and reason — with the emergencies, live broadcasts
// and relays where they cut in. It is built from Reconcile's lines, so its
// rows are the ones the report's figures count.

// MaxLogDays bounds the aired log's range: it reads every event of its
// days (a quarter at most).
const MaxLogDays = 92

// ErrLogTooLong is returned for a log over more than MaxLogDays days.
var ErrLogTooLong = errors.New("the aired log covers at most 92 days")

// A Log is the aired log's rows a filter picks, as of Now.
type Log struct {
	Filter LogFilter
	Now    time.Time
	Rows   []LogRow
}

// A LogRow is a reconciliation line with its station's name.
type LogRow struct {
	Line
	StationName string `json:"station_name"`
}

// OnAir reports whether the row's item went on air at all.
func (l Line) OnAir() bool {
	switch l.Status {
	case "aired", "late", "partial", "interrupted":
		return true
	}
	return false
}

// Log builds the aired log of f as of now: its period's lines for the
// stations f picks (a station, a group's stations, or all), filtered by
// topic, item and status.
func (b *Builder) Log(now time.Time, f LogFilter, dir Directory) (*Log, error) {
	if f.Period.Days() > MaxLogDays {
		return nil, ErrLogTooLong
	}
	names := map[string]string{}
	var only []string // nil: every station
	if f.Group != "" {
		only = []string{}
	}
	for _, s := range dir.Stations {
		names[s.ID] = s.Name
		if f.Group != "" && slices.Contains(s.Groups, f.Group) && (f.Station == "" || s.ID == f.Station) {
			only = append(only, s.ID)
		}
	}
	if f.Station != "" && f.Group == "" {
		only = []string{f.Station}
	}
	lines, err := b.reconcile(now, f.Period, only)
	if err != nil {
		return nil, err
	}
	log := &Log{Filter: f, Now: now}
	for _, l := range lines {
		if f.picks(l) {
			name := names[l.Station]
			if name == "" {
				name = l.Station
			}
			log.Rows = append(log.Rows, LogRow{Line: l, StationName: name})
		}
	}
	return log, nil
}

// picks reports whether line l passes the filter's topic, item and status.
func (f LogFilter) picks(l Line) bool {
	switch {
	case f.Topic != "" && l.Topic != f.Topic:
		return false
	case f.Segment != "" && l.SegmentID != f.Segment:
		return false
	case f.Status == StatusOnAir:
		return l.OnAir()
	case f.Status != "":
		return l.Status == f.Status
	}
	return true
}

// LogTable lays the log out as the report's other tables are (one table
// model): the page, the CSV and the XLSX sheet "Nhật ký phát sóng" render
// it, with real date and time cells in the workbook.
func LogTable(l *Log, lang string) Table {
	t := logColumns(lang)
	for _, r := range l.Rows {
		t.Rows = append(t.Rows, logCells(r, lang))
	}
	return t
}

// logColumns is the log's table without its rows.
func logColumns(lang string) Table {
	return Table{ID: "airlog", Title: label(lang, "sheet_airlog"),
		Columns: columns(lang, []float64{17, 12, 22, 44, 20, 12, 17, 17, 12, 12, 22, 40},
			"planned_at", "station_id", "station", "title", "topic", "kind", "started_at", "ended_at", "duration", "played", "status", "reason")}
}

// logCells is one row of the log's table.
func logCells(r LogRow, lang string) []Cell {
	started, ended := txt(""), txt("")
	if !r.Started.IsZero() {
		started = instantSec(r.Started)
	}
	if !r.Ended.IsZero() {
		ended = instantSec(r.Ended)
	}
	return row(instantSec(r.Planned), txt(r.Station), txt(r.StationName), txt(r.Title), txt(r.Topic),
		txt(kindLabel(lang, "kind_"+kindOf(r.Kind))), started, ended, dur(Airtime(r.Duration)), dur(Airtime(r.Played)),
		txt(StatusText(lang, r.Status)), txt(r.ReasonIn(lang)))
}

// instantSec is an instant shown to the second (dd/mm/yyyy HH:MM:SS).
func instantSec(t time.Time) Cell { return Cell{Kind: CellTimeSec, At: t} }

// StatusText words a reconciliation status in lang: phát đủ, phát trễ,
// phát không trọn vẹn, bị ngắt, lỗi, bỏ lỡ, quá giờ chưa báo cáo, chưa
// tới giờ, phát khẩn cấp.
func StatusText(lang, status string) string { return label(lang, "log_"+status) }
