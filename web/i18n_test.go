package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"loa/broadcast/hub"
	"loa/broadcast/protocol"
	"loa/playlist"
	"loa/playlist/library"
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

// Every text a template or a page asks for by a literal key is in the
// catalogue, and so is every key the pages build from a lifecycle value
// (status.*, level.*, role.*, kind.*, state.*, action.*).
func TestCatalogueHasEveryKeyThePagesUse(t *testing.T) {
	literal := regexp.MustCompile(`\bT "([a-z_.]+)"|\bT\("([a-z_.]+)"|p\.T\("([a-z_.]+)"`)
	files, _ := filepath.Glob("templates/*.html")
	goFiles, _ := filepath.Glob("page*.go")
	found := 0
	for _, f := range append(files, goFiles...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(data), -1) {
			key := m[1] + m[2] + m[3]
			found++
			if _, ok := catalogue[key]; !ok {
				t.Errorf("%s asks for %q, which the catalogue lacks", f, key)
			}
		}
	}
	if found < 100 {
		t.Fatalf("found only %d keys: the pattern no longer matches the templates", found)
	}
	var built []string
	for _, s := range library.Statuses {
		built = append(built, "status."+string(s))
	}
	for _, l := range library.Levels {
		built = append(built, "level."+string(l))
	}
	for _, r := range []Role{RoleViewer, RoleEditor, RoleApprover, RoleAdmin} {
		built = append(built, "role."+string(r))
	}
	for _, k := range []playlist.SlotKind{playlist.KindAnnouncements, playlist.KindColumn, playlist.KindRelay} {
		built = append(built, "kind."+string(k))
	}
	for _, a := range []library.Action{library.ActionSubmit, library.ActionApprove, library.ActionReject, library.ActionArchive, library.ActionRestore, library.ActionEdit} {
		built = append(built, "action."+string(a))
	}
	for _, s := range []string{hub.StateQueued, hub.StateSent, protocol.StateDelivered, protocol.StatePlaying, protocol.StateDone, protocol.StateFailed, hub.StateExpired} {
		built = append(built, "state."+s, "js.state."+s)
	}
	for _, key := range built {
		if _, ok := catalogue[key]; !ok {
			t.Errorf("the catalogue lacks %q", key)
		}
	}
}
