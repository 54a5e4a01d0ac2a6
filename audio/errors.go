package audio

import "fmt"

// Rejection codes carried by *Error. They are stable: the web layer maps
// them to Vietnamese messages and API clients may match on them.
const (
	CodeEmpty             = "empty"              // the file has no bytes
	CodeUnknownFormat     = "unknown_format"     // not audio we recognise (an image, text, noise)
	CodeUnsupportedFormat = "unsupported_format" // recognised, but needs ffmpeg to convert
	CodeTruncated         = "truncated"          // ends before its own headers say it should
	CodeCorrupt           = "corrupt"            // damaged data part-way through
	CodeHeaderMismatch    = "header_mismatch"    // a header contradicts itself or the data
	CodeNoAudio           = "no_audio"           // a valid container with no audio in it
	CodeConversionFailed  = "conversion_failed"  // ffmpeg could not convert the file
	CodeTooLong           = "too_long"           // decodes to more than Options.MaxDuration
)

// Error is every rejection of a file; use errors.As to get it. Plain I/O
// failures (disk, cancelled context) are returned as they are, never as
// *Error, so a caller can tell "bad file" from "try again".
type Error struct {
	Code   string // one of the Code* constants
	Format string // the detected format ("mp3", "wav", "m4a", ...), "" if unknown
	Offset int64  // byte offset in the file where it went wrong, -1 if none
	Detail string // plain English: what and where
	Err    error  // the underlying decoder error, if any
}

func (e *Error) Error() string {
	s := "audio: " + e.Code
	if e.Format != "" {
		s += " " + e.Format
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" (at byte %d)", e.Offset)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// reject builds an *Error; detail is a printf format.
func reject(code, format string, offset int64, detail string, args ...any) *Error {
	return &Error{Code: code, Format: format, Offset: offset, Detail: fmt.Sprintf(detail, args...)}
}
