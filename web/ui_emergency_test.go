package web

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"loa/broadcast/protocol"
)

// ackState acks a command in one state, as the agent does (its message
// number seq, after ackDelivered's 2), and waits until the hub has it.
func ackState(t *testing.T, ts *testServer, agent *websocket.Conn, seq uint64, id, state string) {
	t.Helper()
	frame, _ := protocol.Encode(protocol.TypeCommandAck, seq, &protocol.CommandAck{ID: id, State: state})
	if err := agent.WriteMessage(websocket.TextMessage, frame); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		for _, c := range ts.web.link.Hub.Commands("tdp-01") {
			if c.ID == id && c.State == state {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the hub did not take the %s ack", state)
		}
	}
}

// Issue 17 item 7, as the person did it: the emergency form with nothing
// chosen says what is missing and opens no confirmation; the confirmation
// has the focus on Cancel; the station's state goes through to aired; the
// progress is still there after leaving the page, in the list of recent
// emergencies; the leader on duty (an approver) may send one, and when
// the administrator takes that away the page and the API refuse them.
func TestEmergencyFlowInBrowser(t *testing.T) {
	ts, admin, agent, seg := newEmergencyRig(t)
	ts.addUser(t, "lanh-dao", RoleApprover)
	ts.addUser(t, "bien-tap", RoleEditor)
	b := newBrowser(t, ts.URL)
	b.signIn("admin", testPassword)
	b.open("/emergency", "#em-form")

	// Nothing chosen: the reasons, and no confirmation.
	b.do(chromedp.Click("#em-form button[type=submit]"))
	b.waitText("#em-item-error", "Hãy chọn bản tin")
	b.waitText("#em-targets-error", "Hãy chọn nơi phát")
	if open, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById('em-confirm').open`)); open {
		t.Error("the confirmation opened with nothing chosen")
	}
	if id, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "em-item" {
		t.Errorf("the focus is on %q, want the item's field", id)
	}
	b.shot("emergency-missing")

	// Chosen: the confirmation names them, and Cancel has the focus.
	b.do(chromedp.SetValue("#em-item", strconv.FormatUint(seg, 10)), chromedp.Click(`#em-targets input[value="tdp-01"]`),
		chromedp.Click("#em-form button[type=submit]"), chromedp.WaitVisible("#emc-go"))
	b.waitText("#emc-item", "Bão số 9")
	b.waitText("#emc-targets", "Tổ dân phố tdp-01")
	if id, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "emc-cancel" {
		t.Errorf("the confirmation's focus is on %q, want emc-cancel", id)
	}
	b.shot("emergency-confirm")
	b.do(chromedp.Click("#emc-go"), chromedp.WaitVisible("#em-progress"))

	// Through to aired, as the station reports it.
	cmd := ackDelivered(t, ts, agent)
	row := `#emp-rows tr[data-station="tdp-01"]`
	b.waitText(row+" .state", "Trạm đã nhận")
	ackState(t, ts, agent, 3, cmd.ID, protocol.StatePlaying)
	b.waitText(row+" .state", "Đang phát")
	ackState(t, ts, agent, 4, cmd.ID, protocol.StateDone)
	b.waitText(row+" .state", "Đã phát xong")

	// Leave and come back: the progress and the list are there.
	b.open("/overview", "main")
	b.open("/emergency", "#em-recent")
	b.waitText("#em-progress "+row+" .state", "Đã phát xong")
	b.waitText("#emp-summary", "Bão số 9")
	b.waitText("#emp-summary", "Quản trị viên")
	b.waitText("#emp-finished", "Đã kết thúc")
	b.waitText(`#em-recent tr[data-command="`+cmd.ID+`"]`, "Đã phát xong: 1")
	b.shot("emergency-recent")

	// The leader on duty may, by default; an editor may not.
	leader := ts.signIn(t, "lanh-dao")
	if resp := leader.json("POST", "/api/commands", map[string]any{"kind": "emergency_stop", "stations": []string{"tdp-01"}}, nil); resp.StatusCode != http.StatusAccepted {
		t.Errorf("the approver's emergency stop: %s, want 202", resp.Status)
	}
	if resp := leader.json("POST", "/api/commands", map[string]any{"kind": "set_volume", "volume": 50, "stations": []string{"tdp-01"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the approver's set_volume: %s, want 403", resp.Status)
	}
	if resp := ts.signIn(t, "bien-tap").json("GET", "/emergency", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the editor's emergency page: %s, want 403", resp.Status)
	}

	// The administrator takes it away from approvers, on the page.
	b.do(chromedp.Click(`#em-who input[value="approver"]`), chromedp.Click("#em-who button[type=submit]"))
	b.waitText("#em-who-ok", "Quản trị viên được phát khẩn cấp")
	b.shot("emergency-who")
	if resp := leader.json("POST", "/api/commands", map[string]any{"kind": "emergency_stop", "stations": []string{"tdp-01"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("after the change, the approver's emergency stop: %s, want 403", resp.Status)
	}
	if resp := leader.json("GET", "/emergency", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("after the change, the approver's page: %s, want 403", resp.Status)
	}
	var log []AuditEntry
	admin.json("GET", "/api/audit?action=settings.emergency", nil, &log)
	if len(log) != 1 || log[0].User != "admin" {
		t.Errorf("the change is not audited once by admin: %+v", log)
	}
	b.checkConsole()
}

// The leader on duty sends an emergency from a phone: the menu offers the
// page and the confirmation works at 390 px.
func TestLeaderSendsEmergencyInBrowser(t *testing.T) {
	ts, _, agent, seg := newEmergencyRig(t)
	ts.addUser(t, "lanh-dao", RoleApprover)
	b := newBrowser(t, ts.URL)
	b.do(chromedp.EmulateViewport(phoneW, phoneH))
	b.signIn("lanh-dao", testPassword)
	if b.count(`nav a[href="/emergency"]`) != 1 {
		t.Error("the leader's menu does not offer the emergency page")
	}
	b.open("/emergency", "#em-form")
	b.do(chromedp.SetValue("#em-item", strconv.FormatUint(seg, 10)), chromedp.Click("#em-all"),
		chromedp.Click("#em-form button[type=submit]"), chromedp.WaitVisible("#emc-go"), chromedp.Click("#emc-go"), chromedp.WaitVisible("#em-progress"))
	cmd := ackDelivered(t, ts, agent)
	b.waitText(`#emp-rows tr[data-station="tdp-01"] .state`, "Trạm đã nhận")
	b.waitText(`#em-recent tr[data-command="`+cmd.ID+`"]`, "Bão số 9") // listed at once, without a reload
	b.waitText(`#em-recent tr[data-command="`+cmd.ID+`"] .em-counts`, "Trạm đã nhận: 1")
	b.shot("emergency-leader")
	b.checkConsole()
}
