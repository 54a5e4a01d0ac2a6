package library

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Codes of the validation errors; the web layer words them for people.
const (
	CodeRequired     = "required"
	CodeTooLong      = "too_long"
	CodeInvalid      = "invalid"
	CodeUnknownTopic = "unknown_topic"
	CodeDateOrder    = "date_order"
	CodeLimitOrder   = "limit_order"
	CodeNoTargets    = "no_targets"
	CodeStale        = "stale" // edited by someone else meanwhile
)

// Limits on text fields, in characters.
const (
	MaxTitle       = 200
	MaxDescription = 4000
	MaxComment     = 1000
	MaxTranscript  = 20000 // about twenty minutes of speech
)

// A FieldError says which field of a segment or topic is wrong and how.
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

func (e *FieldError) Error() string { return "invalid " + e.Field + ": " + e.Code }

func fieldErr(field, code string) error { return &FieldError{Field: field, Code: code} }

// Normalize puts the text fields in NFC and trims them, as stored.
func (s *Segment) normalize() {
	s.Title = cleanText(s.Title)
	s.Description = cleanText(s.Description)
	s.Transcript = cleanText(s.Transcript)
	s.Topic = strings.TrimSpace(s.Topic)
	s.Targets.Groups = cleanList(s.Targets.Groups)
	s.Targets.Stations = cleanList(s.Targets.Stations)
}

// validate checks a normalised segment; topics are the known topic ids.
func (s *Segment) validate(topicKnown func(string) bool) error {
	switch {
	case s.Title == "":
		return fieldErr("title", CodeRequired)
	case utf8.RuneCountInString(s.Title) > MaxTitle:
		return fieldErr("title", CodeTooLong)
	case utf8.RuneCountInString(s.Description) > MaxDescription:
		return fieldErr("description", CodeTooLong)
	case utf8.RuneCountInString(s.Transcript) > MaxTranscript:
		return fieldErr("transcript", CodeTooLong)
	case s.Topic == "":
		return fieldErr("topic", CodeRequired)
	case !topicKnown(s.Topic):
		return fieldErr("topic", CodeUnknownTopic)
	case !s.Level.valid():
		return fieldErr("level", CodeInvalid)
	case s.ValidFrom != "" && !s.ValidFrom.Valid():
		return fieldErr("valid_from", CodeInvalid)
	case s.ValidTo != "" && !s.ValidTo.Valid():
		return fieldErr("valid_to", CodeInvalid)
	case s.ValidFrom != "" && s.ValidTo != "" && s.ValidTo < s.ValidFrom:
		return fieldErr("valid_to", CodeDateOrder)
	case s.Targets.empty():
		return fieldErr("targets", CodeNoTargets)
	}
	return s.Limits.validate()
}

func (l Limits) validate() error {
	const most = 100 // plays of one item in a day; more is a typing mistake
	for _, f := range []struct {
		name string
		v    int
	}{{"min_per_day", l.MinPerDay}, {"min_per_week", l.MinPerWeek}, {"max_per_day", l.MaxPerDay}} {
		if f.v < 0 || f.v > 7*most {
			return fieldErr(f.name, CodeInvalid)
		}
	}
	if l.MaxPerDay > most {
		return fieldErr("max_per_day", CodeInvalid)
	}
	if l.MaxPerDay > 0 && l.MinPerDay > l.MaxPerDay {
		return fieldErr("min_per_day", CodeLimitOrder)
	}
	if l.MaxPerDay > 0 && l.MinPerWeek > 7*l.MaxPerDay {
		return fieldErr("min_per_week", CodeLimitOrder)
	}
	return nil
}

// cleanText trims and NFC-normalises what a person typed.
func cleanText(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

func cleanList(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
