package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The exports share one layout: a list of tables of typed cells, which the
// XLSX writer stores as real numbers, dates and durations and the CSV and
// HTML writers format as text.

type cellKind uint8

const (
	kindText cellKind = iota
	kindInt
	kindDuration
	kindPercent // a share 0–1; negative means "no figure"
	kindTime    // an instant, shown in the ward's zone
)

type cell struct {
	kind cellKind
	s    string
	i    int
	f    float64
	d    time.Duration
	t    time.Time
}

func txt(s string) cell        { return cell{kind: kindText, s: s} }
func num(i int) cell           { return cell{kind: kindInt, i: i} }
func dur(a Airtime) cell       { return cell{kind: kindDuration, d: time.Duration(a)} }
func pct(f float64) cell       { return cell{kind: kindPercent, f: f} }
func instant(t time.Time) cell { return cell{kind: kindTime, t: t} }
func mark(b bool) cell         { return txt(map[bool]string{true: "x"}[b]) }
func row(cells ...cell) []cell { return cells }
func heads(lang string, k ...string) []string {
	out := make([]string, len(k))
	for i, key := range k {
		out[i] = label(lang, key)
	}
	return out
}

// A table is one sheet of the workbook, one section of the CSV and of the
// HTML page.
type table struct {
	id      string // stable, for file names and HTML anchors
	title   string // also the sheet name: at most 31 characters
	headers []string
	widths  []float64 // XLSX column widths
	rows    [][]cell
	total   []cell // the totals row, nil when the table has none
}

// format writes a cell as text, as the CSV and the HTML page show it.
func (c cell) format(loc *time.Location) string {
	switch c.kind {
	case kindInt:
		return strconv.Itoa(c.i)
	case kindDuration:
		return Airtime(c.d).HMS()
	case kindPercent:
		if c.f < 0 {
			return ""
		}
		return strings.Replace(fmt.Sprintf("%.1f%%", c.f*100), ".", ",", 1)
	case kindTime:
		return c.t.In(loc).Format("02/01/2006 15:04")
	}
	return c.s
}

// tables lays the report out.
func tables(r *Report, lang string) []table {
	return []table{totalsTable(r, lang), kindsTable(r, lang), topicsTable(r, lang), planTable(r, lang, "stations"),
		planTable(r, lang, "groups"), itemsTable(r, lang), monthsTable(r, lang), problemsTable(r, lang)}
}

func totalsTable(r *Report, lang string) table {
	c, p := r.Totals, r.PrevTotals
	t := table{id: "totals", title: label(lang, "sheet_totals"), widths: []float64{44, 22, 22},
		headers: []string{label(lang, "indicator"), r.Period.name(lang), r.Previous.name(lang)}}
	add := func(key string, a, b cell) { t.rows = append(t.rows, row(txt(label(lang, key)), a, b)) }
	add("plays", num(c.Plays), num(p.Plays))
	add("distinct_items", num(c.DistinctItems), num(p.DistinctItems))
	add("airtime", dur(c.Airtime), dur(p.Airtime))
	add("cchc_airtime", dur(c.CCHCAirtime), dur(p.CCHCAirtime))
	add("cchc_share", pct(c.CCHCShare), pct(p.CCHCShare))
	add("emergency", num(c.Emergency), num(p.Emergency))
	add("emergency_airtime", dur(c.EmergencyAirtime), dur(p.EmergencyAirtime))
	add("planned", num(c.Planned), num(p.Planned))
	add("aired", num(c.Aired), num(p.Aired))
	add("late", num(c.Late), num(p.Late))
	add("partial", num(c.Partial), num(p.Partial))
	add("interrupted", num(c.Interrupted), num(p.Interrupted))
	add("failed", num(c.Failed), num(p.Failed))
	add("missed", num(c.Missed), num(p.Missed))
	add("not_reported", num(c.NotReported), num(p.NotReported))
	add("compliance", pct(c.Compliance), pct(p.Compliance))
	return t
}

func (p PeriodInfo) name(lang string) string {
	if lang == "en" {
		return p.NameEn
	}
	return p.NameVi
}

func topicsTable(r *Report, lang string) table {
	t := table{id: "topics", title: label(lang, "sheet_topics"), widths: []float64{6, 50, 7, 12, 14, 12, 14, 14},
		headers: heads(lang, "no", "topic", "cchc", "plays", "airtime", "share", "prev_plays", "prev_airtime")}
	var plays, prevPlays int
	var air, prevAir Airtime
	for i, x := range r.Topics {
		name := x.Name
		if lang == "en" && x.NameEn != "" {
			name = x.NameEn
		}
		t.rows = append(t.rows, row(num(i+1), txt(name), mark(x.CCHC), num(x.Plays), dur(x.Airtime), pct(x.Share), num(x.PrevPlays), dur(x.PrevAirtime)))
		plays, prevPlays, air, prevAir = plays+x.Plays, prevPlays+x.PrevPlays, air+x.Airtime, prevAir+x.PrevAirtime
	}
	share := -1.0
	if air > 0 {
		share = 1
	}
	t.total = row(txt(""), txt(label(lang, "total")), txt(""), num(plays), dur(air), pct(share), num(prevPlays), dur(prevAir))
	return t
}

func planTable(r *Report, lang, which string) table {
	rows, title, id, name := r.Stations, "sheet_stations", "station_id", "station"
	if which == "groups" {
		rows, title, id, name = r.Groups, "sheet_groups", "group_id", "group"
	}
	t := table{id: which, title: label(lang, title), widths: []float64{6, 12, 26, 11, 11, 11, 9, 11, 10, 9, 9, 11, 14, 12, 11, 11, 12},
		headers: heads(lang, "no", id, name, "planned", "plays", "aired", "late", "partial", "interrupted", "failed", "missed", "not_reported", "airtime", "compliance", "prev_planned", "prev_plays", "prev_compliance")}
	var sum PlanRow
	for i, x := range rows {
		t.rows = append(t.rows, row(num(i+1), txt(x.ID), txt(x.Name), num(x.Planned), num(x.Plays), num(x.Aired), num(x.Late), num(x.Partial),
			num(x.Interrupted), num(x.Failed), num(x.Missed), num(x.NotReported), dur(x.Airtime), pct(x.Compliance),
			num(x.PrevPlanned), num(x.PrevPlays), pct(x.PrevCompliance)))
		if which == "stations" {
			sum.Planned, sum.Plays, sum.Aired, sum.Late = sum.Planned+x.Planned, sum.Plays+x.Plays, sum.Aired+x.Aired, sum.Late+x.Late
			sum.Partial, sum.Interrupted, sum.Failed, sum.Missed = sum.Partial+x.Partial, sum.Interrupted+x.Interrupted, sum.Failed+x.Failed, sum.Missed+x.Missed
			sum.NotReported, sum.Airtime, sum.PrevPlanned, sum.PrevPlays = sum.NotReported+x.NotReported, sum.Airtime+x.Airtime, sum.PrevPlanned+x.PrevPlanned, sum.PrevPlays+x.PrevPlays
		}
	}
	if which == "stations" { // a station may be in several groups: groups do not add up
		c, p := r.Totals, r.PrevTotals
		t.total = row(txt(""), txt(""), txt(label(lang, "total")), num(sum.Planned), num(sum.Plays), num(sum.Aired), num(sum.Late), num(sum.Partial),
			num(sum.Interrupted), num(sum.Failed), num(sum.Missed), num(sum.NotReported), dur(sum.Airtime), pct(c.Compliance),
			num(sum.PrevPlanned), num(sum.PrevPlays), pct(p.Compliance))
	}
	return t
}

func itemsTable(r *Report, lang string) table {
	t := table{id: "items", title: label(lang, "sheet_items"), widths: []float64{6, 12, 60, 22, 12, 14, 12},
		headers: heads(lang, "no", "item_id", "title", "topic", "plays", "airtime", "stations_reached")}
	var plays int
	var air Airtime
	topic := topicNames(r, lang)
	for i, x := range r.Items {
		t.rows = append(t.rows, row(num(i+1), txt(x.SegmentID), txt(x.Title), txt(topic(x.Topic)), num(x.Plays), dur(x.Airtime), num(x.Stations)))
		plays, air = plays+x.Plays, air+x.Airtime
	}
	t.total = row(txt(""), txt(""), txt(label(lang, "total")), txt(""), num(plays), dur(air), txt(""))
	return t
}

func monthsTable(r *Report, lang string) table {
	t := table{id: "months", title: label(lang, "sheet_months"), widths: []float64{18, 12, 14},
		headers: heads(lang, "month", "plays", "airtime")}
	var plays int
	var air Airtime
	for _, x := range r.Months {
		name := x.NameVi
		if lang == "en" {
			name = x.Month
		}
		t.rows = append(t.rows, row(txt(name), num(x.Plays), dur(x.Airtime)))
		plays, air = plays+x.Plays, air+x.Airtime
	}
	t.total = row(txt(label(lang, "total")), num(plays), dur(air))
	return t
}

func problemsTable(r *Report, lang string) table {
	t := table{id: "problems", title: label(lang, "sheet_problems"), widths: []float64{6, 17, 24, 50, 20, 22, 30},
		headers: heads(lang, "no", "planned_at", "station", "title", "topic", "status", "reason")}
	topic := topicNames(r, lang)
	for i, x := range r.Problems {
		t.rows = append(t.rows, row(num(i+1), instant(x.Planned), txt(x.StationName), txt(x.Title), txt(topic(x.Topic)), txt(label(lang, x.Status)), txt(reasonText(lang, x.Reason))))
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
