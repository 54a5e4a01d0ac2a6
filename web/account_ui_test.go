package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAccountPageEndsSessionsAndChangesThePassword: from the name in the
// header a person reaches their account, sees where they are signed in
// (this browser marked), ends another session, and changes their password
// (a wrong current one is named at its field); their other sessions end,
// this one stays, and the new password signs in.
func TestAccountPageEndsSessionsAndChangesThePassword(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	b := newBrowser(t, ts.URL)
	b.signIn("bientap", testPassword)
	phone := ts.signIn(t, "bientap")
	laptop := ts.signIn(t, "bientap")

	b.do(chromedp.Click(`header a.who`), chromedp.WaitVisible("#session-list"))
	b.waitText("h1", "Tài khoản của tôi")
	if n := b.count("#session-list tbody tr"); n != 3 {
		t.Fatalf("%d sessions listed, want 3", n)
	}
	b.waitText("#session-list", "Phiên này")
	b.waitText("#session-list", "127.0.0.1")
	if n := b.count("#session-list button[data-call]"); n != 2 {
		t.Fatalf("%d sessions can be ended, want the 2 others", n)
	}
	b.reloading(chromedp.Click("#session-list button[data-call]"))
	b.waitText("#flash", "Đã kết thúc phiên đăng nhập")
	if n := b.count("#session-list tbody tr"); n != 2 {
		t.Fatalf("after ending one, %d sessions listed", n)
	}
	if signedIn(phone) == signedIn(laptop) {
		t.Fatalf("ending one session: phone %v, laptop %v (want one of them out)", signedIn(phone), signedIn(laptop))
	}

	b.do(chromedp.SendKeys("#ac-current", "doan-bua-thoi"), chromedp.SendKeys("#ac-password", "mat-khau-moi-2026"),
		chromedp.Click("#password-form button[type=submit]"))
	b.waitText("#ac-current-error", "Mật khẩu hiện tại không đúng")
	b.setValue("#ac-current", "")
	b.reloading(chromedp.SendKeys("#ac-current", testPassword), chromedp.Click("#password-form button[type=submit]"))
	b.waitText("#flash", "Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc")
	if n := b.count("#session-list tbody tr"); n != 1 {
		t.Errorf("after the change, %d sessions listed, want this one", n)
	}
	if signedIn(phone) || signedIn(laptop) {
		t.Error("a session of another device survived the password change")
	}
	c := ts.client(t)
	if resp := c.json("POST", "/api/login", map[string]string{"name": "bientap", "password": "mat-khau-moi-2026"}, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("sign-in with the new password: %s", resp.Status)
	}
	b.shot("account")

	b.open("/lang/en?next=/account", "#session-list")
	b.waitText("h1", "My account")
	if got := b.text("#password-form"); !strings.Contains(got, "Current password") {
		t.Errorf("the form in English: %q", got)
	}
	b.checkConsole()
}

// TestUsersPageEndsAPersonsSessions: the users page counts each person's
// live sessions, and an admin ends all of someone's at once (never their
// own from there).
func TestUsersPageEndsAPersonsSessions(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	editor := ts.signIn(t, "bientap")
	b := newBrowser(t, ts.URL)
	b.signIn("admin", testPassword)
	b.open("/users", "#user-bientap")
	b.waitText("#user-bientap .u-sessions", "1 phiên")
	if n := b.count("#user-admin .u-sessions button"); n != 0 {
		t.Error("the admin is offered to end their own sessions from the users page")
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(window.confirm = () => true, true)`)); err != nil {
		t.Fatal(err)
	}
	b.reloading(chromedp.Click("#user-bientap .u-sessions button"))
	b.waitText("#flash", "Đã kết thúc mọi phiên đăng nhập của bientap")
	b.waitText("#user-bientap .u-sessions", "0 phiên")
	if signedIn(editor) {
		t.Error("the editor's session survived")
	}
	b.checkConsole()
}
