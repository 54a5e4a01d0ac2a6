package web

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"loa/internal/ward"
	"loa/playlist/library"
	"loa/web/account"
)

// The audit log as a person reads it: actions and objects in words, the
// fields that changed with their values before and after (times in the
// ward's time), filtered by person, action, object and days, a page at a
// time. The API (GET /api/audit) takes the same filters.

// auditQuery selects entries of the audit log.
type auditQuery struct {
	User   string   // sign-in name
	Action string   // an action code, e.g. "segment.approve"
	Object string   // words of the object's name or its code, accents optional
	From   ward.Day // first ward day ("" = no limit)
	To     ward.Day // last ward day ("" = no limit)
	Before time.Time
	Cursor []byte // the key of the last entry of the previous page
	Limit  int
}

// parseAuditQuery reads an audit query; days as dd/mm/yyyy or yyyy-mm-dd.
func parseAuditQuery(q url.Values, limit int) (auditQuery, error) {
	a := auditQuery{User: strings.TrimSpace(q.Get("user")), Action: strings.TrimSpace(q.Get("action")),
		Object: strings.TrimSpace(q.Get("object")), Limit: limit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return a, errBadQuery.withField("limit")
		}
		a.Limit = n
	}
	for _, d := range []struct {
		name string
		to   *ward.Day
	}{{"from", &a.From}, {"to", &a.To}} {
		if v := strings.TrimSpace(q.Get(d.name)); v != "" {
			day, err := library.ParseDate(v)
			if err != nil {
				return a, errBadQuery.withField(d.name)
			}
			*d.to = day
		}
	}
	if v := q.Get("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return a, errBadQuery.withField("before")
		}
		a.Before = t
	}
	if v := q.Get("cursor"); v != "" {
		c, err := hex.DecodeString(v)
		if err != nil || len(c) != 16 {
			return a, errBadQuery.withField("cursor")
		}
		a.Cursor = c
	}
	return a, nil
}

// auditEntries returns the entries q selects, newest first, and the cursor
// of the next page ("" when there is none).
func (s *Server) auditEntries(q auditQuery) ([]AuditEntry, string, error) {
	loc := s.fmt.loc
	start := q.Cursor
	if start == nil && (q.To != "" || !q.Before.IsZero()) {
		end := time.Unix(0, 1<<62)
		if q.To != "" {
			end = q.To.End(loc)
		}
		if !q.Before.IsZero() && q.Before.Before(end) {
			end = q.Before
		}
		start = account.AuditKey(end)
	}
	var floor time.Time
	if q.From != "" {
		floor = q.From.Start(loc)
	}
	names := map[string]string{}
	out := []AuditEntry{}
	full := false
	resume, err := s.users.Audit(start, func(e AuditEntry) bool {
		switch {
		case !floor.IsZero() && e.At.Before(floor):
			return false
		case !s.auditMatches(q, e, names):
			return true
		case len(out) == q.Limit:
			full = true
			return false
		}
		out = append(out, e)
		return true
	})
	if !full {
		resume = nil
	}
	return out, hex.EncodeToString(resume), err
}

func (s *Server) auditMatches(q auditQuery, e AuditEntry, names map[string]string) bool {
	switch {
	case q.User != "" && e.User != q.User,
		q.Action != "" && e.Action != q.Action && auditActionKey(e) != q.Action:
		return false
	case q.Object == "":
		return true
	}
	name, ok := names[e.Target]
	if !ok {
		name = s.objectName(e.Target)
		names[e.Target] = name
	}
	want := library.Fold(q.Object)
	return strings.Contains(library.Fold(name), want) || strings.Contains(library.Fold(e.Target), want)
}

// auditActionKey is the catalogue key of an entry's action: an operator's
// command is worded by its kind ("command.emergency_play"), not as a
// generic "command.send".
func auditActionKey(e AuditEntry) string {
	if e.Action == "command.send" {
		var after struct {
			Kind string `json:"kind"`
		}
		if json.Unmarshal(e.After, &after) == nil && after.Kind != "" {
			return "command." + after.Kind
		}
	}
	return e.Action
}

// objectName is the name of an entry's object as people know it: a
// bulletin's title, a station's or area's name, a person's display name.
func (s *Server) objectName(target string) string {
	kind, id, _ := strings.Cut(target, "/")
	switch kind {
	case "segment":
		if n, err := strconv.ParseUint(id, 10, 64); err == nil {
			if seg, err := s.lib.Segment(n); err == nil {
				return seg.Title
			}
		}
	case "station":
		if st, err := s.app.Stations.Station(id); err == nil {
			return st.Name
		}
	case "group":
		if g, err := s.app.Stations.Group(id); err == nil {
			return g.Name
		}
	case "programme":
		if p, err := s.app.Playlists.Programme(id); err == nil {
			return p.Name
		}
	case "user":
		if u, err := s.users.User(id); err == nil && u.DisplayName != "" {
			return u.DisplayName
		}
	}
	return ""
}

// auditRow is one entry on the page.
type auditRow struct {
	At      time.Time
	User    string // display name (sign-in name)
	Action  string
	Object  string
	Changes []auditChange
}

// auditChange is one field that changed (or, for a creation, was set).
type auditChange struct{ Field, Before, After string }

// auditRows words entries in lang.
func (s *Server) auditRows(entries []AuditEntry, lang string) []auditRow {
	names, people := map[string]string{}, map[string]string{}
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		name, ok := names[e.Target]
		if !ok {
			name = s.objectName(e.Target)
			names[e.Target] = name
		}
		who, ok := people[e.User]
		if !ok {
			who = e.User
			if u, err := s.users.User(e.User); err == nil && u.DisplayName != "" {
				who = u.DisplayName + " (" + e.User + ")"
			}
			people[e.User] = who
		}
		rows = append(rows, auditRow{At: e.At, User: who, Action: auditActionWords(e, lang),
			Object: s.objectWords(e.Target, name, lang), Changes: s.auditChanges(e, lang)})
	}
	return rows
}

func auditActionWords(e AuditEntry, lang string) string {
	if key := "audit.action." + auditActionKey(e); hasText(key) {
		return T(lang, key)
	}
	if key := "audit.action." + e.Action; hasText(key) {
		return T(lang, key)
	}
	return e.Action
}

func hasText(key string) bool { _, ok := catalogue[key]; return ok }

// objectWords says what an entry acted on: "Bản tin «Tiêu đề» (số 12)".
func (s *Server) objectWords(target, name, lang string) string {
	kind, id, _ := strings.Cut(target, "/")
	label := target
	if key := "audit.object." + kind; hasText(key) {
		label = T(lang, key)
		if id != "" {
			label += " " + id
		}
	}
	if name != "" {
		return label + " — «" + name + "»"
	}
	return label
}

// auditHidden are fields that say nothing to a person (or must not show).
var auditHidden = map[string]bool{"revision": true, "updated_at": true, "history": true, "password_hash": true,
	"created_at": true, "created_by": true, "audio": true, "id": true}

// auditChanges lists the top-level fields that differ between an entry's
// before and after records, worded and formatted for people.
func (s *Server) auditChanges(e AuditEntry, lang string) []auditChange {
	var before, after map[string]any
	json.Unmarshal(e.Before, &before)
	json.Unmarshal(e.After, &after)
	var keys []string
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []auditChange
	for _, k := range keys {
		b, a := before[k], after[k]
		if auditHidden[k] || fmt.Sprint(b) == fmt.Sprint(a) {
			continue
		}
		field := k
		if key := "audit.field." + k; hasText(key) {
			field = T(lang, key)
		}
		out = append(out, auditChange{Field: field, Before: s.auditValue(b, lang), After: s.auditValue(a, lang)})
	}
	return out
}

// auditValue writes a recorded value: times in the ward's time, yes/no in
// words, lists joined, nested records as "name: value" pairs.
func (s *Server) auditValue(v any, lang string) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case bool:
		if v {
			return T(lang, "yes")
		}
		return T(lang, "no")
	case string:
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return s.fmt.dateTime(t)
		}
		if v == "" {
			return "—"
		}
		if key := "status." + v; hasText(key) {
			return T(lang, key)
		}
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			parts = append(parts, s.auditValue(x, lang))
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			if x := v[k]; x != nil && x != false && x != "" && x != float64(0) {
				field := k
				if key := "audit.field." + k; hasText(key) {
					field = T(lang, key)
				}
				parts = append(parts, field+": "+s.auditValue(x, lang))
			}
		}
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

// auditActions are the actions a person can filter by, with their words.
func auditActions(lang string) []auditAction {
	var out []auditAction
	for k := range catalogue {
		if code, ok := strings.CutPrefix(k, "audit.action."); ok {
			out = append(out, auditAction{Code: code, Words: T(lang, k)})
		}
	}
	slices.SortFunc(out, func(a, b auditAction) int { return strings.Compare(a.Words, b.Words) })
	return out
}

type auditAction struct{ Code, Words string }

func init() { maps.Copy(catalogue, auditMessages) }

// auditMessages word every action the audit log records, the kinds of
// object and the fields people change. TestEveryAuditActionHasWords finds
// the actions in the code, so a new one without words fails the tests.
var auditMessages = map[string]message{
	"audit.from":        {"Từ ngày", "From"},
	"audit.to":          {"Đến ngày", "To"},
	"audit.older":       {"Xem các thao tác cũ hơn", "Older entries"},
	"audit.object_hint": {"tên hoặc mã, ví dụ: VNeID, Tổ 5", "name or code, e.g. VNeID, Tổ 5"},

	"audit.action.topic.put":              {"Sửa chủ đề", "Topic changed"},
	"audit.action.programme.put":          {"Lưu chương trình phát", "Programme saved"},
	"audit.action.programme.delete":       {"Xoá chương trình phát", "Programme deleted"},
	"audit.action.playlists.rebuild":      {"Lập lại lịch phát", "Playlists rebuilt"},
	"audit.action.station.create":         {"Thêm trạm", "Station added"},
	"audit.action.station.update":         {"Sửa trạm", "Station changed"},
	"audit.action.station.delete":         {"Xoá trạm", "Station deleted"},
	"audit.action.station.token_rotate":   {"Cấp mã kết nối mới cho trạm", "Station token renewed"},
	"audit.action.station.token_revoke":   {"Thu hồi mã kết nối của trạm", "Station token revoked"},
	"audit.action.group.put":              {"Lưu khu vực", "Area saved"},
	"audit.action.group.delete":           {"Xoá khu vực", "Area deleted"},
	"audit.action.command.send":           {"Gửi lệnh tới trạm", "Command sent"},
	"audit.action.command.emergency_play": {"Phát khẩn cấp", "Emergency broadcast"},
	"audit.action.command.emergency_stop": {"Dừng phát khẩn cấp", "Emergency stopped"},
	"audit.action.command.set_volume":     {"Đặt âm lượng trạm", "Station volume set"},
	"audit.action.command.refresh":        {"Yêu cầu trạm tải lại", "Station asked to refresh"},
	"audit.action.command.resync":         {"Yêu cầu trạm đồng bộ lại lịch", "Station asked to resync"},
	"audit.action.command.live_start":     {"Bắt đầu phát trực tiếp tới trạm", "Live broadcast started on stations"},
	"audit.action.command.live_stop":      {"Dừng phát trực tiếp tới trạm", "Live broadcast stopped on stations"},
	"audit.action.token.create":           {"Tạo mã truy cập API", "API token created"},
	"audit.action.token.revoke":           {"Thu hồi mã truy cập API", "API token revoked"},
	"audit.action.user.password":          {"Đổi mật khẩu", "Password changed"},
	"audit.action.user.sessions_end":      {"Đăng xuất mọi phiên của tài khoản", "All sessions of an account ended"},
	"audit.action.session.start":          {"Đăng nhập", "Signed in"},
	"audit.action.session.end":            {"Kết thúc một phiên đăng nhập", "A session ended"},
	"audit.action.report_settings.update": {"Sửa thông tin trên báo cáo", "Report letterhead changed"},
	"audit.action.settings.approval":      {"Đổi quy định duyệt bản tin", "Approval rules changed"},
	"audit.action.settings.emergency":     {"Đổi người được phát khẩn cấp", "Who may send an emergency changed"},

	"audit.object.segment":         {"Bản tin", "Item"},
	"audit.object.station":         {"Trạm", "Station"},
	"audit.object.group":           {"Khu vực", "Area"},
	"audit.object.programme":       {"Chương trình", "Programme"},
	"audit.object.user":            {"Tài khoản", "Account"},
	"audit.object.topic":           {"Chủ đề", "Topic"},
	"audit.object.command":         {"Lệnh", "Command"},
	"audit.object.live":            {"Buổi phát trực tiếp", "Live broadcast"},
	"audit.object.token":           {"Mã truy cập API", "API token"},
	"audit.object.session":         {"Phiên đăng nhập", "Session"},
	"audit.object.playlists":       {"Lịch phát", "Playlists"},
	"audit.object.database":        {"Cơ sở dữ liệu", "Database"},
	"audit.object.report_settings": {"Thông tin trên báo cáo", "Report letterhead"},
	"audit.object.settings":        {"Cài đặt", "Settings"},

	"audit.field.title":        {"Tiêu đề", "Title"},
	"audit.field.name":         {"Tên", "Name"},
	"audit.field.display_name": {"Tên hiển thị", "Display name"},
	"audit.field.description":  {"Mô tả", "Description"},
	"audit.field.transcript":   {"Lời của bản ghi", "Transcript"},
	"audit.field.topic":        {"Chủ đề", "Topic"},
	"audit.field.level":        {"Mức độ", "Level"},
	"audit.field.status":       {"Trạng thái", "Status"},
	"audit.field.comment":      {"Ý kiến", "Comment"},
	"audit.field.valid_from":   {"Phát từ ngày", "Valid from"},
	"audit.field.valid_to":     {"Đến hết ngày", "Valid to"},
	"audit.field.targets":      {"Nơi phát", "Targets"},
	"audit.field.all":          {"Toàn phường", "Whole ward"},
	"audit.field.groups":       {"Khu vực", "Areas"},
	"audit.field.stations":     {"Trạm", "Stations"},
	"audit.field.limits":       {"Số lần phát", "Plays"},
	"audit.field.min_per_day":  {"Tối thiểu/ngày", "Min a day"},
	"audit.field.max_per_day":  {"Tối đa/ngày", "Max a day"},
	"audit.field.min_per_week": {"Tối thiểu/tuần", "Min a week"},
	"audit.field.public":       {"Công khai (Nghe lại)", "Public"},
	"audit.field.role":         {"Vai trò", "Role"},
	"audit.field.disabled":     {"Khoá tài khoản", "Disabled"},
	"audit.field.volume":       {"Âm lượng", "Volume"},
	"audit.field.zone":         {"Múi giờ", "Time zone"},
	"audit.field.kind":         {"Loại", "Kind"},
	"audit.field.segment_id":   {"Bản tin số", "Item"},
	"audit.field.slots":        {"Khung giờ", "Slots"},
	"audit.field.days":         {"Ngày", "Days"},
	"audit.field.audio":        {"Kèm âm thanh", "With audio"},
	"audit.field.reason":       {"Lý do", "Reason"},
	"audit.field.length_ms":    {"Thời lượng (ms)", "Length (ms)"},
	"audit.field.live_id":      {"Buổi phát trực tiếp", "Live broadcast"},
	"audit.field.command":      {"Lệnh", "Command"},
	"audit.field.roles":        {"Vai trò", "Roles"},
}
