package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// submitted uploads an item as c and submits it; it answers the item.
func submitted(t *testing.T, c *client) segmentView {
	t.Helper()
	var seg segmentView
	if resp := c.upload("mp3/cbr128-stereo.mp3", map[string]string{"title": "Thông báo thu thuế", "topic": "cchc-tthc"}, &seg); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %s", resp.Status)
	}
	if resp := c.json("POST", fmt.Sprintf("/api/segments/%d/submit", seg.ID), nil, &seg); resp.StatusCode != 200 {
		t.Fatalf("submit: %s", resp.Status)
	}
	return seg
}

func TestNoSelfApprovalInAWardWithTwoApprovers(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "duyet", RoleApprover)
	approver, admin := ts.signIn(t, "duyet"), ts.signIn(t, "admin")
	seg := submitted(t, approver)
	var e apiErr
	resp := approver.json("POST", fmt.Sprintf("/api/segments/%d/approve", seg.ID), map[string]any{"revision": seg.Revision}, &e)
	if resp.StatusCode != http.StatusForbidden || e.Error.Code != "self_approval" {
		t.Fatalf("approving one's own item: %s %+v", resp.Status, e)
	}
	if resp := admin.json("POST", fmt.Sprintf("/api/segments/%d/approve", seg.ID), map[string]any{"revision": seg.Revision}, nil); resp.StatusCode != 200 {
		t.Fatalf("another approver: %s", resp.Status)
	}
	// The audit log says who uploaded and who approved.
	var log []struct {
		Action, User string
		After        map[string]any
	}
	admin.json("GET", "/api/audit", nil, &log)
	found := false
	for _, en := range log {
		if en.Action == "segment.approve" && en.User == "admin" && en.After["created_by"] == "duyet" {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry of admin approving duyet's item: %+v", log)
	}
	// An admin may allow it.
	var set approvalSettings
	if resp := admin.json("PUT", "/api/settings/approval", map[string]string{"self_approval": "allowed"}, &set); resp.StatusCode != 200 || set.Forbidden {
		t.Fatalf("allow: %s %+v", resp.Status, set)
	}
	seg = submitted(t, approver)
	if resp := approver.json("POST", fmt.Sprintf("/api/segments/%d/approve", seg.ID), nil, nil); resp.StatusCode != 200 {
		t.Fatalf("allowed self-approval: %s", resp.Status)
	}
}

func TestOneApproverWardMayApproveItsOwn(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.signIn(t, "admin")
	seg := submitted(t, admin)
	if resp := admin.json("POST", fmt.Sprintf("/api/segments/%d/approve", seg.ID), nil, nil); resp.StatusCode != 200 {
		t.Fatalf("the only approver: %s", resp.Status)
	}
	var set approvalSettings
	admin.json("GET", "/api/settings/approval", nil, &set)
	if set.SelfApproval != "auto" || set.Forbidden || set.Approvers != 1 {
		t.Fatalf("settings: %+v", set)
	}
}

func TestApprovalAppliesToTheRevisionSeen(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "bientap", RoleEditor)
	editor, admin := ts.signIn(t, "bientap"), ts.signIn(t, "admin")
	seg := submitted(t, editor)
	seen := seg.Revision
	// The editor changes the level while the approver reads the item.
	var edited segmentView
	if resp := editor.json("PATCH", fmt.Sprintf("/api/segments/%d", seg.ID), map[string]any{"revision": seen, "level": "priority"}, &edited); resp.StatusCode != 200 {
		t.Fatalf("edit: %s", resp.Status)
	}
	if edited.Status != "draft" {
		t.Errorf("an edited submitted item is %s, want draft", edited.Status)
	}
	var e apiErr
	resp := admin.json("POST", fmt.Sprintf("/api/segments/%d/approve", seg.ID), map[string]any{"revision": seen}, &e)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("approving the revision seen after an edit: %s %+v", resp.Status, e)
	}
	var got segmentView
	admin.json("GET", fmt.Sprintf("/api/segments/%d", seg.ID), nil, &got)
	if got.Status == "approved" {
		t.Fatal("the edited item was approved")
	}
	last := got.History[len(got.History)-1]
	if last.Action != "edit" || last.By != "bientap" || !strings.Contains(string(last.From), "submitted") {
		t.Errorf("the edit is not in the history: %+v", last)
	}
}
