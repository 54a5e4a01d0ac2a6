package report

import (
	"errors"
	"slices"
	"time"

	"loa/internal/ward"
	"loa/playlist/library"
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
	// each makes the rows day by day as they are written (StreamLog);
	// Rows is then empty.
	each func(fn func(LogRow) error) error
}

// Each calls fn for every row of the log, in order: the rows held, or for
// a log from StreamLog, the rows as each day is reconciled.
func (l *Log) Each(fn func(LogRow) error) error {
	if l.each != nil {
		return l.each(fn)
	}
	for _, r := range l.Rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
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
	names, only := logStations(f, dir)
	lines, err := b.reconcile(now, f.Period, only)
	if err != nil {
		return nil, err
	}
	log := &Log{Filter: f, Now: now, Rows: make([]LogRow, 0, len(lines))}
	for _, l := range lines {
		if f.picks(l) {
			log.Rows = append(log.Rows, LogRow{Line: l, StationName: names.of(l.Station)})
		}
	}
	return log, nil
}

// StreamLog is Log for an export: the same rows in the same order, made a
// day at a time while they are written (Log.Each), so that the memory
// holds one day's lines and not the period's (a ward's quarter is
// millions). Each day reads its events and the planned items starting in
// it (those of the period's first and last days that start outside it go
// with those days, as Log has them).
func (b *Builder) StreamLog(now time.Time, f LogFilter, dir Directory) (*Log, error) {
	if f.Period.Days() > MaxLogDays {
		return nil, ErrLogTooLong
	}
	names, only := logStations(f, dir)
	zone := b.zone()
	chunk := func(t time.Time) library.Date { // the day an item's start goes with
		return min(max(ward.DayOf(t, zone), f.Period.From), f.Period.To)
	}
	each := func(fn func(LogRow) error) error {
		for d := f.Period.From; d <= f.Period.To; d = d.AddDays(1) {
			w := window{lo: d.Start(zone), hi: d.End(zone), from: max(d.AddDays(-1), f.Period.From), to: min(d.AddDays(1), f.Period.To),
				keep: func(start time.Time) bool { return chunk(start) == d }}
			lines, err := b.reconcileIn(now, w, only)
			if err != nil {
				return err
			}
			for _, l := range lines {
				if !f.picks(l) {
					continue
				}
				if err := fn(LogRow{Line: l, StationName: names.of(l.Station)}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return &Log{Filter: f, Now: now, each: each}, nil
}

// stationNames are the registry's station names by id.
type stationNames map[string]string

// of is a station's name, or its id when the registry has none.
func (n stationNames) of(id string) string {
	if name := n[id]; name != "" {
		return name
	}
	return id
}

// logStations reads the station names of dir and the stations f picks: a
// station, a group's stations, or nil for all.
func logStations(f LogFilter, dir Directory) (stationNames, []string) {
	names := stationNames{}
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
	return names, only
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
