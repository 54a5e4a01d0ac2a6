package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Issue 17 item 11, as the person did it on a computer with no
// microphone: the form is checked before the microphone is asked for,
// and the missing microphone is said plainly, without the advice about
// permissions that would not help.
func TestLiveFormAndMissingMicrophoneInBrowser(t *testing.T) {
	rig := newLiveRig(t, "tdp-01")
	b := newBrowser(t, rig.ts.URL) // headless, no microphone at all
	b.signIn("admin", testPassword)
	b.open("/onair", "#oa-form")
	// Count the page's requests for the microphone.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(function(){
		window.micAsked = 0;
		var md = navigator.mediaDevices, gum = md.getUserMedia.bind(md);
		md.getUserMedia = function (c) { window.micAsked++; return gum(c); };
		return true})()`)); err != nil {
		t.Fatal(err)
	}

	// Nothing filled in: the reasons, and the microphone left alone.
	b.do(chromedp.Click("#oa-start"))
	b.waitText("#oa-title-error", "Hãy nhập tiêu đề")
	b.waitText("#oa-topic-error", "Hãy chọn chủ đề")
	b.waitText("#oa-targets-error", "Hãy chọn nơi phát")
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`window.micAsked`)); n != 0 {
		t.Errorf("the microphone was asked for %d times with the form incomplete", n)
	}
	b.shot("onair-missing")

	// Filled in: the microphone is asked for, and there is none.
	b.do(chromedp.SendKeys("#oa-title", "Họp khẩn tổ dân phố"), chromedp.Click(`input[name=stations][value="tdp-01"]`))
	b.setValue("#oa-topic", "khac")
	b.do(chromedp.Click("#oa-start"))
	b.waitText("#oa-status", "Máy này không có micrô")
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`window.micAsked`)); n != 1 {
		t.Errorf("the microphone was asked for %d times, want 1", n)
	}
	if got := b.text("#oa-status"); strings.Contains(got, "cho phép") || strings.Contains(got, "NotFoundError") {
		t.Errorf("the missing microphone is worded as a permission problem or a code: %q", got)
	}
	b.shot("onair-no-mic")

	// A person who clicked Block gets the permission advice instead (the
	// browser's answer then, as Chromium gives it).
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(function(){
		navigator.mediaDevices.getUserMedia = function () { return Promise.reject(new DOMException('Permission denied', 'NotAllowedError')); };
		return true})()`)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click("#oa-start"))
	b.waitText("#oa-status", "chưa cho trang này dùng micrô")
	b.checkConsole()
}
