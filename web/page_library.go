package web

import (
	"encoding/json"
	"net/http"
	"slices"

	"loa/playlist/library"
)

// libraryData is what the library page shows: the filter as typed, the
// choices for the selects, and the matching items.
type libraryData struct {
	Filter   library.Filter
	ValidOn  string // as typed, dd/mm/yyyy or YYYY-MM-DD
	Topics   []library.Topic
	Statuses []library.Status
	Levels   []library.Level
	Items    []libraryItem
	BadQuery string // the filter field that could not be read, if any
	// PublicPath and PublicURL are where the public listening site is
	// (its links, QR codes and embed code on public items).
	PublicPath, PublicURL string
	Names                 wardNames // areas and stations, for the pickers and the targets in words
}

// libraryItem is one segment on the page.
type libraryItem struct {
	library.Segment
	TopicName string
	Notes     []warningView
	Fill      string // the edit form's values, JSON for app.js
	// Where, Dates and Plays are the item's targets, validity and play
	// counts in words; WillAir says what approving it does.
	Where, Dates, Plays, WillAir string
	Loudness                     string // "-23,4 LUFS" (a decimal comma in Vietnamese), "—" for silence
}

func (s *Server) libraryPage(r *http.Request, p *pageData) (string, error) {
	q := r.URL.Query()
	d := libraryData{
		Filter: library.Filter{Query: q.Get("q"), Topic: q.Get("topic"),
			Status: library.Status(q.Get("status")), Level: library.Level(q.Get("level"))},
		ValidOn: q.Get("valid_on"), Statuses: library.Statuses, Levels: library.Levels,
		PublicPath: s.public.cfg.Path, PublicURL: s.publicURL(r, ""), Names: s.wardNames(p.Lang),
	}
	if d.ValidOn != "" {
		if v, err := library.ParseDate(d.ValidOn); err == nil {
			d.Filter.ValidOn = v
		} else {
			d.BadQuery = "valid_on"
		}
	}
	topics, err := s.lib.Topics()
	if err != nil {
		return "", err
	}
	d.Topics = topics
	list, err := s.lib.List(d.Filter)
	if err != nil {
		return "", err
	}
	for _, seg := range list {
		it := s.libraryItem(r, seg, topics, p.Lang)
		it.sayWhere(p.Lang, d.Names)
		d.Items = append(d.Items, it)
	}
	p.Title, p.Data = "lib.title", d
	return "library", nil
}

func (s *Server) libraryItem(r *http.Request, seg library.Segment, topics []library.Topic, lang string) libraryItem {
	it := libraryItem{Segment: seg, TopicName: seg.Topic}
	if i := slices.IndexFunc(topics, func(t library.Topic) bool { return t.ID == seg.Topic }); i >= 0 {
		it.TopicName = topics[i].Name
		if lang == "en" && topics[i].NameEn != "" {
			it.TopicName = topics[i].NameEn
		}
	}
	wr := inLang(r, lang)
	for _, w := range seg.Audio.Warnings {
		it.Notes = append(it.Notes, viewWarning(wr, w))
	}
	fill, _ := json.Marshal(map[string]any{
		"revision": seg.Revision, "title": seg.Title, "description": seg.Description, "transcript": seg.Transcript,
		"topic": seg.Topic, "level": seg.Level, "valid_from": day(seg.ValidFrom), "valid_to": day(seg.ValidTo),
		"targets": seg.Targets, "limits": seg.Limits,
	})
	it.Fill = string(fill)
	return it
}

// sayWhere words the item's targets, dates and play counts, and what
// approving it does.
func (it *libraryItem) sayWhere(lang string, n wardNames) {
	it.Where, it.Dates, it.Plays = n.Where(lang, it.Targets), dates(lang, it.ValidFrom, it.ValidTo), plays(lang, it.Limits)
	it.Loudness = "—"
	if l := it.Audio.LoudnessLUFS; l != nil {
		it.Loudness = decimal(lang, *l, 1) + " LUFS"
	}
	if !it.Targets.All && len(it.Targets.Groups)+len(it.Targets.Stations) == 0 {
		it.WillAir = T(lang, "names.will_air_none")
		return
	}
	it.WillAir = T(lang, "names.will_air", it.Where, it.Dates, it.TopicName, it.Plays)
}

// inLang is r as seen by the API's wording helpers when the page is in
// lang (pages ignore the browser's Accept-Language; see pageLang).
func inLang(r *http.Request, lang string) *http.Request {
	c := r.Clone(r.Context())
	c.URL.RawQuery = "lang=" + lang
	return c
}

// TopicLabel is a topic's name in the page's language.
func (p pageData) TopicLabel(t library.Topic) string {
	if p.Lang == "en" && t.NameEn != "" {
		return t.NameEn
	}
	return t.Name
}
