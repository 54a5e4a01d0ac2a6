package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestApprovalRuleSetOnTheUsersPage: the users page says what the
// self-approval rule means now (a ward with one approver: allowed), an
// admin sets it to never, and the page, the API and the audit log say so;
// the section reads in English too.
func TestApprovalRuleSetOnTheUsersPage(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	b.signIn("admin", testPassword)
	b.open("/users", "#approval-form")
	b.waitText("#appr-now", "Hiện nay: người duyệt được duyệt bản tin của chính mình.")
	b.waitText("#appr-now", "Phường có 1 người có quyền duyệt.")
	if !b.checked("#appr-auto") {
		t.Error("the rule never set is not shown as automatic")
	}
	b.reloading(chromedp.Click("#appr-forbidden"), chromedp.Click("#approval-form button[type=submit]"))
	b.waitText("#flash", "Đã lưu quy định tự duyệt")
	b.waitText("#appr-now", "Hiện nay: không ai được duyệt bản tin của chính mình.")
	if !b.checked("#appr-forbidden") {
		t.Error("after saving, the page does not show the rule chosen")
	}
	b.shot("users-approval-rule")

	admin := ts.signIn(t, "admin")
	var got approvalSettings
	if resp := admin.json("GET", "/api/settings/approval", nil, &got); resp.StatusCode != 200 || got.SelfApproval != "forbidden" || !got.Forbidden {
		t.Errorf("the API after saving on the page: %s %+v", resp.Status, got)
	}
	if page := admin.page(t, "/audit"); !strings.Contains(page, "Đổi quy định duyệt bản tin") {
		t.Error("the audit log does not show the change")
	}

	b.open("/lang/en?next=/users", "#approval-form")
	b.waitText("#appr-h", "Approving one's own items")
	b.waitText("#appr-now", "Now: nobody may approve their own items.")
	b.waitText("#approval-form", "Never allowed")
	b.checkConsole()
}
