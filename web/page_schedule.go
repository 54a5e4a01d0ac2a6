package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"loa/broadcast/report"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
)

// scheduleData is the schedule page: every programme as a week grid, and
// one station's day as a timeline with the reason for every item.
type scheduleData struct {
	Programmes []programmeWeek
	Topics     []library.Topic
	Weekdays   []weekday
	Stations   []string          // station ids the programmes name, for the picker
	Names      wardNames         // areas and stations by name (ward_names.go)
	SlotNames  map[string]string // "programme/slot" → "Bản tin buổi sáng, 06:00–06:15"
	Day        *stationDay
	Station    string // as typed
	Date       string // as typed
	BadField   string // "date" when the date cannot be read
	Rules      playlist.Rules
	GapText    string // Rules' gap in words
}

type weekday struct {
	Day  time.Weekday
	Key  string // catalogue key of its name
	Fill string
}

// programmeWeek is one programme laid out Monday to Sunday.
type programmeWeek struct {
	playlist.Programme
	Days    [7][]slotView // Monday first
	OneOffs []slotView
}

type slotView struct {
	playlist.Slot
	End  string // HH:MM
	Fill string // the slot form's values, JSON for app.js
	// TopicNames are the column's topics by name.
	TopicNames string
}

// stationDay is a station's compiled day as the timeline shows it.
type stationDay struct {
	playlistView
	Loc   *time.Location
	Slots []playlist.SlotRun
	Bars  []timelineBar
	Names map[uint64]string     // titles of the segments left out
	Fates map[string]*airlogRow // what became of each item, by item id (aired log)
	Log   string                // the station's aired log of the day
	Zone  string                // the station's zone in words
	NowX  int                   // the "now" marker, per-mille of the day; -1 when not today
}

// timelineBar places an item or a slot on a 24-hour bar, in per-mille of the day.
type timelineBar struct {
	X, W  int
	Kind  string
	Title string
}

// mondayFirst is the order of the week on the grid (Vietnamese calendars
// start on Monday, Thứ Hai).
var mondayFirst = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func (s *Server) schedulePage(r *http.Request, p *pageData) (string, error) {
	q := r.URL.Query()
	d := scheduleData{Station: strings.TrimSpace(q.Get("station")), Date: strings.TrimSpace(q.Get("date"))}
	for _, wd := range mondayFirst {
		d.Weekdays = append(d.Weekdays, weekday{Day: wd, Key: "wd." + strings.ToLower(wd.String()[:3])})
	}
	p.Title, p.Data = "sched.title", &d
	d.Names, d.SlotNames = s.wardNames(p.Lang), map[string]string{}
	topics, err := s.lib.Topics()
	if err != nil {
		return "", err
	}
	d.Topics = topics
	sc := s.sched
	progs, err := sc.Store.Programmes()
	if err != nil {
		return "", err
	}
	if d.Rules, err = sc.Planner.Rules(); err != nil {
		return "", err
	}
	d.GapText = gapWords(p.Lang, d.Rules.SeparationMinutes)
	for _, prog := range progs {
		w := weekOf(prog)
		w.nameTopics(topics, p)
		d.Programmes = append(d.Programmes, w)
		for _, sl := range prog.Slots {
			end := playlist.ClockTime((int(sl.Start) + sl.Minutes) % (24 * 60)).String()
			d.SlotNames[prog.ID+"/"+sl.ID] = prog.Name + ", " + sl.Start.String() + "–" + end
		}
		for _, st := range prog.Targets.Stations {
			if !slices.Contains(d.Stations, st) {
				d.Stations = append(d.Stations, st)
			}
		}
	}
	if d.Date == "" {
		d.Date = s.fmt.date(s.now())
	}
	if d.Station != "" {
		if err := s.stationDay(r, p.Lang, sc, &d); err != nil {
			return "", err
		}
	}
	return "schedule", nil
}

// nameTopics words each column slot's topics by name.
func (w *programmeWeek) nameTopics(topics []library.Topic, p *pageData) {
	name := func(id string) string {
		if i := slices.IndexFunc(topics, func(t library.Topic) bool { return t.ID == id }); i >= 0 {
			return p.TopicLabel(topics[i])
		}
		return id
	}
	word := func(v *slotView) {
		var names []string
		for _, id := range v.Topics {
			names = append(names, name(id))
		}
		v.TopicNames = strings.Join(names, ", ")
	}
	for i := range w.Days {
		for j := range w.Days[i] {
			word(&w.Days[i][j])
		}
	}
	for i := range w.OneOffs {
		word(&w.OneOffs[i])
	}
}

func weekOf(prog playlist.Programme) programmeWeek {
	w := programmeWeek{Programme: prog}
	for _, sl := range prog.Slots {
		v := slotView{Slot: sl, End: playlist.ClockTime((int(sl.Start) + sl.Minutes) % (24 * 60)).String()}
		v.Fill = mustJSON(map[string]any{
			"programme": prog.ID, "slot_id": sl.ID, "kind": sl.Kind, "start": sl.Start.String(), "minutes": sl.Minutes,
			"topics": sl.Topics, "url": sl.URL, "date": day(sl.Date), "from": day(sl.From), "to": day(sl.To), "days": sl.Days,
			"targets": prog.Targets, "name": prog.Name,
		})
		if sl.Date != "" {
			w.OneOffs = append(w.OneOffs, v)
			continue
		}
		for i, wd := range mondayFirst {
			if slices.Contains(sl.Days, wd) {
				w.Days[i] = append(w.Days[i], v)
			}
		}
	}
	for i := range w.Days {
		slices.SortFunc(w.Days[i], func(a, b slotView) int { return int(a.Start) - int(b.Start) })
	}
	return w
}

// stationDay loads the station's latest playlist for the day asked.
func (s *Server) stationDay(r *http.Request, lang string, sc *Schedules, d *scheduleData) error {
	date, err := library.ParseDate(d.Date)
	if err != nil {
		d.BadField = "date"
		return nil
	}
	pl, err := sc.Store.Playlist(d.Station, date)
	if errors.Is(err, playlist.ErrNotFound) {
		d.Day = &stationDay{}
		return nil
	}
	if err != nil {
		return err
	}
	loc, err := ward.Location(pl.Zone)
	if err != nil {
		loc = s.fmt.loc
	}
	sd := &stationDay{playlistView: viewPlaylist(inLang(r, lang), pl), Loc: loc, Slots: pl.Slots, Names: map[uint64]string{}, Zone: zoneName(lang, pl.Zone)}
	start, _ := date.Time(loc)
	bar := func(fromMs, toMs int64, kind, title string) timelineBar {
		x := int(time.UnixMilli(fromMs).Sub(start) * 1000 / (24 * time.Hour))
		w := max(int(time.Duration(toMs-fromMs)*time.Millisecond*1000/(24*time.Hour)), 2)
		return timelineBar{X: x, W: w, Kind: kind, Title: title}
	}
	for _, run := range pl.Slots {
		sd.Bars = append(sd.Bars, bar(run.StartMs, run.EndMs, "slot", d.SlotName(run.Programme, run.Slot)))
	}
	for _, it := range pl.Items {
		sd.Bars = append(sd.Bars, bar(it.StartMs, it.StartMs+it.DurationMs, "item "+string(it.Level), it.Title))
	}
	for _, l := range pl.Left {
		for _, id := range l.Segments {
			if seg, err := s.lib.Segment(id); err == nil {
				sd.Names[id] = seg.Title
			}
		}
	}
	sd.NowX = -1
	if now := s.now(); !now.Before(start) && now.Before(start.Add(24*time.Hour)) {
		sd.NowX = int(now.Sub(start) * 1000 / (24 * time.Hour))
	}
	d.Day = sd
	return s.dayFates(lang, sd, d.Station, date)
}

// dayFates adds what became of each planned item (aired, when, or why
// not), from the aired log.
func (s *Server) dayFates(lang string, sd *stationDay, station string, date library.Date) error {
	f := report.LogFilter{Period: report.Range(date, date), Station: station}
	log, err := s.report.Builder.Log(s.now(), f, report.Directory{})
	if err != nil {
		return err
	}
	sd.Fates, sd.Log = map[string]*airlogRow{}, airlogURL(f)
	for _, r := range log.Rows {
		if r.InPlan {
			row := s.airlogRowOf(r, lang)
			sd.Fates[r.ItemID] = &row
		}
	}
	return nil
}

// SlotName is a programme's slot in words, or its ids when unknown.
func (d *scheduleData) SlotName(prog, slot string) string {
	if n := d.SlotNames[prog+"/"+slot]; n != "" {
		return n
	}
	return prog + " / " + slot
}

// Unlisted are the station ids the day view may show that the registry
// does not name (a station the programmes name but nobody added yet).
func (d *scheduleData) Unlisted() []string {
	var out []string
	for _, id := range append(slices.Clone(d.Stations), d.Station) {
		if id != "" && d.Names.Station(id) == id && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// In shows an instant in the station's zone as HH:MM:SS.
func (d *stationDay) In(ms int64) string {
	return time.UnixMilli(ms).In(d.Loc).Format("15:04:05")
}
