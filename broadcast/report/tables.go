package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The report is laid out once, as a list of tables of typed cells (the
// table model); the page, the XLSX, CSV, JSON and print exports all render
// these tables, so a column added here appears in every one of them. The
// XLSX writer stores cells as real numbers, dates and durations; CSV and
// HTML format them as text.

// CellKind says what a cell holds.
type CellKind uint8

// Kinds of cell.
const (
	CellText     CellKind = iota
	CellInt               // a count, or a number such as an item's id
	CellDuration          // airtime, shown h:mm:ss
	CellPercent           // a share 0–1; negative means "no figure"
	CellTime              // an instant, shown in the ward's zone
	CellTimeSec           // an instant to the second, in the ward's zone
)

// A Cell is one value of a table.
type Cell struct {
	Kind  CellKind
	Text  string
	Int   int
	Share float64
	Dur   time.Duration
	At    time.Time
	// Rows names the aired-log rows behind a figure, when it has any: the
	// page links the figure to them.
	Rows *LogFilter
}

// A Column is one column of a table.
type Column struct {
	Key   string  // stable, for JSON and tests
	Label string  // the heading in the report's language
	Width float64 // XLSX column width
	// Sums says the total row holds the sum of the column: rows are
	// rounded so that they add up to the total as shown.
	Sums bool
}

// A Table is one sheet of the workbook, one section of the CSV, of the
// page and of the printed report.
type Table struct {
	ID      string // stable, for file names and HTML anchors
	Title   string // also the sheet name: at most 31 characters
	Columns []Column
	Rows    [][]Cell
	Total   []Cell // the totals row, nil when the table has none
}

func txt(s string) Cell        { return Cell{Kind: CellText, Text: s} }
func num(i int) Cell           { return Cell{Kind: CellInt, Int: i} }
func dur(a Airtime) Cell       { return Cell{Kind: CellDuration, Dur: time.Duration(a)} }
func pct(f float64) Cell       { return Cell{Kind: CellPercent, Share: f} }
func instant(t time.Time) Cell { return Cell{Kind: CellTime, At: t} }
func mark(b bool) Cell         { return txt(map[bool]string{true: "x"}[b]) }
func row(cells ...Cell) []Cell { return cells }

// idCell is an id as a number when it is one (an item's id), else text.
func idCell(id string) Cell {
	if n, err := strconv.Atoi(id); err == nil && n >= 0 && strconv.Itoa(n) == id {
		return num(n)
	}
	return txt(id)
}

// with links c to the aired-log rows f.
func (c Cell) with(f LogFilter) Cell { c.Rows = &f; return c }

// columns makes the columns of keys, worded in lang, with their widths.
func columns(lang string, widths []float64, keys ...string) []Column {
	out := make([]Column, len(keys))
	for i, k := range keys {
		out[i] = Column{Key: k, Label: label(lang, k)}
		if i < len(widths) {
			out[i].Width = widths[i]
		}
	}
	return out
}

// sums marks the columns whose total is their sum.
func sums(cols []Column, keys ...string) []Column {
	for i := range cols {
		for _, k := range keys {
			if cols[i].Key == k {
				cols[i].Sums = true
			}
		}
	}
	return cols
}

// Numeric reports whether the cell is a number people read right-aligned.
func (c Cell) Numeric() bool {
	return c.Kind == CellInt || c.Kind == CellDuration || c.Kind == CellPercent
}

// Format writes a cell as a person reads it on the page and in print:
// shares with a decimal comma, airtime h:mm:ss, instants dd/mm/yyyy HH:MM
// in loc.
func (c Cell) Format(loc *time.Location) string {
	switch c.Kind {
	case CellInt:
		return strconv.Itoa(c.Int)
	case CellDuration:
		return Airtime(c.Dur).HMS()
	case CellPercent:
		if c.Share < 0 {
			return ""
		}
		return strings.Replace(fmt.Sprintf("%.1f%%", c.Share*100), ".", ",", 1)
	case CellTime:
		return c.At.In(loc).Format("02/01/2006 15:04")
	case CellTimeSec:
		return c.At.In(loc).Format("02/01/2006 15:04:05")
	}
	return c.Text
}

// Tables lays the report out in lang ("en" or Vietnamese).
func Tables(r *Report, lang string) []Table {
	ts := []Table{totalsTable(r, lang), kindsTable(r, lang), topicsTable(r, lang), planTable(r, lang, "stations"),
		planTable(r, lang, "groups"), itemsTable(r, lang), monthsTable(r, lang), problemsTable(r, lang)}
	if r.Listens != nil {
		ts = append(ts, listensTable(r, lang), listenTopicsTable(r, lang))
	}
	for i := range ts {
		ts[i].apportion()
	}
	return ts
}

func totalsTable(r *Report, lang string) Table {
	c, p := r.Totals, r.PrevTotals
	t := Table{ID: "totals", Title: label(lang, "sheet_totals"), Columns: []Column{
		{Key: "indicator", Label: label(lang, "indicator"), Width: 44},
		{Key: "current", Label: r.Period.name(lang), Width: 22},
		{Key: "previous", Label: r.Previous.name(lang), Width: 22}}}
	add := func(key string, a, b Cell) { t.Rows = append(t.Rows, row(txt(label(lang, key)), a, b)) }
	all, prev := LogFilter{Period: r.Period.Period}, LogFilter{Period: r.Previous.Period}
	add("plays", num(c.Plays).with(all.on()), num(p.Plays).with(prev.on()))
	add("distinct_items", num(c.DistinctItems), num(p.DistinctItems))
	add("airtime", dur(c.Airtime), dur(p.Airtime))
	add("cchc_airtime", dur(c.CCHCAirtime), dur(p.CCHCAirtime))
	add("cchc_share", pct(c.CCHCShare), pct(p.CCHCShare))
	add("emergency", num(c.Emergency).with(all.is(StatusEmergency)), num(p.Emergency).with(prev.is(StatusEmergency)))
	add("emergency_airtime", dur(c.EmergencyAirtime), dur(p.EmergencyAirtime))
	addStatuses(add, c.Statuses, p.Statuses, all, prev)
	add("compliance", pct(c.Compliance), pct(p.Compliance))
	return t
}

// addStatuses adds a row per reconciliation status, each linked to its rows.
func addStatuses(add func(string, Cell, Cell), c, p Statuses, cf, pf LogFilter) {
	add("planned", num(c.Planned).with(cf), num(p.Planned).with(pf))
	for _, s := range statusColumns {
		add(s, num(c.count(s)).with(cf.is(s)), num(p.count(s)).with(pf.is(s)))
	}
}

// statusColumns are the reconciliation statuses of planned items, in the
// order the tables show them.
var statusColumns = []string{"aired", "late", "partial", "interrupted", "failed", "missed", StatusOverdue, StatusFuture}

func (s Statuses) count(status string) int {
	switch status {
	case "aired":
		return s.Aired
	case "late":
		return s.Late
	case "partial":
		return s.Partial
	case "interrupted":
		return s.Interrupted
	case "failed":
		return s.Failed
	case "missed":
		return s.Missed
	case StatusOverdue:
		return s.Overdue
	case StatusFuture:
		return s.Future
	}
	return 0
}

func (p PeriodInfo) name(lang string) string {
	if lang == "en" {
		return p.NameEn
	}
	return p.NameVi
}

// shareOfAll is the total of a share column: all of it, or no figure.
func shareOfAll(air Airtime) Cell {
	if air > 0 {
		return pct(1)
	}
	return pct(-1)
}

func topicsTable(r *Report, lang string) Table {
	t := Table{ID: "topics", Title: label(lang, "sheet_topics"),
		Columns: sums(columns(lang, []float64{6, 50, 7, 12, 14, 12, 14, 14}, "no", "topic", "cchc", "plays", "airtime", "share", "prev_plays", "prev_airtime"),
			"plays", "airtime", "share", "prev_plays", "prev_airtime")}
	var plays, prevPlays int
	var air, prevAir Airtime
	for i, x := range r.Topics {
		name := x.Name
		if lang == "en" && x.NameEn != "" {
			name = x.NameEn
		}
		f := LogFilter{Period: r.Period.Period, Topic: x.ID}
		t.Rows = append(t.Rows, row(num(i+1), txt(name), mark(x.CCHC), num(x.Plays).with(f.on()), dur(x.Airtime), pct(x.Share), num(x.PrevPlays), dur(x.PrevAirtime)))
		plays, prevPlays, air, prevAir = plays+x.Plays, prevPlays+x.PrevPlays, air+x.Airtime, prevAir+x.PrevAirtime
	}
	t.Total = row(txt(""), txt(label(lang, "total")), txt(""), num(plays), dur(air), shareOfAll(air), num(prevPlays), dur(prevAir))
	return t
}

func planTable(r *Report, lang, which string) Table {
	rows, title, id, name := r.Stations, "sheet_stations", "station_id", "station"
	if which == "groups" {
		rows, title, id, name = r.Groups, "sheet_groups", "group_id", "group"
	}
	keys := append(append([]string{"no", id, name, "planned", "plays"}, statusColumns...), "airtime", "compliance", "prev_planned", "prev_plays", "prev_compliance")
	t := Table{ID: which, Title: label(lang, title),
		Columns: columns(lang, []float64{6, 12, 26, 11, 11, 11, 9, 11, 10, 9, 9, 12, 11, 14, 12, 11, 11, 12}, keys...)}
	if which == "stations" { // a station may be in several groups: groups do not add up
		t.Columns = sums(t.Columns, append(append([]string{"planned", "plays"}, statusColumns...), "airtime", "prev_planned", "prev_plays")...)
	}
	var sum PlanRow
	for i, x := range rows {
		f := LogFilter{Period: r.Period.Period, Station: x.ID}
		if which == "groups" {
			f = LogFilter{Period: r.Period.Period, Group: x.ID}
		}
		cells := row(num(i+1), txt(x.ID), txt(x.Name), num(x.Planned).with(f), num(x.Plays).with(f.on()))
		for _, s := range statusColumns {
			cells = append(cells, num(x.count(s)).with(f.is(s)))
		}
		t.Rows = append(t.Rows, append(cells, dur(x.Airtime), pct(x.Compliance), num(x.PrevPlanned), num(x.PrevPlays), pct(x.PrevCompliance)))
		sum.add(x)
	}
	if which == "stations" {
		all := LogFilter{Period: r.Period.Period}
		cells := row(txt(""), txt(""), txt(label(lang, "total")), num(sum.Planned).with(all), num(sum.Plays).with(all.on()))
		for _, s := range statusColumns {
			cells = append(cells, num(sum.count(s)).with(all.is(s)))
		}
		t.Total = append(cells, dur(sum.Airtime), pct(r.Totals.Compliance), num(sum.PrevPlanned), num(sum.PrevPlays), pct(r.PrevTotals.Compliance))
	}
	return t
}

// add sums x's counts and airtime into p.
func (p *PlanRow) add(x PlanRow) {
	p.Planned, p.Plays, p.Aired, p.Late = p.Planned+x.Planned, p.Plays+x.Plays, p.Aired+x.Aired, p.Late+x.Late
	p.Partial, p.Interrupted, p.Failed, p.Missed = p.Partial+x.Partial, p.Interrupted+x.Interrupted, p.Failed+x.Failed, p.Missed+x.Missed
	p.Overdue, p.Future, p.Airtime = p.Overdue+x.Overdue, p.Future+x.Future, p.Airtime+x.Airtime
	p.PrevPlanned, p.PrevPlays = p.PrevPlanned+x.PrevPlanned, p.PrevPlays+x.PrevPlays
}

func itemsTable(r *Report, lang string) Table {
	t := Table{ID: "items", Title: label(lang, "sheet_items"),
		Columns: sums(columns(lang, []float64{6, 12, 60, 22, 12, 14, 12}, "no", "item_id", "title", "topic", "plays", "airtime", "stations_reached"), "plays", "airtime")}
	var plays int
	var air Airtime
	topic := topicNames(r, lang)
	for i, x := range r.Items {
		f := LogFilter{Period: r.Period.Period, Segment: x.SegmentID}
		t.Rows = append(t.Rows, row(num(i+1), idCell(x.SegmentID), txt(x.Title), txt(topic(x.Topic)), num(x.Plays).with(f.on()), dur(x.Airtime), num(x.Stations)))
		plays, air = plays+x.Plays, air+x.Airtime
	}
	t.Total = row(txt(""), txt(""), txt(label(lang, "total")), txt(""), num(plays), dur(air), txt(""))
	return t
}

func monthsTable(r *Report, lang string) Table {
	t := Table{ID: "months", Title: label(lang, "sheet_months"),
		Columns: sums(columns(lang, []float64{18, 12, 14}, "month", "plays", "airtime"), "plays", "airtime")}
	var plays int
	var air Airtime
	for _, x := range r.Months {
		t.Rows = append(t.Rows, row(txt(x.name(lang)), num(x.Plays), dur(x.Airtime)))
		plays, air = plays+x.Plays, air+x.Airtime
	}
	t.Total = row(txt(label(lang, "total")), num(plays), dur(air))
	return t
}

func problemsTable(r *Report, lang string) Table {
	t := Table{ID: "problems", Title: label(lang, "sheet_problems"),
		Columns: columns(lang, []float64{6, 17, 24, 50, 20, 22, 30}, "no", "planned_at", "station", "title", "topic", "status", "reason")}
	topic := topicNames(r, lang)
	for i, x := range r.Problems {
		t.Rows = append(t.Rows, row(num(i+1), instant(x.Planned), txt(x.StationName), txt(x.Title), txt(topic(x.Topic)), txt(label(lang, x.Status)), txt(reasonText(lang, x.Reason))))
	}
	return t
}

// topicNames names topic ids as the report's topic table does.
func topicNames(r *Report, lang string) func(string) string {
	names := map[string]string{}
	for _, t := range r.Topics {
		names[t.ID] = t.Name
		if lang == "en" && t.NameEn != "" {
			names[t.ID] = t.NameEn
		}
	}
	return func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	}
}
