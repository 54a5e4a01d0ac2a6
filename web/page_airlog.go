package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"loa/broadcast/report"
	"loa/internal/ward"
	"loa/playlist/library"
)

// The aired log (Nhật ký phát sóng): a station's, a group's or the ward's
// days, every planned item beside what aired — actual start and end, time
// played, outcome in words and colour, the reason — with emergencies, live
// broadcasts and relays where they cut in, a timeline per station with a
// "now" marker, filters, and the same rows as CSV and XLSX.

// airlogPageRows bounds the table on the page; the files hold every row.
const airlogPageRows = 500

var errLogTooLong = &apiError{http.StatusBadRequest, "log_too_long", "Nhật ký phát sóng chỉ xem được tối đa 92 ngày một lần", "The aired log covers at most 92 days at a time", ""}

type airlogData struct {
	Date, From, To        string // as typed
	Station, Group        string
	Topic, Status         string
	Code                  string // the period read, for links
	BadField              string // "date" or "period" when it cannot be read
	TooLong               bool
	Dir                   report.Directory
	Statuses              []statusChoice
	Name                  string // the period's name
	Log                   *report.Log
	Rows                  []airlogRow
	More                  int
	Timelines             []stationTimeline
	NowX                  int // the "now" marker, per-mille of the day; -1 when not today
	Counts                []statusCount
	CSV, XLSX, Prev, Next string
	PrevLabel, NextLabel  string
}

type statusChoice struct{ Code, Name string }

type statusCount struct {
	Status, Name string
	N            int
}

// airlogRow is a log row as the table shows it.
type airlogRow struct {
	report.LogRow
	PlannedAt, StartedAt, EndedAt string
	StatusText, Reason, Kind      string
}

// stationTimeline is one station's day: planned items above, what aired
// below, coloured by outcome.
type stationTimeline struct {
	ID, Name       string
	Planned, Aired []timelineBar
	Bars           template.HTML // Planned and Aired as the SVG's rects
}

// svgBars writes the timeline's bars as SVG rects, planned above and
// aired below, each titled with its item. Written here and not by the
// template: a busy group's day is tens of thousands of bars, and the
// template's reflection on each field of each was half the page's time.
func (tl *stationTimeline) svgBars() template.HTML {
	b := make([]byte, 0, 128*(len(tl.Planned)+len(tl.Aired)))
	rects := func(bars []timelineBar, y, h string, class func(timelineBar) string) {
		for _, r := range bars {
			b = append(b, `<rect class="`...)
			b = append(b, template.HTMLEscapeString(class(r))...)
			b = append(b, `" x="`...)
			b = strconv.AppendInt(b, int64(r.X), 10)
			b = append(b, `" y="`+y+`" width="`...)
			b = strconv.AppendInt(b, int64(r.W), 10)
			b = append(b, `" height="`+h+`"><title>`...)
			b = append(b, template.HTMLEscapeString(r.Title)...)
			b = append(b, "</title></rect>"...)
		}
	}
	rects(tl.Planned, "2", "9", func(timelineBar) string { return "tl-planned" })
	rects(tl.Aired, "14", "10", func(r timelineBar) string { return r.Kind })
	return template.HTML(b)
}

// logStatuses are the outcomes a person filters by, in the order shown.
var logStatuses = []string{report.StatusOnAir, "aired", "late", "partial", "interrupted", "failed", "missed",
	report.StatusOverdue, report.StatusFuture, report.StatusEmergency}

func (s *Server) airlogPage(r *http.Request, p *pageData) (string, error) {
	q := r.URL.Query()
	d := &airlogData{Date: strings.TrimSpace(q.Get("date")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Station: q.Get("station"), Group: q.Get("group"), Topic: q.Get("topic"), Status: q.Get("status"), NowX: -1}
	p.Title, p.Data = "log.title", d
	for _, st := range logStatuses {
		d.Statuses = append(d.Statuses, statusChoice{st, logStatusName(p.Lang, st)})
	}
	var err error
	if d.Dir, err = s.report.Directory(); err != nil {
		return "", err
	}
	f, bad := s.logFilter(q)
	if bad != "" {
		d.BadField = bad
		return "airlog", nil
	}
	d.Code, d.Name = f.Period.Code(), f.Period.Name(p.Lang)
	if f.Period.Days() == 1 {
		d.Name = T(p.Lang, "log.day", day(f.Period.From))
		if d.Date == "" {
			d.Date = day(f.Period.From)
		}
	}
	build := s.report.Builder.Log // a day's rows also draw its timelines
	if f.Period.Days() > 1 {
		build = s.report.Builder.StreamLog // counted a day at a time: a ward's quarter is millions of rows
	}
	d.Log, err = build(s.now(), f, d.Dir)
	if errors.Is(err, report.ErrLogTooLong) {
		d.TooLong = true
		return "airlog", nil
	}
	if err == nil {
		err = d.fill(s, f, p.Lang)
	}
	if err != nil {
		return "", err
	}
	return "airlog", nil
}

// logFilter reads the filter of the log's query: a day (date), a range
// (from, to) or a period code (period); then station, group, topic, item
// and status. It returns the field that cannot be read, if any. No day at
// all is today in the ward.
func (s *Server) logFilter(q map[string][]string) (report.LogFilter, string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	f := report.LogFilter{Station: get("station"), Group: get("group"), Topic: get("topic"), Segment: get("item"), Status: get("status")}
	switch {
	case get("date") != "":
		d, err := ward.ParseDay(get("date"))
		if err != nil {
			return f, "date"
		}
		f.Period = report.Range(d, d)
	case get("from") != "" || get("to") != "":
		p, err := report.ParsePeriod(get("from") + ".." + get("to"))
		if err != nil {
			return f, "period"
		}
		f.Period = p
	case get("period") != "":
		p, err := report.ParsePeriod(get("period"))
		if err != nil {
			return f, "period"
		}
		f.Period = p
	default:
		today := library.DateOf(s.now(), s.fmt.loc)
		f.Period = report.Range(today, today)
	}
	return f, ""
}

// fill lays the log out: counts by status, the table's first rows, the
// timelines of a single day, the export links and the days around it.
func (d *airlogData) fill(s *Server, f report.LogFilter, lang string) error {
	count := map[string]int{}
	n := 0
	err := d.Log.Each(func(r report.LogRow) error {
		count[r.Status]++
		if r.OnAir() {
			count[report.StatusOnAir]++
		}
		if n < airlogPageRows {
			d.Rows = append(d.Rows, s.airlogRowOf(r, lang))
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	d.More = max(0, n-airlogPageRows)
	for _, st := range logStatuses {
		if count[st] > 0 {
			d.Counts = append(d.Counts, statusCount{st, logStatusName(lang, st), count[st]})
		}
	}
	v := f.Values()
	v.Set("format", "csv")
	d.CSV = "/api/airlog?" + v.Encode()
	v.Set("format", "xlsx")
	d.XLSX = "/api/airlog?" + v.Encode()
	if f.Period.Days() == 1 {
		d.timelines(s, f)
	}
	return nil
}

// timelines draws a bar per station of a single day, and the "now" marker
// when the day is today.
func (d *airlogData) timelines(s *Server, f report.LogFilter) {
	start := f.Period.From.Start(s.fmt.loc)
	x := func(t time.Time) int { return int(t.Sub(start) * 1000 / (24 * time.Hour)) }
	w := func(dur time.Duration) int { return max(int(dur*1000/(24*time.Hour)), 2) }
	if now := s.now(); !now.Before(start) && now.Before(f.Period.From.End(s.fmt.loc)) {
		d.NowX = x(now)
	}
	byStation := map[string]*stationTimeline{}
	for _, r := range d.Log.Rows {
		tl := byStation[r.Station]
		if tl == nil {
			tl = &stationTimeline{ID: r.Station, Name: r.StationName}
			byStation[r.Station] = tl
		}
		title := r.Title
		if r.InPlan {
			tl.Planned = append(tl.Planned, timelineBar{X: x(r.Planned), W: w(r.Duration), Kind: "planned", Title: title})
		}
		if !r.Started.IsZero() {
			tl.Aired = append(tl.Aired, timelineBar{X: x(r.Started), W: w(r.Played), Kind: "st-" + r.Status, Title: title})
		} else if r.Status != "aired" {
			tl.Aired = append(tl.Aired, timelineBar{X: x(r.Planned), W: w(r.Duration), Kind: "st-" + r.Status, Title: title})
		}
	}
	for _, tl := range byStation {
		tl.Bars = tl.svgBars()
	}
	for _, st := range d.Dir.Stations { // in the registry's order
		if tl := byStation[st.ID]; tl != nil {
			d.Timelines = append(d.Timelines, *tl)
			delete(byStation, st.ID)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(byStation)) { // stations no longer registered
		d.Timelines = append(d.Timelines, *byStation[id])
	}
	prev, next := f.Period.From.AddDays(-1), f.Period.From.AddDays(1)
	d.Prev, d.Next = d.dayURL(f, prev), d.dayURL(f, next)
	d.PrevLabel, d.NextLabel = day(prev), day(next)
}

func (d *airlogData) dayURL(f report.LogFilter, day ward.Day) string {
	f.Period = report.Range(day, day)
	return airlogURL(f)
}

func (s *Server) airlogRowOf(r report.LogRow, lang string) airlogRow {
	f := s.fmt
	sec := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(f.loc).Format("15:04:05")
	}
	row := airlogRow{LogRow: r, PlannedAt: r.Planned.In(f.loc).Format("02/01 15:04:05"), StartedAt: sec(r.Started), EndedAt: sec(r.Ended),
		StatusText: logStatusName(lang, r.Status), Reason: r.ReasonIn(lang)}
	if r.Kind != "" {
		row.Kind = T(lang, "log.kind."+r.Kind)
	}
	return row
}

// logStatusName words an outcome as the log shows it.
func logStatusName(lang, status string) string {
	if status == report.StatusOnAir {
		return T(lang, "log.on_air")
	}
	return report.StatusText(lang, status)
}

// getAirlog answers GET /api/airlog?format=csv|xlsx|json with the log's
// query: the same rows as the page, as a file or JSON. They are made a day
// at a time (report.Builder.StreamLog) into a temporary file, so that a
// ward's quarter (millions of rows) never sits in memory and a failure is
// still a clean error.
func (s *Server) getAirlog(w http.ResponseWriter, r *http.Request) error {
	f, bad := s.logFilter(r.URL.Query())
	if bad != "" {
		return errBadPeriod.withField(bad)
	}
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" && format != "json" {
		return errBadReportFormat.withField("format")
	}
	dir, err := s.report.Directory()
	if err != nil {
		return err
	}
	log, err := s.report.Builder.StreamLog(s.now(), f, dir)
	if errors.Is(err, report.ErrLogTooLong) {
		return errLogTooLong.withField("period")
	}
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "loa-airlog-*."+format)
	if err != nil {
		return fmt.Errorf("aired log file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	switch format {
	case "csv":
		err = report.WriteLogCSV(tmp, log, s.fmt.loc)
	case "xlsx":
		err = report.WriteLogXLSX(tmp, log, s.fmt.loc)
	default:
		err = report.WriteLogJSON(tmp, log)
	}
	if err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("aired log file: %w", err)
	}
	w.Header().Set("Content-Type", report.ContentType(format))
	if format != "json" {
		w.Header().Set("Content-Disposition", `attachment; filename="nhat-ky-phat-song-`+f.Period.Code()+"."+format+`"`)
	}
	_, err = io.Copy(w, tmp)
	return err
}
