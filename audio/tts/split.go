package tts

import (
	"strings"
	"unicode/utf8"
)

// DefaultMaxPiece is the longest piece, in characters, handed to the
// engine at once: a long sentence, well within what engines handle.
const DefaultMaxPiece = 400

// A Piece is one run of the engine: whole sentences, or part of a long one.
type Piece struct {
	Text string
	// EndsSentence is false for a part of a sentence cut at a clause mark
	// or a space; the pause after it is shorter.
	EndsSentence bool
}

// Split cuts normalised text into pieces of at most max characters (0
// means DefaultMaxPiece) at sentence boundaries (. ! ? or a line break):
// whole sentences are packed together up to max, since every engine run
// costs a process start (and, for neural engines, loading a model); a
// sentence longer than max is cut after commas, semicolons or colons, and
// a clause still too long between words.
func Split(text string, max int) []Piece {
	if max <= 0 {
		max = DefaultMaxPiece
	}
	var out []Piece
	packable := false // the last piece holds whole sentences only
	for _, s := range sentences(text) {
		parts := cut(s, max, ",;:")
		if last := len(out) - 1; len(parts) == 1 && packable &&
			utf8.RuneCountInString(out[last].Text)+1+utf8.RuneCountInString(s) <= max {
			out[last].Text += " " + s
			continue
		}
		for i, p := range parts {
			out = append(out, Piece{Text: p, EndsSentence: i == len(parts)-1})
		}
		packable = len(parts) == 1
	}
	return out
}

// sentences splits at line breaks and after . ! ? followed by a space.
func sentences(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		start := 0
		for i := 0; i < len(line); i++ {
			if strings.IndexByte(".!?", line[i]) >= 0 && (i+1 == len(line) || line[i+1] == ' ') {
				out = appendTrimmed(out, line[start:i+1])
				start = i + 1
			}
		}
		out = appendTrimmed(out, line[start:])
	}
	return out
}

func appendTrimmed(list []string, s string) []string {
	if s = strings.TrimSpace(s); strings.Trim(s, ".!?,;: ") != "" {
		list = append(list, s)
	}
	return list
}

// cut splits s into parts of at most max characters, after one of marks
// when it can, otherwise between words, otherwise anywhere.
func cut(s string, max int, marks string) []string {
	if utf8.RuneCountInString(s) <= max {
		return []string{s}
	}
	var out []string
	for utf8.RuneCountInString(s) > max {
		limit := byteIndexOfRune(s, max)
		at := strings.LastIndexAny(s[:limit], marks) + 1 // just after the mark
		if at <= 0 || marks == "" {
			at = strings.LastIndexByte(s[:limit], ' ')
		}
		if at <= 0 {
			at = limit
		}
		out = appendTrimmed(out, s[:at])
		s = strings.TrimSpace(s[at:])
	}
	return appendTrimmed(out, s)
}

// byteIndexOfRune is the byte offset of the n-th rune of s.
func byteIndexOfRune(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
