package web

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
)

// Schedules is what the schedule and playlist API works on (parts.go).
type Schedules struct {
	Store   *playlist.Store
	Planner *playlist.Planner
	History playlist.History // what aired (the ledger)
}

// schedulesChanged tells the planner which stations a library change
// affects (a segment approved, archived or retargeted): the library
// handlers call it with the segment's targets before and after.
func (s *Server) schedulesChanged(ts ...library.Targets) {
	s.sched.Planner.ChangedTargets(ts...)
}

// scheduleError turns the playlist package's errors into client errors.
func scheduleError(err error) error {
	var fe *playlist.FieldError
	switch {
	case errors.As(err, &fe):
		if fe.Code == playlist.CodeDuplicate {
			return errSlotDuplicate.withField(fe.Field)
		}
		if e, ok := fieldErrors[fe.Code]; ok {
			return e.withField(fe.Field)
		}
		return errFieldInvalid.withField(fe.Field)
	case errors.Is(err, playlist.ErrStale):
		return errProgrammeStale
	case errors.Is(err, playlist.ErrNotFound):
		return errNotFound
	}
	return err
}

func (s *Server) listProgrammes(w http.ResponseWriter, r *http.Request) error {
	sc := s.sched
	list, err := sc.Store.Programmes()
	if err != nil {
		return err
	}
	if list == nil {
		list = []playlist.Programme{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"programmes": list})
	return nil
}

func (s *Server) getProgramme(w http.ResponseWriter, r *http.Request) error {
	sc := s.sched
	p, err := sc.Store.Programme(r.PathValue("id"))
	if err != nil {
		return scheduleError(err)
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// putProgramme creates or replaces a programme. The body's revision is the
// revision the editor saw (0 for a new programme); the id comes from the path.
func (s *Server) putProgramme(w http.ResponseWriter, r *http.Request) error {
	sc := s.sched
	var p playlist.Programme
	if err := readJSON(w, r, &p); err != nil {
		return err
	}
	p.ID = r.PathValue("id")
	stored, before, err := sc.Store.PutProgramme(p, p.Revision)
	if err != nil {
		return scheduleError(err)
	}
	var was any
	if before.Revision > 0 {
		was = before
	}
	s.audit(r, "programme.put", "programme/"+stored.ID, was, stored)
	s.schedulesChanged(before.Targets, stored.Targets)
	writeJSON(w, http.StatusOK, stored)
	return nil
}

func (s *Server) deleteProgramme(w http.ResponseWriter, r *http.Request) error {
	sc := s.sched
	before, err := sc.Store.DeleteProgramme(r.PathValue("id"))
	if err != nil {
		return scheduleError(err)
	}
	s.audit(r, "programme.delete", "programme/"+before.ID, before, nil)
	s.schedulesChanged(before.Targets)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// errGapRange refuses a minimum gap that is not a whole number of minutes
// within a day.
var errGapRange = &apiError{http.StatusUnprocessableEntity, playlist.CodeOutOfRange,
	"Khoảng cách tối thiểu phải là số phút nguyên từ 0 đến 1440 (24 giờ)",
	"The minimum gap must be a whole number of minutes from 0 to 1440 (24 hours)", "separation_minutes"}

// rulesView is the ward's building rules as the API shows them, the gap
// also in words.
type rulesView struct {
	playlist.Rules
	SeparationText string `json:"separation_text"`
}

func viewRules(r *http.Request, rules playlist.Rules) rulesView {
	return rulesView{Rules: rules, SeparationText: gapWords(lang(r), rules.SeparationMinutes)}
}

// getScheduleRules answers the rules the planner's next build follows.
func (s *Server) getScheduleRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.sched.Planner.Rules()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewRules(r, rules))
	return nil
}

// putScheduleRules sets the ward's rules; every station's playlists are
// rebuilt with them (coalesced, as for any change).
func (s *Server) putScheduleRules(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		SeparationMinutes *float64 `json:"separation_minutes"`
	}
	if err := readJSON(w, r, &body); err != nil {
		return err
	}
	m := body.SeparationMinutes
	switch {
	case m == nil:
		return errFieldRequired.withField("separation_minutes")
	case *m != math.Trunc(*m) || *m < 0 || *m > playlist.MaxSeparationMinutes:
		return errGapRange
	}
	before, err := s.sched.Planner.Rules()
	if err != nil {
		return err
	}
	stored, _, err := s.sched.Store.PutRules(playlist.Rules{SeparationMinutes: int(*m)})
	if err != nil {
		return scheduleError(err)
	}
	s.audit(r, "schedule.rules", "playlists", before, stored)
	s.sched.Planner.Changed()
	writeJSON(w, http.StatusOK, viewRules(r, stored))
	return nil
}

// gapWords writes a gap of minutes as people say it: "2 giờ", "1 giờ 30
// phút", "45 phút".
func gapWords(lang string, minutes int) string {
	h, m := minutes/60, minutes%60
	words := [2]string{"%d giờ", "%d phút"}
	if lang == "en" {
		words = [2]string{"%d h", "%d min"}
	}
	switch {
	case h == 0:
		return fmt.Sprintf(words[1], m)
	case m == 0:
		return fmt.Sprintf(words[0], h)
	}
	return fmt.Sprintf(words[0], h) + " " + fmt.Sprintf(words[1], m)
}

// playlistView is a playlist as people read it: every reason also worded
// in the client's language.
type playlistView struct {
	playlist.Playlist
	Items []itemView `json:"items"`
	Left  []leftView `json:"left"`
}

type itemView struct {
	playlist.Item
	ReasonText string `json:"reason_text"`
}

type leftView struct {
	playlist.LeftOut
	ReasonText string `json:"reason_text"`
}

func viewPlaylist(r *http.Request, pl playlist.Playlist) playlistView {
	v := playlistView{Playlist: pl, Items: []itemView{}, Left: []leftView{}}
	loc, err := ward.Location(pl.Zone)
	if err != nil {
		loc = time.UTC
	}
	for _, it := range pl.Items {
		v.Items = append(v.Items, itemView{Item: it, ReasonText: reasonText(r, it.Reason, loc)})
	}
	for _, l := range pl.Left {
		v.Left = append(v.Left, leftView{LeftOut: l, ReasonText: reasonText(r, l.Reason, loc)})
	}
	return v
}

// getPlaylist answers what a station was told to play on a local day: the
// latest version, or ?version=N. ?format=text gives the operators' text
// view (what `loa playlist` prints).
func (s *Server) getPlaylist(w http.ResponseWriter, r *http.Request) error {
	sc := s.sched
	station, day, err := playlistPath(r)
	if err != nil {
		return err
	}
	var pl playlist.Playlist
	if v := r.URL.Query().Get("version"); v != "" {
		n, perr := strconv.ParseUint(v, 10, 64)
		if perr != nil || n == 0 {
			return errBadQuery.withField("version")
		}
		pl, err = sc.Store.PlaylistVersion(station, day, n)
	} else {
		pl, err = sc.Store.Playlist(station, day)
	}
	if err != nil {
		return scheduleError(err)
	}
	if r.URL.Query().Get("format") == "text" {
		var buf bytes.Buffer
		if err := playlist.Print(&buf, &pl); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, err := w.Write(buf.Bytes())
		return err
	}
	writeJSON(w, http.StatusOK, viewPlaylist(r, pl))
	return nil
}

// listPlaylistVersions lists every version a station's day has had.
func (s *Server) listPlaylistVersions(w http.ResponseWriter, r *http.Request) error {
	sc := s.sched
	station, day, err := playlistPath(r)
	if err != nil {
		return err
	}
	versions, err := sc.Store.Versions(station, day)
	if err != nil {
		return scheduleError(err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"station": station, "date": day, "versions": versions})
	return nil
}

// weekShares compares, for the ISO week containing the date, each segment's
// planned share of the station's plays with its aired share.
func (s *Server) weekShares(w http.ResponseWriter, r *http.Request) error {
	sc := s.sched
	station, day, err := playlistPath(r)
	if err != nil {
		return err
	}
	ws, err := sc.Store.WeekShares(station, day, sc.History)
	if err != nil {
		return scheduleError(err)
	}
	writeJSON(w, http.StatusOK, ws)
	return nil
}

type rebuildRequest struct {
	Stations []string `json:"stations"` // empty: every station
}

// rebuildPlaylists asks the planner to rebuild now (coalesced with other
// changes); the answer comes before the build ends.
func (s *Server) rebuildPlaylists(w http.ResponseWriter, r *http.Request) error {
	var req rebuildRequest
	if r.ContentLength != 0 {
		if err := readJSON(w, r, &req); err != nil {
			return err
		}
	}
	s.sched.Planner.Changed(req.Stations...)
	s.audit(r, "playlists.rebuild", "playlists", nil, req)
	writeJSON(w, http.StatusAccepted, map[string]any{"stations": req.Stations})
	return nil
}

func playlistPath(r *http.Request) (string, library.Date, error) {
	d, err := library.ParseDate(r.PathValue("date"))
	if err != nil {
		return "", "", errBadDate.withField("date")
	}
	return r.PathValue("station"), d, nil
}

// reasonTexts words the playlist reason codes, Vietnamese then English;
// the verbs take N and Of (or N and Aired) in that order.
var reasonTexts = map[string][2]string{
	playlist.WhyIntro:         {"Nhạc hiệu mở đầu chương trình", "Programme intro jingle"},
	playlist.WhyOutro:         {"Nhạc hiệu kết thúc chương trình", "Programme outro jingle"},
	playlist.WhyRelay:         {"Tiếp sóng trực tiếp", "Live relay"},
	playlist.WhyPriority:      {"Tin ưu tiên: phát đầu khung giờ", "Priority bulletin: first in its slot"},
	playlist.WhyMinDay:        {"Lần %d trong %d lần tối thiểu của ngày", "Play %d of the %d required today"},
	playlist.WhyMinWeek:       {"Lần %d trong %d lần tối thiểu của tuần", "Play %d of the %d required this week"},
	playlist.WhyRotation:      {"Luân phiên: lần thứ %d trong tuần (khi lập lịch, đã phát %d lần)", "Rotation: play %d this week (%d aired when the list was built)"},
	playlist.LeftEmergency:    {"Tin khẩn cấp phát ngay, không xếp lịch", "Emergency bulletins play at once, never on a schedule"},
	playlist.LeftValidity:     {"Ngoài thời gian hiệu lực", "Outside its validity dates"},
	playlist.LeftNoAudio:      {"Không có đoạn âm thanh phát được", "Nothing playable between its cue points"},
	playlist.LeftJingle:       {"Dùng làm nhạc hiệu chương trình", "Used as a programme jingle"},
	playlist.LeftNoSlot:       {"Không có khung giờ nào trong ngày nhận chủ đề này", "No slot today accepts its topic"},
	playlist.LeftTooLong:      {"Dài hơn mọi khung giờ phù hợp", "Longer than every slot that accepts it"},
	playlist.LeftSeparation:   {"Chưa đủ khoảng cách tối thiểu %s giữa hai lần phát", "Less than the minimum gap of %s since its previous play"},
	playlist.LeftMaxPerDay:    {"Đã đủ số lần phát tối đa trong ngày", "Its daily maximum was reached"},
	playlist.LeftNoRoom:       {"Hết chỗ: nhường cho bản tin phát ít hơn trong tuần", "No room: items aired less this week went first"},
	playlist.LeftPast:         {"Các khung giờ nhận bản tin này trong ngày đã qua khi lập lịch", "Every slot that accepts it had passed when the list was built"},
	playlist.LeftMinDayUnmet:  {"Chỉ xếp được %d trong %d lần tối thiểu của ngày", "Only %d of the %d plays required today fitted"},
	playlist.LeftMinWeekUnmet: {"Chỉ xếp được %d trong %d lần tối thiểu của tuần", "Only %d of the %d plays required this week fitted"},
}

// reasonText words a reason; times are shown in loc, the station's zone.
func reasonText(r *http.Request, why playlist.Reason, loc *time.Location) string {
	t, ok := reasonTexts[why.Code]
	if !ok {
		return why.Code
	}
	i := 0
	if lang(r) == "en" {
		i = 1
	}
	switch why.Code {
	case playlist.WhyRotation:
		text := fmt.Sprintf(t[i], why.N, why.Aired)
		if why.LastMs != 0 {
			text += [2]string{", lần trước ", ", last "}[i] + time.UnixMilli(why.LastMs).In(loc).Format("02/01 15:04")
		}
		return text
	case playlist.WhyMinDay, playlist.WhyMinWeek, playlist.LeftMinDayUnmet, playlist.LeftMinWeekUnmet:
		return fmt.Sprintf(t[i], why.N, why.Of)
	case playlist.LeftSeparation: // a playlist built before the gap was given has none
		gap := gapWords(lang(r), why.N)
		if why.N == 0 {
			gap = ""
		}
		return strings.Replace(fmt.Sprintf(t[i], gap), "  ", " ", 1)
	}
	return t[i]
}
