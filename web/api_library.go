package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"loa/audio"
	"loa/playlist/library"
)

// segmentView is a segment as clients see it: the stored record, where to
// fetch its audio, and its warnings worded in the client's language.
type segmentView struct {
	library.Segment
	AudioURL string        `json:"audio_url"`
	Notes    []warningView `json:"notes"`
}

type warningView struct {
	Code   string  `json:"code"`
	Value  float64 `json:"value"`
	Text   string  `json:"text"`             // plain words and the one thing to do
	Detail string  `json:"detail,omitempty"` // the measured figure (library_words.go)
}

func viewSegment(r *http.Request, s library.Segment) segmentView {
	v := segmentView{Segment: s, AudioURL: fmt.Sprintf("/api/segments/%d/audio", s.ID), Notes: []warningView{}}
	for _, w := range s.Audio.Warnings {
		v.Notes = append(v.Notes, viewWarning(r, w))
	}
	return v
}

func viewWarning(r *http.Request, w library.Note) warningView {
	if text, detail, ok := plainWarning(lang(r), w); ok {
		return warningView{Code: w.Code, Value: w.Value, Text: text, Detail: detail}
	}
	text, ok := warningText[w.Code]
	if !ok {
		return warningView{Code: w.Code, Value: w.Value, Text: w.Message}
	}
	figure := strconv.FormatFloat(w.Value, 'f', 1, 64)
	if w.Code == "duplicate" || w.Code == "trailing_junk" {
		figure = strconv.FormatFloat(w.Value, 'f', 0, 64)
	}
	if w.Code == "converted" {
		figure = w.Message
	}
	i := 0
	if lang(r) == "en" {
		i = 1
	}
	return warningView{Code: w.Code, Value: w.Value, Text: fmt.Sprintf(text[i], figure)}
}

// libraryError turns the library's errors into client errors.
func libraryError(err error) error {
	var fe *library.FieldError
	switch {
	case errors.As(err, &fe):
		e, ok := fieldErrors[fe.Code]
		if !ok {
			e = errFieldInvalid
		}
		return e.withField(fe.Field)
	case errors.Is(err, library.ErrNotFound):
		return errNotFound
	case errors.Is(err, library.ErrTransition):
		return errTransition
	}
	return err
}

// segmentInScope returns the segment a request acts on, if the person's
// group limit allows them to work on it (scope.go).
func (s *Server) segmentInScope(r *http.Request, id uint64) (library.Segment, error) {
	seg, err := s.lib.Segment(id)
	if err != nil {
		return seg, libraryError(err)
	}
	return seg, s.checkScope(r, seg.Targets)
}

func segmentTarget(id uint64) string { return "segment/" + strconv.FormatUint(id, 10) }

func pathID(r *http.Request) (uint64, error) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, errBadID
	}
	return id, nil
}

func (s *Server) listSegments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := library.Filter{
		Query:  q.Get("q"),
		Topic:  q.Get("topic"),
		Status: library.Status(q.Get("status")),
		Level:  library.Level(q.Get("level")),
	}
	if v := q.Get("valid_on"); v != "" {
		d, err := library.ParseDate(v)
		if err != nil {
			return errBadQuery.withField("valid_on")
		}
		f.ValidOn = d
	}
	list, err := s.lib.List(f)
	if err != nil {
		return err
	}
	views := make([]segmentView, 0, len(list))
	for _, seg := range list {
		views = append(views, viewSegment(r, seg))
	}
	writeJSON(w, http.StatusOK, views)
	return nil
}

func (s *Server) getSegment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	seg, err := s.lib.Segment(id)
	if err != nil {
		return libraryError(err)
	}
	writeJSON(w, http.StatusOK, viewSegment(r, seg))
	return nil
}

// segmentEdit is the body of PATCH /api/segments/{id}: only the fields
// present change. Revision is the one the editor saw.
type segmentEdit struct {
	Revision    int              `json:"revision"`
	Title       *string          `json:"title"`
	Description *string          `json:"description"`
	Transcript  *string          `json:"transcript"` // what a recording says, for the public page
	Topic       *string          `json:"topic"`
	Level       *library.Level   `json:"level"`
	ValidFrom   *string          `json:"valid_from"`
	ValidTo     *string          `json:"valid_to"`
	Targets     *library.Targets `json:"targets"`
	Limits      *library.Limits  `json:"limits"`
}

func (e segmentEdit) apply(seg *library.Segment, from, to *library.Date) {
	set(&seg.Title, e.Title)
	set(&seg.Description, e.Description)
	set(&seg.Transcript, e.Transcript)
	set(&seg.Topic, e.Topic)
	set(&seg.Level, e.Level)
	set(&seg.ValidFrom, from)
	set(&seg.ValidTo, to)
	set(&seg.Targets, e.Targets)
	set(&seg.Limits, e.Limits)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// optionalDate parses a date field as people type it (YYYY-MM-DD or
// dd/mm/yyyy); empty clears the bound, absent (nil) leaves it alone.
func optionalDate(field string, in *string) (*library.Date, error) {
	if in == nil {
		return nil, nil
	}
	var d library.Date
	if s := strings.TrimSpace(*in); s != "" {
		var err error
		if d, err = library.ParseDate(s); err != nil {
			return nil, errFieldInvalid.withField(field)
		}
	}
	return &d, nil
}

func (s *Server) editSegment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var edit segmentEdit
	if err := readJSON(w, r, &edit); err != nil {
		return err
	}
	from, err := optionalDate("valid_from", edit.ValidFrom)
	if err != nil {
		return err
	}
	to, err := optionalDate("valid_to", edit.ValidTo)
	if err != nil {
		return err
	}
	before, err := s.segmentInScope(r, id)
	if err != nil {
		return err
	}
	if edit.Targets != nil {
		if err := s.checkScope(r, *edit.Targets); err != nil {
			return err
		}
	}
	user := currentUser(r).Name
	seg, err := s.lib.Edit(id, edit.Revision, user, func(seg *library.Segment) { edit.apply(seg, from, to) })
	if err != nil {
		return libraryError(err)
	}
	s.audit(r, "segment.edit", segmentTarget(id), before, seg)
	s.schedulesChanged(before.Targets, seg.Targets)
	writeJSON(w, http.StatusOK, viewSegment(r, seg))
	return nil
}

func (s *Server) deleteSegment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	before, err := s.segmentInScope(r, id)
	if err != nil {
		return err
	}
	if err := s.lib.Delete(id); err != nil {
		return libraryError(err)
	}
	s.audit(r, "segment.delete", segmentTarget(id), before, nil)
	s.schedulesChanged(before.Targets)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type transitionRequest struct {
	Comment string `json:"comment"`
	// Revision is the revision the person saw (0: not checked); the
	// pages send it, so an approval applies to what was seen.
	Revision int `json:"revision"`
}

// transition returns the handler of one lifecycle action.
func (s *Server) transition(a library.Action) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var req transitionRequest
		if r.ContentLength != 0 {
			if err := readJSON(w, r, &req); err != nil {
				return err
			}
		}
		if _, err := s.segmentInScope(r, id); err != nil {
			return err
		}
		rv, err := s.review(req.Revision)
		if err != nil {
			return err
		}
		seg, err := s.lib.Review(id, a, currentUser(r).Name, req.Comment, rv)
		if err != nil {
			return reviewError(err)
		}
		last := seg.History[len(seg.History)-1]
		s.audit(r, "segment."+string(a), segmentTarget(id), map[string]any{"status": last.From},
			map[string]any{"status": last.To, "comment": last.Comment, "revision": seg.Revision - 1, "created_by": seg.CreatedBy})
		if last.From == library.StatusApproved || last.To == library.StatusApproved {
			s.schedulesChanged(seg.Targets) // what may air has changed
		}
		writeJSON(w, http.StatusOK, viewSegment(r, seg))
		return nil
	}
}

// segmentAudio serves the stored file, with Range and conditional requests.
func (s *Server) segmentAudio(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	seg, err := s.lib.Segment(id)
	if err != nil {
		return libraryError(err)
	}
	f, err := s.blobs.Open(seg.Audio.SHA256)
	if errors.Is(err, audio.ErrBlobNotFound) {
		return errAudioNotPresent
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType(seg.Audio.Format))
	w.Header().Set("ETag", `"`+seg.Audio.SHA256+`"`)
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(w, r, "", info.ModTime(), f)
	return nil
}

func contentType(format string) string {
	if format == "wav" {
		return "audio/wav"
	}
	return "audio/mpeg"
}

func (s *Server) listTopics(w http.ResponseWriter, r *http.Request) error {
	topics, err := s.lib.Topics()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, topics)
	return nil
}

func (s *Server) putTopic(w http.ResponseWriter, r *http.Request) error {
	var t library.Topic
	if err := readJSON(w, r, &t); err != nil {
		return err
	}
	t.ID = r.PathValue("id")
	before, err := s.lib.Topic(t.ID)
	if err != nil && !errors.Is(err, library.ErrNotFound) {
		return err
	}
	if err := s.lib.PutTopic(t); err != nil {
		return libraryError(err)
	}
	s.audit(r, "topic.put", "topic/"+t.ID, before, t)
	writeJSON(w, http.StatusOK, t)
	return nil
}
