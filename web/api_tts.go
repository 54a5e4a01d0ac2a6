package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"loa/audio"
	"loa/audio/tts"
	"loa/playlist/ingest"
	"loa/playlist/library"
)

// MaxTTSText is the longest text synthesised at once, in characters:
// about fifteen minutes of speech, far more than an announcement needs.
const MaxTTSText = 10_000

// ttsRequest is the body of POST /api/segments/tts: the segment's
// metadata as for an upload, the text, and whether to open with the chime.
type ttsRequest struct {
	Title     string           `json:"title"`
	Text      string           `json:"text"`
	Topic     string           `json:"topic"`
	Level     library.Level    `json:"level"`
	Targets   *library.Targets `json:"targets"` // absent: every station
	ValidFrom string           `json:"valid_from"`
	ValidTo   string           `json:"valid_to"`
	Limits    library.Limits   `json:"limits"`
	Chime     bool             `json:"chime"`
}

// ttsView is the answer: the new segment and the text as the engine read
// it (numbers, dates and abbreviations in words), for the editor to check.
type ttsView struct {
	segmentView
	Spoken string `json:"spoken"`
}

// synthesise turns an editor's text into a draft segment. The metadata is
// checked before the engine runs; the audio then takes the same path into
// the library as an upload. If the engine is missing or fails, nothing is
// stored and the answer carries the text back so that the page keeps it.
func (s *Server) synthesise(w http.ResponseWriter, r *http.Request) error {
	var req ttsRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	seg, err := req.segment()
	if err != nil {
		return err
	}
	if err := s.checkScope(r, seg.Targets); err != nil {
		return err
	}
	if err := s.lib.Check(seg); err != nil {
		return libraryError(err)
	}
	seg, spoken, err := s.ingest.Text(r.Context(), seg, req.Chime, currentUser(r).Name)
	if e := s.ttsError(r, err); e != nil {
		return s.keepText(w, r, e, req.Text)
	}
	if err != nil {
		return libraryError(err)
	}
	s.audit(r, "segment.create", segmentTarget(seg.ID), nil, seg)
	writeJSON(w, http.StatusCreated, ttsView{segmentView: viewSegment(r, seg), Spoken: spoken})
	return nil
}

// segment reads the request as a segment, the text trimmed and in NFC.
func (req ttsRequest) segment() (library.Segment, error) {
	text := norm.NFC.String(strings.TrimSpace(req.Text))
	switch {
	case text == "":
		return library.Segment{}, errFieldRequired.withField("text")
	case utf8.RuneCountInString(text) > MaxTTSText:
		return library.Segment{}, errFieldTooLong.withField("text")
	}
	seg := library.Segment{Title: req.Title, Text: text, Topic: req.Topic, Level: req.Level, Limits: req.Limits,
		Targets: library.Targets{All: true}}
	if strings.TrimSpace(seg.Title) == "" {
		seg.Title = titleOf(text)
	}
	if seg.Level == "" {
		seg.Level = library.LevelOrdinary
	}
	if req.Targets != nil {
		seg.Targets = *req.Targets
	}
	from, err := optionalDate("valid_from", &req.ValidFrom)
	if err != nil {
		return seg, err
	}
	to, err := optionalDate("valid_to", &req.ValidTo)
	if err != nil {
		return seg, err
	}
	seg.ValidFrom, seg.ValidTo = *from, *to
	return seg, nil
}

// titleOf makes a title from the text's first line, cut at a word.
func titleOf(text string) string {
	const most = 80
	line, _, _ := strings.Cut(text, "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) <= most {
		return line
	}
	cut := line[:byteOffset(line, most)]
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-") + "…"
}

func byteOffset(s string, runes int) int {
	for i := range s {
		if runes == 0 {
			return i
		}
		runes--
	}
	return len(s)
}

// ttsError words a failure of the engine, or of its output at ingest, for
// the editor; it logs the engine's own words once. Any other error is nil:
// the caller returns it as usual.
func (s *Server) ttsError(r *http.Request, err error) *apiError {
	var ae *audio.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ingest.ErrSpeechOff):
		return errTTSUnavailable
	case errors.Is(err, tts.ErrNothingToSay):
		return errFieldRequired.withField("text")
	case errors.Is(err, tts.ErrEngineMissing):
		s.log.Error("text to speech engine missing", "path", r.URL.Path, "err", err)
		return errTTSUnavailable
	case errors.Is(err, tts.ErrEngineFailed):
		s.log.Error("text to speech failed", "path", r.URL.Path, "err", err)
		return errTTSFailed
	case errors.As(err, &ae):
		s.log.Error("text to speech output rejected", "path", r.URL.Path, "err", err)
		return errTTSFailed
	}
	return nil
}

// keepText writes e like every error, with the text the editor sent, so
// that the page can put it back in the form.
func (s *Server) keepText(w http.ResponseWriter, r *http.Request, e *apiError, text string) error {
	var body struct {
		errorBody
		Text string `json:"text"`
	}
	body.Error.Code, body.Error.Field, body.Text = e.Code, e.Field, text
	body.Error.Message = e.Vi
	if lang(r) == "en" {
		body.Error.Message = e.En
	}
	writeJSON(w, e.Status, body)
	return nil
}
