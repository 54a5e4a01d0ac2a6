package playlist

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"loa/playlist/library"
)

// FuzzProgramme feeds arbitrary JSON to a programme as the API decodes it:
// decoding and validation never panic, a programme that validates has
// slots with real times of day and lengths, and its slots compile for a
// day in Vietnam and in a daylight-saving zone without error.
func FuzzProgramme(f *testing.F) {
	f.Add([]byte(`{"id":"sang","name":"Bản tin sáng","targets":{"all":true},"slots":[{"id":"s","kind":"announcements","days":[1,2,3],"start":"06:00","minutes":30}]}`))
	f.Add([]byte(`{"id":"cchc","name":"CCHC","targets":{"groups":["a"]},"slots":[{"id":"t5","kind":"column","days":[4],"start":"19:00","minutes":20,"topics":["cchc-tthc"]}],"exceptions":[{"date":"2026-12-31"}]}`))
	f.Add([]byte(`{"id":"r","name":"Tiếp sóng","targets":{"all":true},"slots":[{"id":"r","kind":"relay","date":"2026-03-29","start":"02:30","minutes":90,"url":"http://127.0.0.1/stream"}]}`))
	f.Add([]byte(`{"slots":[{"start":"25:61","minutes":-5}]}`))
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		f.Fatal(err)
	}
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Programme
		if json.Unmarshal(data, &p) != nil {
			return
		}
		err := p.Validate()
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("validation error without a field: %v", err)
			}
			return
		}
		for _, sl := range p.Slots {
			if sl.Start < 0 || sl.Start >= 24*60 || sl.Minutes <= 0 {
				t.Fatalf("valid programme with slot %+v", sl)
			}
		}
		for _, zone := range []*time.Location{hcm, berlin} {
			for _, day := range []string{"2026-03-29", "2026-10-25", "2026-11-28"} {
				if _, err := compileDay([]Programme{p}, Station{ID: "s", Zone: zone}, library.Date(day)); err != nil {
					t.Fatalf("compile %s in %s: %v", day, zone, err)
				}
			}
		}
	})
}
