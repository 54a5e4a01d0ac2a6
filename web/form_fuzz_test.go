package web

import (
	"net/url"
	"testing"
	"unicode/utf8"

	"loa/playlist/library"
)

// FuzzUploadForm feeds arbitrary form values to the upload form's parser:
// it must never panic, and it either returns a client error naming a field
// or a segment whose dates are valid days.
func FuzzUploadForm(f *testing.F) {
	f.Add("Thông báo", "cchc-tthc", "ordinary", "01/12/2026", "2026-12-31", "3", "nhom-a, nhom-b", "tep.mp3")
	f.Add("", "", "", "31/02/2026", "", "-1", ",,,", "")
	f.Add("\xff\xfe", "x", "emergency", "2026-13-01", "1/1/1", "9999999999999999999", "a,b", "a.b.c")
	f.Fuzz(func(t *testing.T, title, topic, level, from, to, minDay, groups, file string) {
		form := url.Values{"title": {title}, "topic": {topic}, "level": {level}, "valid_from": {from},
			"valid_to": {to}, "min_per_day": {minDay}, "groups": {groups}}
		seg, err := segmentFromForm(form, file)
		if err != nil {
			e, ok := asAPIError(err)
			if !ok || e.Field == "" {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		for _, d := range []library.Date{seg.ValidFrom, seg.ValidTo} {
			if d != "" {
				if _, err := library.ParseDate(string(d)); err != nil {
					t.Fatalf("accepted an invalid date %q", d)
				}
			}
		}
		if !seg.Targets.All && len(seg.Targets.Groups) == 0 && len(seg.Targets.Stations) == 0 {
			t.Fatal("a segment with no targets")
		}
	})
}

// FuzzParseDate: any accepted date is a real day and prints back the same.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-28", "28/11/2026", "1/2/2026", "29/02/2027", "2026-02-29", "", "00/00/0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := library.ParseDate(s)
		if err != nil {
			return
		}
		again, err := library.ParseDate(string(d))
		if err != nil || again != d || !utf8.ValidString(string(d)) || len(d) != 10 {
			t.Fatalf("%q → %q → %q, %v", s, d, again, err)
		}
	})
}
