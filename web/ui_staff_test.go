package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"loa/broadcast/protocol"
	"loa/playlist/library"
)

// Browser tests of issue 17: ward staff work with names, never Loa's
// codes, see what they approve, and are told what their actions did.

// staffWard is a test server with two areas and four stations, as a ward
// office sets them up on the stations page.
func staffWard(t *testing.T) (*testServer, *browser) {
	t.Helper()
	ts := newScheduleServer(t).testServer
	admin := ts.signIn(t, "admin")
	for _, g := range [][2]string{{"an-phu", "Khu An Phú"}, {"binh-minh", "Khu Bình Minh"}} {
		if resp := admin.json("PUT", "/api/groups/"+g[0], map[string]any{"name": g[1]}, nil); resp.StatusCode/100 != 2 {
			t.Fatalf("group %v: %s", g, resp.Status)
		}
	}
	for _, st := range []map[string]any{
		{"id": "ap-01", "name": "Tổ 1 An Phú", "groups": []string{"an-phu"}},
		{"id": "ap-02", "name": "Tổ 2 An Phú", "groups": []string{"an-phu"}},
		{"id": "bm-01", "name": "Tổ 1 Bình Minh", "groups": []string{"binh-minh"}},
		{"id": "cho", "name": "Chợ phường"},
	} {
		if resp := admin.json("POST", "/api/stations", st, nil); resp.StatusCode != 201 {
			t.Fatalf("station %v: %s", st, resp.Status)
		}
	}
	b := newBrowser(t, ts.URL)
	b.signIn("admin", testPassword)
	return ts, b
}

// TestApproverSeesWhatTheyApprove: an item uploaded for one area is
// approved from a dialog that shows its area in names, the stations it
// reaches, its level, dates, play counts, analysis and a player, says
// what approving does, and whose button reads "Duyệt".
func TestApproverSeesWhatTheyApprove(t *testing.T) {
	ts, b := staffWard(t)
	b.open("/library", "#upload-files")
	// The area picker names the areas and their stations; no code is typed.
	b.waitText("#up-targets", "Khu An Phú")
	b.waitText("#up-targets", "Tổ 2 An Phú")
	b.waitText("#up-targets", "Chợ phường")
	b.shot("staff-library-picker")

	// Nothing chosen as topic: said before the file is sent.
	b.do(chromedp.SetUploadFiles("#upload-files", []string{testFile(t, "mp3/too-quiet.mp3")}))
	b.waitText("#up-topic-error", "Trường này là bắt buộc")
	if n := b.count("#uploads li"); n != 0 {
		t.Errorf("%d files were sent with the topic missing", n)
	}

	b.do(chromedp.SetValue("#up-topic", "cchc-tthc"), chromedp.SendKeys("#up-title", "Lịch tiếp dân"),
		chromedp.SendKeys("#up-valid-from", "01/12/2026"), chromedp.SendKeys("#up-valid-to", "31/12/2026"),
		chromedp.SendKeys("#up-min-day", "2"),
		chromedp.Click(`#up-targets input[value="an-phu"]`),
		chromedp.SetUploadFiles("#upload-files", []string{testFile(t, "mp3/too-quiet.mp3")}))
	b.do(chromedp.WaitVisible("#uploads li.done"))
	// Plain words with one thing to do, the figure apart with a decimal comma.
	b.waitText("#uploads li.done", "Tiếng nhỏ hơn mức chuẩn")
	b.waitText("#uploads li.done .detail", "LUFS")
	if d := b.text("#uploads li.done .detail"); !strings.Contains(d, ",") || strings.Contains(d, ".") {
		t.Errorf("detail line %q: want a decimal comma", d)
	}
	// The list below refreshes in place and the title is cleared.
	b.waitText("#items", "Lịch tiếp dân")
	b.waitText("#upload-ok", "đã được cập nhật")
	if v := b.value("#up-title"); v != "" {
		t.Errorf("title after the upload: %q", v)
	}
	seg := ts.lib
	list, err := seg.List(library.Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("library: %v %v", list, err)
	}
	if tg := list[0].Targets; tg.All || len(tg.Groups) != 1 || tg.Groups[0] != "an-phu" || len(tg.Stations) != 0 {
		t.Fatalf("stored targets %+v, want the area an-phu only", tg)
	}
	id := "#seg-1"
	b.waitText(id+" .where", "2 trạm của Khu An Phú")
	if strings.Contains(b.text(id+" .facts"), "an-phu") {
		t.Error("the card shows the area's code")
	}

	b.reloading(chromedp.Click(id + ` button[data-call$="/submit"]`))
	b.waitText("#flash", "Đã gửi duyệt bản tin «Lịch tiếp dân»")

	// Approve: the dialog shows what is approved and what will happen.
	b.do(chromedp.Click(id+` button[data-api$="/approve"]`), chromedp.WaitVisible("#rv-comment"))
	b.waitText("#review-dialog", "Bản tin sẽ phát tại 2 trạm của Khu An Phú, từ 01/12/2026 đến hết 31/12/2026")
	b.waitText("#review-dialog", "Thông thường")
	b.waitText("#review-dialog", "ít nhất 2 lần/ngày")
	b.waitText("#review-dialog", "Tiếng nhỏ hơn mức chuẩn")
	if b.count(`#review-dialog audio[src="/api/segments/1/audio"]`) != 1 {
		t.Error("no player in the approve dialog")
	}
	if got := b.text("#review-dialog button.primary"); got != "Duyệt" {
		t.Errorf("approve button reads %q", got)
	}
	if b.visible("#rv-comment-hint") {
		t.Error("the reject hint shows when approving")
	}
	b.shot("staff-approve-dialog")
	b.do(chromedp.Click(`#review-dialog button[value=cancel]`), chromedp.WaitNotVisible("#review-dialog"))

	// Reject: the hint shows and the button says so.
	b.do(chromedp.Click(id+` button[data-api$="/reject"]`), chromedp.WaitVisible("#rv-comment"))
	if got := b.text("#review-dialog button.primary"); got != "Từ chối" {
		t.Errorf("reject button reads %q", got)
	}
	if !b.visible("#rv-comment-hint") {
		t.Error("the reject hint is hidden when rejecting")
	}
	b.do(chromedp.Click(`#review-dialog button[value=cancel]`), chromedp.WaitNotVisible("#review-dialog"))

	b.do(chromedp.Click(id+` button[data-api$="/approve"]`), chromedp.WaitVisible("#rv-comment"))
	b.reloading(chromedp.Click(`#review-dialog button.primary`))
	b.waitText(id+" .badge", "Đã duyệt")
	b.waitText("#flash", "Đã duyệt bản tin «Lịch tiếp dân»")
	b.checkConsole()
}

// TestEditTargetsWithThePicker: the edit dialog's picker shows the item's
// areas and stations ticked, a ticked area covers its stations, and the
// search finds a station by its name typed without accents.
func TestEditTargetsWithThePicker(t *testing.T) {
	ts, b := staffWard(t)
	c := ts.signIn(t, "admin")
	if resp := c.upload("mp3/cbr128-stereo.mp3", map[string]string{"topic": "cchc-tthc", "title": "Thu phí", "stations": "cho"}, nil); resp.StatusCode != 201 {
		t.Fatalf("upload: %s", resp.Status)
	}
	b.open("/library", "#seg-1")
	b.waitText("#seg-1 .where", "trạm Chợ phường")
	b.do(chromedp.Click(`#seg-1 button[data-open="edit-dialog"]`), chromedp.WaitVisible("#ed-title"))
	if !b.checked(`#ed-targets input[name="targets.stations"][value="cho"]`) {
		t.Error("the item's station is not ticked")
	}
	b.do(chromedp.Click(`#ed-targets input[value="binh-minh"]`))
	if !b.checked(`#ed-targets input[name="targets.stations"][value="bm-01"]`) {
		t.Error("a ticked area does not show its station covered")
	}
	b.do(chromedp.SendKeys("#ed-targets .pick-search", "to 2 an phu"))
	if b.visible(`#ed-targets input[value="bm-01"]`) || !b.visible(`#ed-targets input[value="ap-02"]`) {
		t.Error("the search does not find the station by its name without accents")
	}
	b.shot("staff-edit-picker")
	b.reloading(chromedp.Click(`#edit-dialog button.primary`))
	b.waitText("#flash", "Đã lưu thay đổi của bản tin «Thu phí»")
	b.waitText("#seg-1 .where", "2 trạm của Khu Bình Minh, trạm Chợ phường")
	s, err := ts.lib.Segment(1)
	if err != nil {
		t.Fatal(err)
	}
	if tg := s.Targets; tg.All || strings.Join(tg.Groups, ",") != "binh-minh" || strings.Join(tg.Stations, ",") != "cho" {
		t.Errorf("stored targets %+v", tg)
	}
	b.checkConsole()
}

func (b *browser) visible(sel string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(function(){var e=document.querySelector(`+jsString(sel)+`); return !!e && e.checkVisibility()})()`))
	if err != nil {
		b.t.Fatalf("visible %s: %v", sel, err)
	}
	return v
}

func (b *browser) checked(sel string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(function(){var e=document.querySelector(`+jsString(sel)+`); return !!e && e.checked})()`))
	if err != nil {
		b.t.Fatalf("checked %s: %v", sel, err)
	}
	return v
}

// TestSlotFormChangesAnExistingProgrammesAreas: unticking the whole ward
// and choosing an area on the slot form of an existing programme changes
// where the programme airs (it was silently ignored).
func TestSlotFormChangesAnExistingProgrammesAreas(t *testing.T) {
	ts, b := staffWard(t)
	admin := ts.signIn(t, "admin")
	if resp := admin.json("PUT", "/api/programmes/sang", morning, nil); resp.StatusCode != 200 {
		t.Fatalf("programme: %s", resp.Status)
	}
	b.open("/schedule", "#slot-form")
	b.waitText("#d-station", "Tổ 1 An Phú") // the day view's stations, by name
	b.waitText("#prog-sang .prog-where", "toàn phường (4 trạm)")
	b.do(chromedp.Click(`#prog-sang .weekday:nth-child(1) button[data-slot]`))
	if !b.checked("#sl-targets-all") {
		t.Error("the form does not show that the programme airs in the whole ward")
	}
	b.do(chromedp.Click("#sl-targets-all"))
	b.pickArea("an-phu")
	b.reloading(chromedp.Click(`#slot-form button[type=submit]`))
	b.waitText("#prog-sang .prog-where", "2 trạm của Khu An Phú")
	b.waitText("#flash", "Đã lưu khung giờ 06:00 của chương trình «Bản tin buổi sáng»")
	p, err := ts.app.Playlists.Programme("sang")
	if err != nil {
		t.Fatal(err)
	}
	if p.Targets.All || strings.Join(p.Targets.Groups, ",") != "an-phu" {
		t.Errorf("the programme's targets after the form: %+v", p.Targets)
	}
	b.checkConsole()
}

// pickArea chooses an area on the slot form.
func (b *browser) pickArea(id string) {
	b.t.Helper()
	b.do(chromedp.Click(`#sl-targets input[value="` + id + `"]`))
}

// TestStationsShowNames: the station table names each station's groups;
// a group is added by its name alone, and a station's groups are ticked,
// not typed.
func TestStationsShowNames(t *testing.T) {
	ts, b := staffWard(t)
	b.open("/stations", "#stations")
	if got := b.text("#station-ap-01 .st-groups"); got != "Khu An Phú" {
		t.Errorf("the groups cell reads %q", got)
	}
	b.reloading(chromedp.SendKeys("#gr-name", "Khu Đồng Tâm"), chromedp.Click("#group-form button[type=submit]"))
	b.waitText("#groups", "Khu Đồng Tâm")
	b.waitText("#flash", "Đã lưu cụm «Khu Đồng Tâm».")
	b.do(chromedp.Click(`#station-cho button[data-open="station-dialog"]`), chromedp.WaitVisible("#sd-name"))
	if z := b.value("#sd-zone"); z != "" {
		t.Errorf("the zone field shows %q, not the hint «Giờ Việt Nam (UTC+7)»", z)
	}
	b.waitText("#sd-zone-hint", "Giờ Việt Nam (UTC+7)")
	b.do(chromedp.Click(`#sd-groups input[value="khu-dong-tam"]`))
	b.reloading(chromedp.Click(`#station-dialog button.primary`))
	b.waitText("#flash", "Đã lưu trạm «Chợ phường».")
	b.waitText("#station-cho .st-groups", "Khu Đồng Tâm")
	b.shot("staff-stations")
	admin := ts.signIn(t, "admin")
	var st struct {
		Groups []string `json:"groups"`
		Zone   string   `json:"zone"`
	}
	if resp := admin.json("GET", "/api/stations/cho", nil, &st); resp.StatusCode != 200 || strings.Join(st.Groups, ",") != "khu-dong-tam" || st.Zone != "Asia/Ho_Chi_Minh" {
		t.Errorf("station cho: %s %+v", resp.Status, st)
	}
	b.checkConsole()
}

// TestUsersPageNamesGroupsAndMakesTokens: a user limited to a group is
// added by ticking the group's name; the confirmation names the user; the
// name hint names the underscore; an API token is made and revoked on the
// same page (the README sends people there).
func TestUsersPageNamesGroupsAndMakesTokens(t *testing.T) {
	_, b := staffWard(t)
	b.open("/users", "#nu-name")
	b.waitText("#nu-name-hint", "gạch dưới (_)")
	b.reloading(chromedp.SendKeys("#nu-name", "to_truong.ap"), chromedp.SendKeys("#nu-display", "Trần Văn Bình"),
		chromedp.SetValue("#nu-role", "editor"), chromedp.SendKeys("#nu-password", "mat-khau-du-dai"),
		chromedp.Click(`#nu-groups input[value="an-phu"]`),
		chromedp.Click(`form[data-api="/api/users"] button[type=submit]`))
	b.waitText("#flash", "Đã thêm người dùng Trần Văn Bình (to_truong.ap)")
	b.waitText("#user-to_truong\\.ap .u-groups", "Khu An Phú")

	b.do(chromedp.SendKeys("#tk-name", "Cổng thông tin phường"), chromedp.SetValue("#tk-role", "viewer"),
		chromedp.Click("#token-form button[type=submit]"), chromedp.WaitVisible("#tk-secret"))
	if secret := b.value("#tk-secret"); !strings.HasPrefix(secret, "loa_api_") {
		t.Errorf("the token shown: %q", secret)
	}
	b.waitText("#token-form .form-ok", "Đã tạo mã «Cổng thông tin phường»")
	b.waitText("#token-list", "Cổng thông tin phường")
	b.waitText("#token-list", "Người xem")
	b.shot("staff-users-tokens")
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(window.confirm = () => true, true)`)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click("#token-list button.danger"))
	b.waitText("#flash", "Đã thu hồi mã «Cổng thông tin phường»")
	b.do(chromedp.WaitVisible("#token-none"))
	b.checkConsole()
}

// TestStationVolumeConfiguredAndReported: the table shows the volume set
// on the server apart from the one the station reports, and changing it
// sends the station a set_volume command.
func TestStationVolumeConfiguredAndReported(t *testing.T) {
	ts, b := staffWard(t)
	admin := ts.signIn(t, "admin")
	var tok struct {
		Token string `json:"token"`
	}
	if resp := admin.json("POST", "/api/stations/ap-01/token", nil, &tok); resp.StatusCode != 200 {
		t.Fatalf("token: %s", resp.Status)
	}
	agent, _, err := dialAgent(t, ts, tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	readType(t, agent, protocol.TypeWelcome)
	frame, _ := protocol.Encode(protocol.TypeStatus, 2, &protocol.Status{PlaylistDays: 1, AudioDays: 1, Volume: 100, FreeDiskBytes: 1 << 30})
	if err := agent.WriteMessage(websocket.TextMessage, frame); err != nil {
		t.Fatal(err)
	}
	b.open("/stations", "#stations")
	b.waitText(`#station-ap-01 [data-live="reported_volume"]`, "100")
	if got := b.text(`#station-ap-01 [data-live="configured_volume"]`); got != "80" {
		t.Errorf("configured volume shows %q, want 80", got)
	}
	b.do(chromedp.Click(`#station-ap-01 button[data-open="station-dialog"]`), chromedp.WaitVisible("#sd-volume"))
	b.setValue("#sd-volume", "60")
	b.reloading(chromedp.Click(`#station-dialog button.primary`))
	cmd := readType(t, agent, protocol.TypeCommand).Body.(*protocol.Command)
	if cmd.Kind != protocol.CommandSetVolume || cmd.Volume != 60 {
		t.Errorf("the station got %+v, want set_volume 60", cmd)
	}
	b.waitText(`#station-ap-01 [data-live="configured_volume"]`, "60")
	b.shot("staff-stations-volume")
	b.checkConsole()
}

// TestStaticAssetsCachedAndCompressed: pages link their CSS and scripts
// by content-hashed names, kept a year and sent gzip-compressed; the
// plain names revalidate by ETag; /favicon.ico leads to the icon.
func TestStaticAssetsCachedAndCompressed(t *testing.T) {
	ts := newTestServer(t)
	c := ts.signIn(t, "admin")
	html := c.page(t, "/library")
	css := staticURL("app.css")
	if !strings.Contains(css, ".css") || css == "/static/app.css" || !strings.Contains(html, `href="`+css+`"`) {
		t.Fatalf("the page does not link %s", css)
	}
	for _, js := range []string{"app.js", "library.js"} {
		if !strings.Contains(html, `src="`+staticURL(js)+`"`) {
			t.Errorf("the page does not link %s by its hashed name", js)
		}
	}
	get := func(path string, h map[string]string) *http.Response {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	resp := get(css, map[string]string{"Accept-Encoding": "gzip, br"})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") ||
		resp.Header.Get("Vary") != "Accept-Encoding" || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("hashed CSS: %s %v", resp.Status, resp.Header)
	}
	if resp := get(css, nil); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip sent to a client that did not ask: %v", resp.Header)
	}
	plain := get("/static/app.css", nil)
	etag := plain.Header.Get("ETag")
	if plain.StatusCode != 200 || etag == "" || plain.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("plain CSS: %s %v", plain.Status, plain.Header)
	}
	if resp := get("/static/app.css", map[string]string{"If-None-Match": etag}); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %s", resp.Status)
	}
	if resp := get("/favicon.ico", nil); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != staticURL("favicon.svg") {
		t.Errorf("/favicon.ico: %s %v", resp.Status, resp.Header)
	}
	if resp := get(staticURL("favicon.svg"), nil); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon: %s %v", resp.Status, resp.Header)
	}
	if resp := get("/static/", nil); resp.StatusCode != 404 {
		t.Errorf("/static/ lists: %s", resp.Status)
	}
}

// TestPhoneLayout: at 390 px the header takes at most two rows, and the
// key columns of the station table and the overview's table are on the
// screen without scrolling sideways; a leader can approve from the phone.
func TestPhoneLayout(t *testing.T) {
	ts, b := staffWard(t)
	c := ts.signIn(t, "admin")
	if resp := c.upload("mp3/cbr128-stereo.mp3", map[string]string{"topic": "cchc-tthc", "title": "Thu phí"}, nil); resp.StatusCode != 201 {
		t.Fatalf("upload: %s", resp.Status)
	}
	if resp := c.json("POST", "/api/segments/1/submit", nil, nil); resp.StatusCode != 200 {
		t.Fatalf("submit: %s", resp.Status)
	}
	b.do(chromedp.EmulateViewport(phoneW, phoneH))
	box := func(sel string) (top, right, height float64) {
		t.Helper()
		js := `(function(){var r=document.querySelector(` + jsString(sel) + `).getBoundingClientRect(); return [r.top, r.right, r.height]})()`
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](js))
		if err != nil || len(v) != 3 {
			t.Fatalf("box of %s: %v %v", sel, v, err)
		}
		return v[0], v[1], v[2]
	}
	onScreen := func(sel string) {
		t.Helper()
		if _, right, _ := box(sel); right > phoneW {
			t.Errorf("%s ends at %.0f px, off a %d px screen", sel, right, phoneW)
		}
	}
	for _, page := range []string{"/stations", "/overview", "/library"} {
		b.do(chromedp.Navigate(b.base+page), chromedp.WaitVisible("main h1"))
		if _, _, h := box("header.top"); h > 100 {
			t.Errorf("%s: the header is %.0f px high, more than two rows", page, h)
		}
		if _, right, _ := box("header nav a[aria-current=page]"); right > phoneW {
			t.Errorf("%s: the current menu entry is off the screen", page)
		}
	}
	b.do(chromedp.Navigate(b.base+"/stations"), chromedp.WaitVisible("#stations"))
	onScreen("#station-ap-01 .st-name")
	onScreen("#station-ap-01 [data-live=online]")
	b.do(chromedp.Navigate(b.base+"/overview"), chromedp.WaitVisible("main h1"))
	if b.count("main .table-wrap table") > 0 {
		onScreen("main .table-wrap table tbody tr > :nth-child(2)")
	}
	b.do(chromedp.Navigate(b.base+"/library"), chromedp.WaitVisible("#seg-1"))
	b.do(chromedp.Click(`#seg-1 button[data-api$="/approve"]`), chromedp.WaitVisible("#rv-comment"))
	onScreen("#review-dialog button.primary")
	b.do(chromedp.Click(`#review-dialog button[value=cancel]`), chromedp.WaitNotVisible("#review-dialog"))
	b.do(chromedp.EmulateViewport(desktopW, desktopH))
	b.shot("staff-phone-stations")
	b.checkConsole()
}

// TestExceptionPicksSlotsByName: a cancelled slot is picked by its
// programme's name and time, not typed as an id.
func TestExceptionPicksSlotsByName(t *testing.T) {
	ts, b := staffWard(t)
	admin := ts.signIn(t, "admin")
	if resp := admin.json("PUT", "/api/programmes/sang", morning, nil); resp.StatusCode != 200 {
		t.Fatalf("programme: %s", resp.Status)
	}
	b.open("/schedule", "#exception-form")
	b.waitText("#ex-slots", "Bản tin buổi sáng, 06:00–06:15")
	b.do(chromedp.SetValue("#ex-programme", "sang"), chromedp.SendKeys("#ex-date", "02/09/2027"),
		chromedp.SetAttributeValue(`#ex-slots option[value="sang"]`, "selected", "selected"))
	b.reloading(chromedp.Click("#exception-form button[type=submit]"))
	b.waitText("#flash", "Đã thêm ngày nghỉ 02/09/2027 vào chương trình «Bản tin buổi sáng»")
	p, err := ts.app.Playlists.Programme("sang")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Exceptions) != 1 || strings.Join(p.Exceptions[0].Slots, ",") != "sang" {
		t.Errorf("exceptions %+v", p.Exceptions)
	}
	b.checkConsole()
}
