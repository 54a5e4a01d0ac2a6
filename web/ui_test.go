package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gorilla/websocket"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/internal/ward"
)

// The pages are tested in a real headless Chromium driven over the
// DevTools protocol. Any console error, uncaught exception or failed
// resource (other than the 4xx answers of forms a test gets wrong on
// purpose) fails the test. Every page is saved as a screenshot at a
// desktop and a phone width into $LOA_SCREENSHOTS (default: a temporary
// directory).

// chromiumPath finds the browser, or skips: .ci/test.sh installs it.
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (bash .ci/test.sh installs it)")
	return ""
}

// browser is one headless Chromium tab on a test server.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string

	mu       sync.Mutex
	problems []string
}

const (
	desktopW, desktopH = 1280, 900
	phoneW, phoneH     = 390, 844
)

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(desktopW, desktopH),
	}
	root, cancelRoot := context.WithTimeout(context.Background(), 4*time.Minute)
	alloc, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelRoot() })

	shots := os.Getenv("LOA_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, ctx: ctx, base: base, shots: shots}
	if err := chromedp.Do(ctx); err != nil { // start the browser and its tab
		t.Fatalf("start chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.console(m)
		}
	}()
	return b
}

// console keeps every message that means something is broken. Forms that
// a test fills wrongly on purpose answer 4xx (never 404), which the
// browser logs as a failed resource; those are expected.
func (b *browser) console(m chromedp.ConsoleMessage) {
	bad := m.IsException() || m.Type == chromedp.ConsoleError
	if bad && m.Source == "network" && strings.Contains(m.Text, "status of 4") && !strings.Contains(m.Text, "status of 404") {
		bad = false
	}
	if bad {
		b.mu.Lock()
		b.problems = append(b.problems, m.String()+" at "+m.URL)
		b.mu.Unlock()
	}
}

// checkConsole fails the test on any problem the page reported so far.
func (b *browser) checkConsole() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser console: %s", p)
	}
	b.problems = nil
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.failed()
		b.t.Fatalf("browser: %v", err)
	}
}

// failed saves what the page looked like when a step failed.
func (b *browser) failed() {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		name := strings.NewReplacer("/", "-", " ", "_").Replace(b.t.Name())
		os.WriteFile(filepath.Join(b.shots, "failed-"+name+".png"), png, 0o644)
	}
}

func (b *browser) open(path string, waitFor string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitVisible(waitFor))
}

// reloading runs steps that end in a page load (a form whose answer
// reloads the page) and waits until the new page has fully loaded, so the
// next step never acts on the old page.
func (b *browser) reloading(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.loaOldPage = true`)); err != nil {
		b.t.Fatalf("mark the page: %v", err)
	}
	b.do(steps...)
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		fresh, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.loaOldPage !== true && document.readyState === "complete"`))
		cancel()
		if err == nil && fresh {
			return
		}
		if time.Now().After(deadline) {
			b.failed()
			b.t.Fatalf("the page did not reload (err %v)", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// setValue sets a field's value as typing would leave it (chromedp's
// SetValue cannot set an empty string).
func (b *browser) setValue(sel, v string) {
	b.t.Helper()
	js := `(function(){var el=document.querySelector(` + jsString(sel) + `); el.value=` + jsString(v) + `; return true})()`
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js)); err != nil {
		b.t.Fatalf("set %s: %v", sel, err)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browser) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(sel))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`)||{}).textContent||""`))
		cancel()
		if err == nil && strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.failed()
			b.t.Fatalf("%s: text %q does not contain %q (err %v)", sel, got, want, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shot saves the page at a desktop and a phone width.
func (b *browser) shot(name string) {
	b.t.Helper()
	for _, size := range []struct {
		suffix string
		w, h   int64
	}{{"desktop", desktopW, desktopH}, {"phone", phoneW, phoneH}} {
		ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
		err := chromedp.Do(ctx, chromedp.WaitReady("main"), chromedp.EmulateViewport(size.w, size.h))
		var png []byte
		for try := 0; err == nil && try < 3; try++ {
			// A page that is still laying out has no size yet; try again.
			if png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil && strings.Contains(err.Error(), "0 width") {
				time.Sleep(200 * time.Millisecond)
				err = nil
			} else {
				break
			}
		}
		cancel()
		if err != nil {
			b.t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(b.shots, name+"-"+size.suffix+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do(chromedp.EmulateViewport(desktopW, desktopH))
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "$", `\$`)
	return "`" + r.Replace(s) + "`"
}

func testFile(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join("..", "testdata", "audio", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// signInBrowser signs in through the form that an anonymous visit to a
// page shows in its place.
func (b *browser) signIn(name, password string) {
	b.t.Helper()
	b.open("/overview", "#login-name")
	b.do(chromedp.SendKeys("#login-name", name), chromedp.SendKeys("#login-password", password),
		chromedp.Click(`form button[type=submit]`), chromedp.WaitVisible(`nav a[aria-current=page][href="/overview"]`))
}

func TestPagesInBrowser(t *testing.T) {
	ss := newScheduleServer(t)
	ts := ss.testServer
	led := ts.app.Ledger
	top := t
	b := newBrowser(t, ts.URL)
	// The steps build on each other: after a failure the rest would only
	// time out one by one, so they are not run.
	run := func(name string, step func(t *testing.T)) {
		if !top.Failed() {
			top.Run(name, step)
		}
	}

	run("sign in", func(t *testing.T) {
		b.t = t
		b.open("/library", "#login-name")
		b.shot("login")
		b.do(chromedp.SendKeys("#login-name", "admin"), chromedp.SendKeys("#login-password", "sai-mat-khau"),
			chromedp.Click(`form button[type=submit]`))
		b.waitText(".form-error", "Sai tên đăng nhập hoặc mật khẩu")
		if got := b.value("#login-name"); got != "admin" {
			t.Errorf("the name typed was lost: %q", got)
		}
		// By keyboard: Enter in the password field signs in.
		b.setValue("#login-password", "")
		b.do(chromedp.Focus("#login-password"), chromedp.SendKeys("#login-password", testPassword+kb.Enter),
			chromedp.WaitVisible(`nav a[aria-current=page][href="/library"]`))
		b.checkConsole()
	})

	run("overview", func(t *testing.T) {
		b.t = t
		b.open("/", `nav a[aria-current=page][href="/overview"]`)
		if h := b.text("h1"); h != "Tổng quan" {
			t.Errorf("heading %q", h)
		}
		b.shot("overview")
		b.checkConsole()
	})

	run("upload with progress and analysis", func(t *testing.T) {
		b.t = t
		b.open("/library", "#upload-files")
		// No topic chosen: said next to the field before the file is sent.
		b.do(chromedp.SetUploadFiles("#upload-files", []string{testFile(t, "mp3/cbr128-stereo.mp3")}))
		b.waitText("#up-topic-error", "Trường này là bắt buộc")

		b.do(chromedp.SetValue("#up-topic", "cchc-tthc"), chromedp.SendKeys("#up-valid-to", "31/12/2026"),
			chromedp.SetUploadFiles("#upload-files", []string{testFile(t, "mp3/too-quiet.mp3"), testFile(t, "mp3/cbr128-stereo.mp3")}))
		b.do(chromedp.WaitVisible("#uploads li.done ~ li.done"))
		if n := b.count(`#uploads li.done[data-progress="100"]`); n != 2 {
			t.Errorf("%d files reported upload progress to 100%%, want 2", n)
		}
		b.waitText("#uploads li:nth-child(1)", "Đã tải lên: bản tin số 1")
		b.waitText("#uploads li:nth-child(1)", "Tiếng nhỏ hơn mức chuẩn")
		b.waitText("#uploads li:nth-child(2)", "0:00:")
		b.shot("library-upload")

		b.do(chromedp.WaitVisible("#seg-2")) // the list refreshed in place
		if got := b.text("#seg-1 .badge"); got != "Bản nháp" {
			t.Errorf("a new item is %q, want Bản nháp", got)
		}
		if b.count(`#seg-1 audio[src="/api/segments/1/audio"]`) != 1 {
			t.Error("no player for the item")
		}
		b.checkConsole()
	})

	run("text to speech form keeps the text on an error", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Click("#tts summary"), chromedp.WaitVisible("#tts-text"),
			chromedp.SendKeys("#tts-title", "Lịch tiếp công dân"), chromedp.SetValue("#tts-topic", "cchc-tthc"),
			chromedp.Click("#tts-form button[type=submit]"))
		b.waitText("#tts-text-error", " ") // no text: refused at the text field before the engine runs
		if got := b.value("#tts-title"); got != "Lịch tiếp công dân" {
			t.Errorf("title after the error: %q", got)
		}
		b.checkConsole()
	})

	run("edit keeps what was typed on an error", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Click(`#seg-2 button[data-open="edit-dialog"]`), chromedp.WaitVisible("#ed-title"))
		b.do(chromedp.SetValue("#ed-valid-from", "10/12/2026"), chromedp.SetValue("#ed-valid-to", "01/12/2026"),
			chromedp.Click(`#edit-dialog button.primary`))
		b.waitText("#ed-valid-to-error", "Ngày kết thúc phải sau ngày bắt đầu")
		if got := b.value("#ed-valid-from"); got != "10/12/2026" {
			t.Errorf("valid_from after the error: %q", got)
		}
		b.shot("library-edit-error")
		b.reloading(chromedp.SetValue("#ed-valid-to", "20/12/2026"), chromedp.Click(`#edit-dialog button.primary`))
		b.waitText("#seg-2 dl", "10/12/2026 – 20/12/2026")
		b.checkConsole()
	})

	run("submit, reject needs a comment, approve", func(t *testing.T) {
		b.t = t
		b.reloading(chromedp.Click(`#seg-1 button[data-call="POST /api/segments/1/submit"]`))
		b.waitText("#seg-1 .badge", "Chờ duyệt")
		b.do(chromedp.Click(`#seg-1 button[data-api$="/reject"]`), chromedp.WaitVisible("#rv-comment"),
			chromedp.Click(`#review-dialog button.primary`))
		b.waitText("#rv-comment-error", "Trường này là bắt buộc")
		b.do(chromedp.Click(`#review-dialog button[value=cancel]`), chromedp.WaitNotVisible("#review-dialog"))

		b.do(chromedp.Click(`#seg-1 button[data-api$="/approve"]`), chromedp.WaitVisible("#rv-comment"))
		b.reloading(chromedp.SendKeys("#rv-comment", "Đồng ý phát"), chromedp.Click(`#review-dialog button.primary`))
		b.waitText("#seg-1 .badge", "Đã duyệt")
		b.waitText("#seg-1 details", "Đồng ý phát")
		b.shot("library")
		b.checkConsole()
	})

	run("make a slot and see the station's timeline", func(t *testing.T) {
		b.t = t
		b.open("/schedule", "#slot-form")
		b.do(chromedp.SendKeys("#sl-name", "Bản tin buổi sáng"), // a new programme, by its name
			chromedp.SendKeys("#sl-id", "sang"), chromedp.SendKeys("#sl-start", "06:00"), chromedp.SendKeys("#sl-minutes", "15"),
			chromedp.Click(`#slot-form button[type=submit]`))
		b.waitText("#sl-days-error", "Trường này là bắt buộc") // no day ticked
		if got := b.value("#sl-start"); got != "06:00" {
			t.Errorf("start after the error: %q", got)
		}
		b.reloading(chromedp.Click(`#sl-days input[value="1"]`), chromedp.Click(`#sl-days input[value="4"]`),
			chromedp.Click(`#slot-form button[type=submit]`))
		b.waitText("#prog-ban-tin-buoi-sang .weekday:nth-child(1)", "06:00–06:15") // the programme's id made from its name
		b.waitText("#prog-ban-tin-buoi-sang .weekday:nth-child(4)", "06:00–06:15")
		if n := b.count("#prog-ban-tin-buoi-sang .slot"); n != 2 {
			t.Errorf("the week shows the slot %d times, want Monday and Thursday", n)
		}

		// The planner's change job rebuilds; then the station's next day
		// with the slot (a Monday or Thursday after today, so 1 to 4 days
		// ahead, inside the 7 built, at any hour and on any weekday) shows
		// the approved item at 06:00 with its reason.
		now := ts.web.now()
		if _, err := ss.planner.RebuildPending(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		day := ward.DayOf(now, ts.web.fmt.loc).AddDays(1)
		for day.Weekday() != time.Monday && day.Weekday() != time.Thursday {
			day = day.AddDays(1)
		}
		y, m, d := day.Date()
		b.open(fmt.Sprintf("/schedule?station=to-01&date=%02d/%02d/%d", d, m, y), "#station-day")
		b.waitText("#day-items", "06:00:00")
		b.waitText("#day-items", "too-quiet")
		b.waitText("#day-items", "Luân phiên")
		b.waitText("#day-items", "Bản tin buổi sáng, 06:00–06:15") // names, not "sang / sang"
		b.waitText("#station-day", "Giờ Việt Nam (UTC+7)")
		b.shot("schedule")
		b.checkConsole()
	})

	var agent *websocket.Conn
	run("a station turns online when its agent connects", func(t *testing.T) {
		b.t = t
		b.open("/stations", "#station-add")
		b.reloading(chromedp.SendKeys("#gr-id", "an-phu"), chromedp.SendKeys("#gr-name", "Khu An Phú (xã cũ)"),
			chromedp.Click("#group-form button[type=submit]"))
		b.waitText("#groups", "Khu An Phú (xã cũ)")
		b.do(chromedp.SendKeys("#sa-id", "tdp-05"), chromedp.SendKeys("#sa-name", "Tổ dân phố 5"), chromedp.Click(`#sa-groups input[value="an-phu"]`),
			chromedp.SendKeys("#sa-zone", "Asia/Nowhere"), chromedp.Click("#station-add button[type=submit]"))
		b.waitText("#sa-zone-error", " ") // an unknown zone is refused at its field
		b.setValue("#sa-zone", "")
		b.do(chromedp.Click("#station-add button[type=submit]"), chromedp.WaitVisible("#td-config"))
		config := b.value("#td-config")
		token := ""
		for _, line := range strings.Split(config, "\n") { // the README's steps: the token alone in its file
			if _, v, ok := strings.Cut(line, `printf %s "`); ok && strings.HasSuffix(line, `" > /etc/loa-agent/token'`) {
				token, _, _ = strings.Cut(v, `"`)
			}
		}
		if token == "" || !strings.Contains(config, `LOA_AGENT_SERVER=%s\nLOA_AGENT_OUTPUT=speaker\n" "`+ts.URL) {
			t.Fatalf("agent configuration:\n%s", config)
		}
		b.shot("stations-token")
		b.reloading(chromedp.Click("#td-close"))
		b.waitText("#station-tdp-05 [data-live=online]", "Mất kết nối")
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.samePage = true`)); err != nil {
			t.Fatal(err)
		}

		ws, _, err := dialAgent(top, ts, token) // the agent stays for the next steps
		if err != nil {
			t.Fatal(err)
		}
		agent = ws
		readType(t, agent, protocol.TypeWelcome)
		b.waitText("#station-tdp-05 [data-live=online]", "Trực tuyến")
		if same, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.samePage === true`)); !same {
			t.Error("the page reloaded instead of updating live")
		}
		b.shot("stations")
		b.checkConsole()
	})

	run("send an emergency and watch it reach the agent", func(t *testing.T) {
		b.t = t
		if agent == nil {
			t.Skip("no agent")
		}
		b.open("/emergency", "#em-form")
		b.do(chromedp.Click("#em-form button[type=submit]"))
		b.waitText("#em-item-error", "Hãy chọn") // no item, no targets: said before any confirmation
		b.do(chromedp.SetValue("#em-item", "1"), chromedp.Click(`#em-targets input[value="tdp-05"]`),
			chromedp.Click("#em-form button[type=submit]"), chromedp.WaitVisible("#emc-go"))
		b.waitText("#emc-targets", "Tổ dân phố 5")
		b.do(chromedp.Click("#emc-go"), chromedp.WaitVisible("#em-progress"))

		cmd := readType(t, agent, protocol.TypeCommand).Body.(*protocol.Command)
		if cmd.Kind != protocol.CommandEmergencyPlay || cmd.Item == nil || cmd.Item.SegmentID != "1" {
			t.Fatalf("the agent got %+v", cmd)
		}
		b.waitText(`#emp-rows tr[data-station="tdp-05"]`, "Đã gửi")
		for i, st := range []struct{ state, text string }{
			{protocol.StateDelivered, "Trạm đã nhận"}, {protocol.StatePlaying, "Đang phát"}, {protocol.StateDone, "Đã phát xong"},
		} {
			frame, _ := protocol.Encode(protocol.TypeCommandAck, uint64(2+i), &protocol.CommandAck{ID: cmd.ID, State: st.state})
			if err := agent.WriteMessage(websocket.TextMessage, frame); err != nil {
				t.Fatal(err)
			}
			b.waitText(`#emp-rows tr[data-station="tdp-05"]`, st.text)
			if st.state == protocol.StatePlaying {
				b.shot("emergency")
			}
		}
		b.do(chromedp.Click("#em-stop"))
		if stop := readType(t, agent, protocol.TypeCommand).Body.(*protocol.Command); stop.Kind != protocol.CommandEmergencyStop {
			t.Errorf("stop sent %+v", stop)
		}
		b.waitText("#em-stop-ok", "Đã gửi lệnh dừng")
		b.checkConsole()
	})

	run("overview with live stations and alerts", func(t *testing.T) {
		b.t = t
		admin := ts.signIn(t, "admin")
		if resp := admin.json("POST", "/api/stations", map[string]any{"id": "tdp-06", "name": "Tổ dân phố 6"}, nil); resp.StatusCode != 201 {
			t.Fatalf("create a second station: %s", resp.Status)
		}
		b.open("/overview", "#alerts")
		b.waitText("[data-live-count=online]", "1")
		b.waitText("[data-live-count=offline]", "1")
		b.waitText("#alerts", "Trạm Tổ dân phố 6 chưa từng kết nối")
		switch ward.DayOf(ts.web.now(), ts.web.fmt.loc).Weekday() { // the slot airs on Mondays and Thursdays
		case time.Monday, time.Thursday:
			b.waitText("main", "06:00–06:15")
		default:
			b.waitText("main", "Hôm nay không có khung giờ phát nào.")
		}
		b.shot("overview-live")
		b.checkConsole()
	})

	run("download a report", func(t *testing.T) {
		b.t = t
		at := time.Now().Add(-time.Hour)
		aired := ledger.Event{StationID: "tdp-05", ID: "ev-ui-1", ItemID: "it-1", SegmentID: "1", Title: "too-quiet",
			Topic: "cchc-tthc", Level: "ordinary", Duration: 8 * time.Second, Planned: at, Started: at,
			Ended: at.Add(8 * time.Second), Played: 8 * time.Second, Outcome: "completed"}
		relay := aired
		relay.ID, relay.ItemID, relay.SegmentID, relay.Title, relay.Kind = "ev-ui-2", "it-2", "", "Tiếp sóng VOV1", "relay"
		relay.Planned, relay.Started, relay.Ended = at.Add(time.Minute), at.Add(time.Minute), at.Add(time.Minute+8*time.Second)
		if _, err := led.Record([]ledger.Event{aired, relay}); err != nil {
			t.Fatal(err)
		}
		// The quarter the events aired in (an hour ago may be last quarter).
		airedOn := ward.DayOf(at, ts.web.fmt.loc)
		y, _, _ := airedOn.Date()
		b.open(fmt.Sprintf("/reports?period=%d-Q%d", y, airedOn.Quarter()), "#downloads")
		b.waitText("#rep-items", "too-quiet")
		b.waitText("#rep-topics", "Thủ tục hành chính")
		b.waitText("#rep-kinds", "Tiếp sóng")
		if got := b.text("#rep-kinds tbody tr:nth-child(2)"); !strings.Contains(got, "0:00:08") {
			t.Errorf("the relay's row in the kinds table: %q", got)
		}
		b.shot("reports")
		for _, f := range []struct{ format, disposition, magic string }{
			{"xlsx", ".xlsx", "504b03"}, {"csv", ".csv", "efbbbf"}, // a zip; UTF-8 with a BOM for Excel
		} {
			js := `(async () => {
				const a = document.querySelector('#downloads a[href*="format=` + f.format + `"]');
				const r = await fetch(a.href);
				const head = new Uint8Array(await r.arrayBuffer()).slice(0, 3);
				return r.status + " " + (r.headers.get("content-disposition") || "") + " " +
					Array.from(head, x => x.toString(16).padStart(2, "0")).join("");
			})()`
			got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got, "200 attachment") || !strings.Contains(got, f.disposition) || !strings.HasSuffix(got, f.magic) {
				t.Errorf("%s download: %q", f.format, got)
			}
		}
		b.open("/reports?period=2026-Q9", "#r-period-error")
		b.waitText("#r-period-error", "Kỳ báo cáo không hợp lệ")
		b.checkConsole()
	})

	run("users", func(t *testing.T) {
		b.t = t
		b.open("/users", "#nu-name")
		b.do(chromedp.SendKeys("#nu-name", "bientap"), chromedp.SendKeys("#nu-display", "Nguyễn Thị Hoà"),
			chromedp.SetValue("#nu-role", "editor"), chromedp.SendKeys("#nu-password", "ngan"),
			chromedp.Click(`form[data-api="/api/users"] button[type=submit]`))
		b.waitText("#nu-password-error", "ít nhất 8 ký tự")
		if got := b.value("#nu-display"); got != "Nguyễn Thị Hoà" {
			t.Errorf("the name typed was lost: %q", got)
		}
		b.reloading(chromedp.SendKeys("#nu-password", "-dai-hon-nua"), chromedp.Click(`form[data-api="/api/users"] button[type=submit]`))
		b.waitText("#user-bientap", "Biên tập viên")
		b.shot("users")
		b.checkConsole()
	})

	run("audit log", func(t *testing.T) {
		b.t = t
		b.open("/audit", "table")
		b.waitText("table", "Duyệt bản tin")
		b.waitText("table", "Tạo tài khoản")
		b.shot("audit")
		b.checkConsole()
	})

	run("English", func(t *testing.T) {
		b.t = t
		b.open("/library", "a.lang")
		b.do(chromedp.Click("a.lang"), chromedp.WaitVisible(`nav a[aria-current=page][href="/library"]`))
		b.waitText(`nav a[href="/library"]`, "Library")
		b.waitText("#seg-1 .badge", "Approved")
		b.do(chromedp.Click("a.lang"), chromedp.WaitVisible(`nav a[aria-current=page][href="/library"]`))
		b.waitText(`nav a[href="/library"]`, "Thư viện")
		b.checkConsole()
	})

	run("a viewer sees no editing", func(t *testing.T) {
		b.t = t
		ts.addUser(t, "xem", RoleViewer)
		b.do(chromedp.Click("#logout"), chromedp.WaitVisible("#login-name"))
		b.signIn("xem", testPassword)
		menu := b.text("header nav")
		for _, hidden := range []string{"Người dùng", "Nhật ký", "Phát khẩn cấp"} {
			if strings.Contains(menu, hidden) {
				t.Errorf("a viewer's menu offers %q", hidden)
			}
		}
		b.open("/library", "#seg-1")
		if n := b.count("#upload-files, #items button"); n != 0 {
			t.Errorf("a viewer sees %d editing controls", n)
		}
		b.open("/users", "main h1")
		if h := b.text("main h1"); !slices.Contains([]string{"Bạn không có quyền xem trang này."}, h) {
			t.Errorf("a viewer on /users sees %q", h)
		}
		b.checkConsole()
	})
}
