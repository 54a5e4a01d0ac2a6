package report

import (
	"errors"
	"fmt"
	"io"
)

// Formats a report is exported in.
var Formats = []string{"xlsx", "csv", "json", "html", "docx"}

// ErrBadFormat is returned for a format not in Formats.
var ErrBadFormat = errors.New("unknown report format (want xlsx, csv, json, html or docx)")

// Write writes r in format; lang ("vi" or "en") words the HTML page.
func Write(w io.Writer, r *Report, format, lang string) error {
	switch format {
	case "xlsx":
		return WriteXLSX(w, r)
	case "csv":
		return WriteCSV(w, r)
	case "json":
		return WriteJSON(w, r)
	case "html":
		return WriteHTML(w, r, lang)
	case "docx":
		return WriteDOCX(w, r)
	}
	return fmt.Errorf("%w: %q", ErrBadFormat, format)
}

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "csv":
		return "text/csv; charset=utf-8"
	case "json":
		return "application/json; charset=utf-8"
	case "docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	return "text/html; charset=utf-8"
}

// FileName is the file a download of r is saved as, e.g.
// bao-cao-phat-thanh-2026-Q3.xlsx.
func FileName(r *Report, format string) string {
	return "bao-cao-phat-thanh-" + r.Period.Code + "." + format
}
