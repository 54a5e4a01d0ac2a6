package web

import (
	"maps"
	"slices"
	"strings"

	"loa/playlist/library"
	"loa/stations"
)

// The stores keep areas (station groups) and stations by id; the pages
// show their names. wardNames is the lookup a page loads once, and the
// pickers (checkbox trees of areas with their stations) are drawn from it.

func init() { maps.Copy(catalogue, namesMessages) }

// namesMessages are the texts of the pickers and of the targets in words.
var namesMessages = map[string]message{
	"names.whole_ward":          {"Toàn phường", "The whole ward"},
	"names.no_area":             {"Trạm chưa thuộc cụm nào", "Stations in no group"},
	"names.n_stations":          {"%d trạm", "%d stations"},
	"names.all_stations":        {"toàn phường (%d trạm)", "the whole ward (%d stations)"},
	"names.reach":               {"%d trạm của %s", "%d stations in %s"},
	"names.nowhere":             {"chưa chọn nơi phát", "no place chosen"},
	"names.station":             {"trạm %s", "station %s"},
	"names.search":              {"Tìm theo tên", "Search by name"},
	"names.none_yet":            {"Chưa có cụm hay trạm nào; hãy thêm ở trang Trạm.", "No groups or stations yet; add them on the Stations page."},
	"names.ward_zone":           {"Giờ Việt Nam (UTC+7)", "Vietnam time (UTC+7)"},
	"names.zone_other":          {"Múi giờ %s", "Time zone %s"},
	"names.dates_both":          {"từ %s đến hết %s", "from %s to %s"},
	"names.dates_from":          {"từ %s, không hạn kết thúc", "from %s, with no end"},
	"names.dates_to":            {"từ khi được duyệt đến hết %s", "from approval until %s"},
	"names.dates_none":          {"từ khi được duyệt, không hạn kết thúc", "from approval, with no end"},
	"names.limits_none":         {"theo luân phiên, không đặt số lần", "in rotation, no counts set"},
	"names.min_day":             {"ít nhất %d lần/ngày", "at least %d a day"},
	"names.max_day":             {"nhiều nhất %d lần/ngày", "at most %d a day"},
	"names.min_week":            {"ít nhất %d lần/tuần", "at least %d a week"},
	"names.will_air":            {"Bản tin sẽ phát tại %s, %s, trong các khung giờ có chủ đề «%s»; %s.", "The item will air at %s, %s, in the slots of topic “%s”; %s."},
	"names.will_air_none":       {"Bản tin chưa có nơi phát nên sẽ không được phát ở trạm nào.", "The item has no place to air, so no station will play it."},
	"sched.targets_hint":        {"Áp dụng cho cả chương trình, kể cả chương trình đã có.", "Applies to the whole programme, an existing one too."},
	"js.slot_saved":             {"Đã lưu khung giờ %s của chương trình «%s».", "Saved the %s slot of “%s”."},
	"js.slot_deleted":           {"Đã xoá khung giờ %s của chương trình «%s».", "Deleted the %s slot of “%s”."},
	"js.exc_saved":              {"Đã thêm ngày nghỉ %s vào chương trình «%s».", "Added the day off %s to “%s”."},
	"st.zone_hint":              {"Để trống: Giờ Việt Nam (UTC+7)", "Empty: Vietnam time (UTC+7)"},
	"st.group_id_hint":          {"Để trống: tạo từ tên cụm", "Empty: made from the group's name"},
	"users.name_rules":          {"2–32 ký tự: chữ thường không dấu, số, dấu chấm (.), gạch dưới (_), gạch ngang (-); bắt đầu bằng chữ hoặc số", "2–32 characters: lower-case letters, digits, dot (.), underscore (_), dash (-); starting with a letter or digit"},
	"users.groups_pick_hint":    {"Không đánh dấu cụm nào: làm việc trên toàn phường.", "No group ticked: the whole ward."},
	"users.done_add":            {"Đã thêm người dùng {display_name} ({name}).", "Added the user {display_name} ({name})."},
	"users.done_edit":           {"Đã lưu thay đổi của người dùng %s.", "Saved the changes to %s."},
	"tok.title":                 {"Mã truy cập API", "API tokens"},
	"tok.hint":                  {"Cho phần mềm khác (cổng thông tin, bảng tin, kịch bản) đọc hoặc gửi dữ liệu qua API. Mã được gửi trong tiêu đề Authorization: Bearer.", "For other software (the portal, a display, scripts) to read or send data through the API. The token goes in the Authorization: Bearer header."},
	"tok.name":                  {"Dùng cho", "Used for"},
	"tok.name_hint":             {"Ví dụ: Cổng thông tin phường", "e.g. The ward's web portal"},
	"tok.created":               {"Tạo lúc, bởi", "Made, by"},
	"tok.last_used":             {"Dùng lần cuối", "Last used"},
	"tok.expires":               {"Hết hạn", "Expires"},
	"tok.days":                  {"Hiệu lực (số ngày)", "Valid for (days)"},
	"tok.days_hint":             {"Để trống: tới khi thu hồi", "Empty: until revoked"},
	"tok.add":                   {"Tạo mã truy cập", "Make a token"},
	"tok.once":                  {"Mã chỉ hiện một lần; hãy sao chép ngay:", "The token is shown only once; copy it now:"},
	"tok.none":                  {"Chưa có mã truy cập nào.", "No API tokens yet."},
	"tok.revoke":                {"Thu hồi", "Revoke"},
	"tok.done_add":              {"Đã tạo mã.", "Token made."},
	"js.tok_revoke":             {"Thu hồi", "Revoke"},
	"js.tok_no_end":             {"tới khi thu hồi", "until revoked"},
	"js.tok_confirm_revoke":     {"Thu hồi mã «%s»? Phần mềm đang dùng mã này sẽ bị từ chối ngay.", "Revoke “%s”? Software using it is refused at once."},
	"js.tok_revoked":            {"Đã thu hồi mã «%s».", "Revoked “%s”."},
	"js.tok_made":               {"Đã tạo mã «%s».", "Made the token “%s”."},
	"js.role.viewer":            {"Người xem", "Viewer"},
	"js.role.editor":            {"Biên tập viên", "Editor"},
	"js.role.approver":          {"Lãnh đạo duyệt", "Approver"},
	"js.role.admin":             {"Quản trị viên", "Administrator"},
	"sched.exc_slots_pick":      {"Khung giờ bị huỷ", "Slots cancelled"},
	"sched.exc_slots_pick_hint": {"Giữ Ctrl để chọn nhiều; không chọn: huỷ cả chương trình ngày đó", "Hold Ctrl for several; none: the whole programme that day"},
	"st.done_edit":              {"Đã lưu trạm «%s».", "Saved the station “%s”."},
	"st.done_group":             {"Đã lưu cụm «{name}».", "Saved the group “{name}”."},
	"st.reported":               {"trạm báo", "reported"},
	"st.token_steps": {"Mã bí mật chỉ hiện một lần. Trên máy tính của trạm (đã cài loa-agent theo README, mục cài đặt trên trạm), hãy chạy các lệnh dưới đây: địa chỉ máy chủ vào /etc/loa-agent/loa-agent.env, mã vào riêng tệp /etc/loa-agent/token, rồi khởi động lại loa-agent.",
		"The token is shown only once. On the station's computer (with loa-agent installed as the README says), run the commands below: the server's address goes into /etc/loa-agent/loa-agent.env, the token alone into /etc/loa-agent/token; then loa-agent restarts."},
	"lib.plays":        {"Số lần phát", "Plays"},
	"lib.what_happens": {"Điều sẽ xảy ra", "What will happen"},
}

// wardNames is the ward's areas and stations, by id.
type wardNames struct {
	Lang     string
	Groups   []stations.Group
	Stations []stations.Station
	group    map[string]string
	station  map[string]string
}

// wardNames loads the areas and stations; without the station link (or
// on a read error) it is empty and names fall back to ids.
func (s *Server) wardNames(lang string) wardNames {
	n := wardNames{Lang: lang, group: map[string]string{}, station: map[string]string{}}
	l := s.link
	var err error
	if n.Groups, err = l.Stations.Groups(); err != nil {
		s.log.Warn("ward names: groups", "err", err)
	}
	if n.Stations, err = l.Stations.Stations(); err != nil {
		s.log.Warn("ward names: stations", "err", err)
	}
	for _, g := range n.Groups {
		n.group[g.ID] = g.Name
	}
	for _, st := range n.Stations {
		n.station[st.ID] = st.Name
	}
	return n
}

// Group is an area's name; its id if it has none (or is unknown).
func (n wardNames) Group(id string) string {
	if v := n.group[id]; v != "" {
		return v
	}
	return id
}

// Station is a station's name; its id if it has none (or is unknown).
func (n wardNames) Station(id string) string {
	if v := n.station[id]; v != "" {
		return v
	}
	return id
}

// GroupList writes areas' names, comma-separated.
func (n wardNames) GroupList(ids []string) string { return n.list(ids, n.Group) }

// StationList writes stations' names, comma-separated.
func (n wardNames) StationList(ids []string) string { return n.list(ids, n.Station) }

func (n wardNames) list(ids []string, name func(string) string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = name(id)
	}
	return strings.Join(out, ", ")
}

// areaTree is one area of a picker with its stations; the last area
// (ID "") holds the stations in no area.
type areaTree struct {
	ID, Name string
	Stations []stations.Station
}

// Tree is the areas with their stations, for the pickers. A station in
// two areas is listed under both.
func (n wardNames) Tree() []areaTree {
	var out []areaTree
	for _, g := range n.Groups {
		a := areaTree{ID: g.ID, Name: g.Name}
		for _, st := range n.Stations {
			if slices.Contains(st.Groups, g.ID) {
				a.Stations = append(a.Stations, st)
			}
		}
		out = append(out, a)
	}
	loose := areaTree{}
	for _, st := range n.Stations {
		if len(st.Groups) == 0 {
			loose.Stations = append(loose.Stations, st)
		}
	}
	if len(loose.Stations) > 0 {
		out = append(out, loose)
	}
	return out
}

// reach counts the stations t targets.
func (n wardNames) reach(t library.Targets) int {
	c := 0
	for _, st := range n.Stations {
		if t.Includes(st.ID, st.Groups) {
			c++
		}
	}
	return c
}

// Where writes where t airs in lang: "12 trạm của Khu An Phú, trạm Tổ 5".
func (n wardNames) Where(lang string, t library.Targets) string {
	if t.All {
		return T(lang, "names.all_stations", n.reach(t))
	}
	var parts []string
	for _, g := range t.Groups {
		parts = append(parts, n.Group(g))
	}
	for _, st := range t.Stations {
		parts = append(parts, T(lang, "names.station", n.Station(st)))
	}
	if len(parts) == 0 {
		return T(lang, "names.nowhere")
	}
	return T(lang, "names.reach", n.reach(t), strings.Join(parts, ", "))
}

// dates writes an item's validity as the approve dialog says it.
func dates(lang string, from, to library.Date) string {
	switch {
	case from != "" && to != "":
		return T(lang, "names.dates_both", day(from), day(to))
	case from != "":
		return T(lang, "names.dates_from", day(from))
	case to != "":
		return T(lang, "names.dates_to", day(to))
	}
	return T(lang, "names.dates_none")
}

// plays writes an item's play counts in words.
func plays(lang string, l library.Limits) string {
	var parts []string
	if l.MinPerDay > 0 {
		parts = append(parts, T(lang, "names.min_day", l.MinPerDay))
	}
	if l.MaxPerDay > 0 {
		parts = append(parts, T(lang, "names.max_day", l.MaxPerDay))
	}
	if l.MinPerWeek > 0 {
		parts = append(parts, T(lang, "names.min_week", l.MinPerWeek))
	}
	if len(parts) == 0 {
		return T(lang, "names.limits_none")
	}
	return strings.Join(parts, ", ")
}

// zoneName words a station's zone: the ward's own as "Giờ Việt Nam (UTC+7)".
func zoneName(lang, zone string) string {
	if zone == "" || zone == "Asia/Ho_Chi_Minh" || zone == "Asia/Saigon" {
		return T(lang, "names.ward_zone")
	}
	return T(lang, "names.zone_other", zone)
}

// picker is what the "area-picker" template draws: a checkbox tree of
// areas with their stations, whose boxes carry the given field names
// (a name left empty leaves that level out).
type picker struct {
	ID                                string // the element's id; its boxes' ids start with it
	Lang                              string
	AllName, GroupsName, StationsName string
	AllValue                          string // the whole-ward box's value ("true" for JSON forms)
	AllChecked                        bool   // the whole-ward box starts ticked
	Tree                              []areaTree
}

// T is the catalogue text of key in the picker's language.
func (p picker) T(key string, args ...any) string { return T(p.Lang, key, args...) }

// Picker is the tree for a form: id, then the field names of the
// whole-ward box, the areas and the stations.
func (n wardNames) Picker(id, all, groups, stations string) picker {
	v := "true"
	if !strings.Contains(all, ".") {
		v = "all" // a multipart form's targets=all
	}
	return picker{ID: id, Lang: n.Lang, AllName: all, GroupsName: groups, StationsName: stations, AllValue: v, Tree: n.Tree()}
}

// WholeWard is p with the whole-ward box ticked to start with.
func (p picker) WholeWard() picker {
	p.AllChecked = true
	return p
}
