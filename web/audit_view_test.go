package web

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"loa/playlist/library"
)

// TestAuditLogReadsInWords does what an admin does with the audit log:
// reads who did what to which object, in Vietnamese, finds the emergency
// by its label, filters by person, action, object and day, and pages back.
func TestAuditLogReadsInWords(t *testing.T) {
	ts := newTestServer(t)
	clock := time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC) // 06:30 on 08/12 in the ward
	ts.web.now = func() time.Time { return clock }
	admin := ts.signIn(t, "admin")
	admin.json("PUT", "/api/groups/an-phu", map[string]string{"name": "Khu phố An Phú"}, nil)
	ts.createStation(t, admin, "tdp-05")
	var seg segmentView
	admin.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"title": "Hướng dẫn đăng ký VNeID", "topic": "cchc-tthc"}, &seg)
	admin.json("POST", pathOf(seg, "/submit"), nil, nil)
	admin.json("POST", pathOf(seg, "/approve"), map[string]string{"comment": "Đồng ý"}, nil)
	if resp := admin.json("POST", "/api/commands", map[string]any{"kind": "emergency_play", "stations": []string{"tdp-05"}, "segment_id": seg.ID, "repeat": 1}, nil); resp.StatusCode >= 300 {
		t.Fatalf("emergency: %s", resp.Status)
	}

	page := rowsOf(admin.page(t, "/audit"))
	for _, want := range []string{
		"Lưu khu vực", "Khu vực an-phu — «Khu phố An Phú»", "Thêm trạm", "Trạm tdp-05 — «Tổ dân phố tdp-05»",
		"Duyệt bản tin", "Bản tin " + fmt.Sprint(seg.ID) + " — «Hướng dẫn đăng ký VNeID»",
		"<strong>Trạng thái</strong>: Chờ duyệt → Đã duyệt", "<strong>Ý kiến</strong>: Đồng ý",
		"Phát khẩn cấp", "Đăng nhập", "08/12/2026 06:30",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit page lacks %q", want)
		}
	}
	for _, code := range []string{"command.send", "group.put", "station.create", "segment/"} {
		if strings.Contains(page, ">"+code) {
			t.Errorf("the audit page shows the code %q", code)
		}
	}

	// The emergency is found by the label the page shows for it.
	only := rowsOf(admin.page(t, "/audit?action=command.emergency_play"))
	if !strings.Contains(only, "Phát khẩn cấp") || strings.Contains(only, "Thêm trạm") {
		t.Errorf("filtered by the emergency label:\n%s", only)
	}
	// By object, accents optional; by person; by day.
	if p := rowsOf(admin.page(t, "/audit?object=vneid")); !strings.Contains(p, "Duyệt bản tin") || strings.Contains(p, "Thêm trạm") {
		t.Errorf("filtered by object")
	}
	if p := admin.page(t, "/audit?user=nobody"); !strings.Contains(p, T("vi", "audit.empty")) {
		t.Errorf("filtered by a person who did nothing")
	}
	if p := admin.page(t, "/audit?from=09/12/2026"); !strings.Contains(p, T("vi", "audit.empty")) {
		t.Errorf("the day after shows entries")
	}
	if p := rowsOf(admin.page(t, "/audit?from=08/12/2026&to=08/12/2026")); !strings.Contains(p, "Thêm trạm") {
		t.Errorf("the day itself shows nothing")
	}
	if p := admin.page(t, "/audit?from=31/02/2026"); !strings.Contains(p, T("vi", "bad_date")) {
		t.Errorf("a bad day has no error in words")
	}

	// Paged, newest first, nothing lost or repeated between pages.
	for i := range 60 {
		clock = clock.Add(time.Minute)
		admin.json("PUT", "/api/groups/khu-"+fmt.Sprint(i), map[string]string{"name": fmt.Sprintf("Khu %02d", i)}, nil)
	}
	seen := map[string]bool{}
	next, pages := "/audit?action=group.put", 0
	for next != "" && pages < 5 {
		p := admin.page(t, next)
		pages++
		for _, m := range regexp.MustCompile(`«(Khu[^»]*)»`).FindAllStringSubmatch(p, -1) {
			if seen[m[1]] {
				t.Errorf("%s on two pages", m[1])
			}
			seen[m[1]] = true
		}
		next = ""
		if m := regexp.MustCompile(`href="(/audit\?[^"]+)" rel="next"`).FindStringSubmatch(p); m != nil {
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if pages != 2 || len(seen) != 61 {
		t.Errorf("%d pages, %d areas seen; want 2 and 61", pages, len(seen))
	}
}

// rowsOf is the audit table's body of a page (the filter's choices name
// every action too).
func rowsOf(page string) string {
	_, rows, _ := strings.Cut(page, "<tbody>")
	rows, _, _ = strings.Cut(rows, "</tbody>")
	return rows
}

// page fetches a page's HTML.
func (c *client) page(t *testing.T, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return string(body)
}

// TestEveryAuditActionHasWords finds every action the code records and
// checks the audit page can word it: a new action without words fails here.
func TestEveryAuditActionHasWords(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	literal := regexp.MustCompile(`s\.audit(?:As)?\(r, (?:[a-zA-Z.]+, )?"([a-z_.]+)",`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			found++
			if !hasText("audit.action." + m[1]) {
				t.Errorf("%s: audit action %q has no words (audit_view.go)", f, m[1])
			}
		}
	}
	for _, a := range []library.Action{library.ActionSubmit, library.ActionApprove, library.ActionReject, library.ActionArchive, library.ActionRestore, library.ActionPublish, library.ActionUnpublish} {
		if !hasText("audit.action.segment." + string(a)) {
			t.Errorf("audit action segment.%s has no words", a)
		}
	}
	if found < 20 {
		t.Fatalf("found only %d audit calls: has the call's form changed?", found)
	}
}
