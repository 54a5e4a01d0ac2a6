package web

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Every text exists in both languages, Vietnamese is NFC (a decomposed
// accent renders badly in some fonts and breaks search), and both
// languages take the same fmt arguments.
func TestCatalogue(t *testing.T) {
	for key, m := range catalogue {
		if m.vi == "" || m.en == "" {
			t.Errorf("%s: missing a language", key)
		}
		if !norm.NFC.IsNormalString(m.vi) {
			t.Errorf("%s: Vietnamese text is not NFC", key)
		}
		if strings.Count(m.vi, "%") != strings.Count(m.en, "%") {
			t.Errorf("%s: the languages take different arguments", key)
		}
	}
	if got := T("vi", "lib.count", 3); got != "3 bản tin" {
		t.Errorf("T = %q", got)
	}
	if got := T("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("an unknown key shows %q", got)
	}
}

func TestFormat(t *testing.T) {
	f := formatter{loc: loadWardZone()}
	at := time.Date(2026, 12, 31, 17, 5, 0, 0, time.UTC) // 00:05 on 1 January in Vietnam
	if got := f.dateTime(at); got != "01/01/2027 00:05" {
		t.Errorf("dateTime = %q", got)
	}
	if got := f.clock(at); got != "00:05" {
		t.Errorf("clock = %q", got)
	}
	for d, want := range map[time.Duration]string{
		0: "0:00:00", 8*time.Second + 400*time.Millisecond: "0:00:08", 3725 * time.Second: "1:02:05", 30 * time.Hour: "30:00:00",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
	if got := day("2026-12-01"); got != "01/12/2026" {
		t.Errorf("day = %q", got)
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/library?q=a": "/library?q=a", "//evil.example": "/", "https://evil.example": "/", "": "/", `/\evil`: "/"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
