package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestProgrammePickedByName: the slot form's programme is picked by its
// name, and a new programme is made by typing its name; its id comes from
// the name, with a number added when that id is taken (issue 17 item 1).
func TestProgrammePickedByName(t *testing.T) {
	ts, b := staffWard(t)
	admin := ts.signIn(t, "admin")
	if resp := admin.json("PUT", "/api/programmes/sang", morning, nil); resp.StatusCode != 200 {
		t.Fatalf("programme: %s", resp.Status)
	}
	b.open("/schedule", "#slot-form")
	b.waitText("#sl-programme", "Bản tin buổi sáng")
	if n := b.count("#programme-ids, input#sl-programme, input#ex-programme"); n != 0 {
		t.Errorf("%d programme fields still ask for an id", n)
	}

	// An existing programme, by name: its name comes with it.
	b.do(chromedp.SetValue("#sl-programme", "sang"))
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById('sl-programme').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	if got := b.value("#sl-name"); got != "Bản tin buổi sáng" {
		t.Errorf("the name shown for the programme picked: %q", got)
	}
	b.do(chromedp.SendKeys("#sl-start", "18:00"), chromedp.SendKeys("#sl-minutes", "15"), chromedp.Click(`#sl-days input[value="1"]`))
	b.reloading(chromedp.Click(`#slot-form button[type=submit]`))
	b.waitText("#flash", "Bản tin buổi sáng")
	if p, err := ts.app.Playlists.Programme("sang"); err != nil || len(p.Slots) != 2 {
		t.Fatalf("the slot went elsewhere: %+v %v", p.Slots, err)
	}

	// A new programme with no name: said at the name field.
	b.setValue("#sl-programme", "")
	b.do(chromedp.SendKeys("#sl-start", "19:00"), chromedp.SendKeys("#sl-minutes", "20"),
		chromedp.Click(`#sl-days input[value="4"]`), chromedp.Click(`#slot-form button[type=submit]`))
	b.waitText("#sl-name-error", "Trường này là bắt buộc")

	// Named "Sáng": its id would be "sang", which is taken.
	b.do(chromedp.SendKeys("#sl-name", "Sáng"))
	b.reloading(chromedp.Click(`#slot-form button[type=submit]`))
	b.waitText("#flash", "Sáng")
	if p, err := ts.app.Playlists.Programme("sang-2"); err != nil || p.Name != "Sáng" || len(p.Slots) != 1 {
		t.Fatalf("the new programme: %+v %v", p, err)
	}
	if p, _ := ts.app.Playlists.Programme("sang"); len(p.Slots) != 2 || p.Name != "Bản tin buổi sáng" {
		t.Errorf("the existing programme changed: %+v", p)
	}
	b.waitText("#prog-sang-2", "Sáng")

	// A new one named as people name it.
	b.setValue("#sl-programme", "")
	b.do(chromedp.SendKeys("#sl-name", "Chuyên mục Cải cách hành chính"),
		chromedp.SendKeys("#sl-start", "19:30"), chromedp.SendKeys("#sl-minutes", "20"), chromedp.Click(`#sl-days input[value="4"]`))
	b.reloading(chromedp.Click(`#slot-form button[type=submit]`))
	b.waitText("#prog-chuyen-muc-cai-cach-hanh-chinh", "Chuyên mục Cải cách hành chính")
	b.waitText("#sl-programme", "Chuyên mục Cải cách hành chính")
	b.waitText("#ex-programme", "Chuyên mục Cải cách hành chính")
	b.shot("schedule-programme-picker")
	b.checkConsole()
}

// TestStationIDFromName: a new station's id is made from the name as it
// is typed, without diacritics and with a number when taken; an id typed
// by a technician is kept (issue 17 item 1).
func TestStationIDFromName(t *testing.T) {
	ts, b := staffWard(t)
	b.open("/stations", "#station-add")
	b.do(chromedp.SendKeys("#sa-name", "Tổ dân phố 5"))
	if got := b.value("#sa-id"); got != "to-dan-pho-5" {
		t.Fatalf("the id made from «Tổ dân phố 5»: %q", got)
	}
	b.do(chromedp.Click("#station-add button[type=submit]"), chromedp.WaitVisible("#td-config"))
	b.reloading(chromedp.Click("#td-close"))
	b.waitText("#station-to-dan-pho-5", "Tổ dân phố 5")

	// The same name again: the id gets a number.
	b.do(chromedp.SendKeys("#sa-name", "Tổ dân phố 5"))
	if got := b.value("#sa-id"); got != "to-dan-pho-5-2" {
		t.Errorf("a taken id: %q", got)
	}
	// A long name stays within the 32 characters a station id may have.
	b.setValue("#sa-name", "")
	b.do(chromedp.SendKeys("#sa-name", "Cụm loa Đường Nguyễn Thị Minh Khai nối dài"))
	if got := b.value("#sa-id"); len(got) > 32 || !strings.HasPrefix(got, "cum-loa-duong-nguyen-thi-minh") || strings.HasSuffix(got, "-") {
		t.Errorf("a long name's id: %q", got)
	}
	// A technician's own id is kept when the name changes.
	b.setValue("#sa-id", "")
	b.do(chromedp.SendKeys("#sa-id", "tdp-06"), chromedp.SendKeys("#sa-name", " mới"))
	if got := b.value("#sa-id"); got != "tdp-06" {
		t.Errorf("the typed id became %q", got)
	}
	b.shot("stations-id-from-name")
	if _, err := ts.app.Stations.Station("to-dan-pho-5"); err != nil {
		t.Errorf("the station: %v", err)
	}
	b.checkConsole()
}
