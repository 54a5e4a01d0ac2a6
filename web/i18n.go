package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// A message is one text of the interface in both languages. Vietnamese is
// the default and is written in NFC with full diacritics.
type message struct{ vi, en string }

// catalogue holds every text a person reads on the pages, by a stable key.
// Keys starting with "js." are also handed to app.js. A text may hold
// fmt verbs; T fills them.
var catalogue = map[string]message{
	// Frame.
	"app.name":      {"Loa", "Loa"},
	"app.tagline":   {"Đài truyền thanh phường", "Ward loudspeaker network"},
	"skip":          {"Bỏ qua, đến nội dung chính", "Skip to main content"},
	"nav":           {"Điều hướng chính", "Main navigation"},
	"nav.dashboard": {"Tổng quan", "Overview"},
	"nav.library":   {"Thư viện", "Library"},
	"nav.schedule":  {"Lịch phát", "Schedule"},
	"nav.stations":  {"Trạm", "Stations"},
	"nav.emergency": {"Phát khẩn cấp", "Emergency"},
	"nav.onair":     {"Phát trực tiếp", "Live broadcast"},
	"nav.reports":   {"Báo cáo", "Reports"},
	"nav.users":     {"Người dùng", "Users"},
	"nav.audit":     {"Nhật ký", "Audit log"},
	"lang.switch":   {"English", "Tiếng Việt"},
	"logout":        {"Đăng xuất", "Sign out"},
	"signed_in_as":  {"Đang đăng nhập: %s", "Signed in as %s"},
	"forbidden":     {"Bạn không có quyền xem trang này.", "You are not allowed to see this page."},
	"not_found":     {"Không tìm thấy trang.", "Page not found."},
	"internal":      {"Lỗi hệ thống, vui lòng thử lại sau.", "Internal error, please try again later."},
	"save":          {"Lưu", "Save"},
	"cancel":        {"Huỷ", "Cancel"},
	"close":         {"Đóng", "Close"},
	"search":        {"Tìm", "Search"},
	"all":           {"Tất cả", "All"},
	"none":          {"Không có", "None"},
	"yes":           {"Có", "Yes"},
	"bad_date":      {"Ngày không hợp lệ; hãy viết dd/mm/yyyy", "Invalid date; write dd/mm/yyyy"},
	"no":            {"Không", "No"},

	// Sign-in.
	"login.title":    {"Đăng nhập", "Sign in"},
	"login.name":     {"Tên đăng nhập", "User name"},
	"login.password": {"Mật khẩu", "Password"},
	"login.submit":   {"Đăng nhập", "Sign in"},

	// Roles.
	"role.viewer":   {"Người xem", "Viewer"},
	"role.editor":   {"Biên tập viên", "Editor"},
	"role.approver": {"Lãnh đạo duyệt", "Approver"},
	"role.admin":    {"Quản trị viên", "Administrator"},

	// Overview.
	"dash.stations":       {"Trạm phát", "Stations"},
	"dash.online":         {"Trực tuyến", "Online"},
	"dash.offline":        {"Mất kết nối", "Offline"},
	"dash.now_playing":    {"Đang phát", "Now playing"},
	"dash.timeline":       {"Lịch phát hôm nay", "Today's timeline"},
	"dash.alerts":         {"Cảnh báo", "Alerts"},
	"dash.no_alerts":      {"Không có cảnh báo.", "No alerts."},
	"dash.waiting":        {"Bản tin chờ duyệt", "Items awaiting approval"},
	"dash.expiring":       {"Bản tin sắp hết hạn (7 ngày tới)", "Items expiring within 7 days"},
	"dash.alert_expiring": {"«%s» hết hạn phát ngày %s", "“%s” stops airing on %s"},
	"dash.alert_waiting":  {"%d bản tin đang chờ duyệt", "%d items await approval"},
	"dash.alert_offline":  {"Trạm %s mất kết nối từ %s", "Station %s offline since %s"},
	"dash.alert_faults":   {"Trạm %s báo lỗi: %s", "Station %s reports faults: %s"},
	"dash.alert_short":    {"Trạm %s chỉ còn lịch phát %d ngày: lịch mới chưa được gửi tới", "Station %s holds only %d days of playlists: new ones have not reached it"},
	"dash.alert_missed":   {"Hôm nay có %d bản tin không phát được", "%d planned items were missed or failed today"},
	"dash.alert_never":    {"Trạm %s chưa từng kết nối", "Station %s has never connected"},
	"dash.no_slots":       {"Hôm nay không có khung giờ phát nào.", "No slots today."},
	"dash.cancelled":      {"đã huỷ", "cancelled"},
	"dash.no_stations":    {"Chưa có trạm nào.", "No stations yet."},

	// Library.
	"lib.title":         {"Thư viện bản tin", "Announcement library"},
	"lib.upload":        {"Tải lên bản tin", "Upload announcements"},
	"lib.drop":          {"Kéo thả tệp âm thanh vào đây, hoặc", "Drop audio files here, or"},
	"lib.choose":        {"chọn tệp", "choose files"},
	"lib.drop_hint":     {"MP3, WAV, M4A, Ogg, FLAC hoặc AMR; có thể chọn nhiều tệp một lúc. Các thông tin phía trên áp dụng cho mọi tệp.", "MP3, WAV, M4A, Ogg, FLAC or AMR; several files at once. The details above apply to every file."},
	"lib.filters":       {"Lọc danh sách", "Filter the list"},
	"lib.q":             {"Từ khoá", "Words"},
	"lib.topic":         {"Chủ đề", "Topic"},
	"lib.status":        {"Trạng thái", "Status"},
	"lib.level":         {"Mức độ", "Level"},
	"lib.valid_on":      {"Còn hiệu lực ngày", "Valid on"},
	"lib.count":         {"%d bản tin", "%d items"},
	"lib.empty":         {"Không có bản tin nào phù hợp.", "No matching items."},
	"lib.title_field":   {"Tiêu đề", "Title"},
	"lib.title_hint":    {"Để trống: lấy theo tên tệp", "Empty: the file's name"},
	"lib.description":   {"Mô tả", "Description"},
	"lib.valid_from":    {"Phát từ ngày", "Airs from"},
	"lib.valid_to":      {"Đến hết ngày", "Airs until"},
	"lib.date_hint":     {"dd/mm/yyyy", "dd/mm/yyyy"},
	"lib.targets":       {"Nơi phát", "Where it airs"},
	"lib.targets_all":   {"Toàn phường", "Whole ward"},
	"lib.groups":        {"Cụm (mã, cách nhau dấu phẩy)", "Groups (ids, comma-separated)"},
	"lib.stations":      {"Trạm (mã, cách nhau dấu phẩy)", "Stations (ids, comma-separated)"},
	"lib.min_per_day":   {"Tối thiểu / ngày", "Minimum per day"},
	"lib.min_per_week":  {"Tối thiểu / tuần", "Minimum per week"},
	"lib.max_per_day":   {"Tối đa / ngày", "Maximum per day"},
	"lib.duration":      {"Thời lượng", "Duration"},
	"lib.loudness":      {"Độ lớn", "Loudness"},
	"lib.peak":          {"Đỉnh", "Peak"},
	"lib.format":        {"Định dạng", "Format"},
	"lib.created":       {"Tạo bởi %s lúc %s", "Created by %s on %s"},
	"lib.validity":      {"Hiệu lực", "Valid"},
	"lib.no_limit":      {"không giới hạn", "no limit"},
	"lib.edit":          {"Sửa", "Edit"},
	"lib.edit_title":    {"Sửa bản tin", "Edit item"},
	"lib.submit":        {"Gửi duyệt", "Submit"},
	"lib.approve":       {"Duyệt", "Approve"},
	"lib.reject":        {"Từ chối", "Reject"},
	"lib.archive":       {"Lưu trữ", "Archive"},
	"lib.restore":       {"Khôi phục", "Restore"},
	"lib.delete":        {"Xoá", "Delete"},
	"lib.comment":       {"Ý kiến", "Comment"},
	"lib.comment_hint":  {"Bắt buộc khi từ chối", "Required to reject"},
	"lib.history":       {"Lịch sử", "History"},
	"lib.listen":        {"Nghe thử", "Listen"},
	"lib.warnings":      {"Lưu ý", "Warnings"},
	"status.draft":      {"Bản nháp", "Draft"},
	"status.submitted":  {"Chờ duyệt", "Awaiting approval"},
	"status.approved":   {"Đã duyệt", "Approved"},
	"status.rejected":   {"Bị từ chối", "Rejected"},
	"status.archived":   {"Đã lưu trữ", "Archived"},
	"level.ordinary":    {"Thông thường", "Ordinary"},
	"level.priority":    {"Ưu tiên", "Priority"},
	"level.emergency":   {"Khẩn cấp", "Emergency"},
	"action.submit":     {"gửi duyệt", "submitted"},
	"action.approve":    {"duyệt", "approved"},
	"action.reject":     {"từ chối", "rejected"},
	"action.archive":    {"lưu trữ", "archived"},
	"action.restore":    {"khôi phục", "restored"},
	"action.edit":       {"sửa (gửi duyệt lại)", "edited (back to approval)"},
	"action.create":     {"tạo", "created"},
	"tts.title":         {"Soạn bản tin bằng giọng đọc máy", "Write an announcement for the speech engine"},
	"tts.hint":          {"Gõ nội dung bằng tiếng Việt; máy chủ đọc thành tệp âm thanh và lưu thành bản nháp. Số, ngày tháng và chữ viết tắt được đọc thành chữ.", "Type the text in Vietnamese; the server reads it into an audio file and saves a draft. Numbers, dates and abbreviations are read out in words."},
	"tts.text":          {"Nội dung", "Text"},
	"tts.chime":         {"Mở đầu bằng tiếng chuông", "Start with a chime"},
	"tts.submit":        {"Tạo bản tin", "Create the item"},
	"tts.spoken":        {"Máy đã đọc:", "The engine read:"},
	"js.tts_done":       {"Đã tạo bản tin số %s: %s", "Created item %s: %s"},
	"js.uploading":      {"Đang tải lên…", "Uploading…"},
	"js.analysing":      {"Đang phân tích âm thanh…", "Analysing the audio…"},
	"js.uploaded":       {"Đã tải lên: bản tin số %s, thời lượng %s, độ lớn %s LUFS", "Uploaded: item %s, duration %s, loudness %s LUFS"},
	"js.no_warnings":    {"Không có lưu ý.", "No warnings."},
	"js.network":        {"Mất kết nối tới máy chủ; hãy thử lại.", "Lost the connection to the server; try again."},
	"js.saved":          {"Đã lưu.", "Saved."},
	"js.confirm_delete": {"Xoá bản tin này?", "Delete this item?"},
	"js.refresh_list":   {"Tải lại danh sách", "Reload the list"},
	"js.online":         {"Trực tuyến", "Online"},
	"js.offline":        {"Mất kết nối", "Offline"},
	"js.live_on":        {"Cập nhật trực tiếp", "Live"},
	"js.live_off":       {"Mất kết nối cập nhật; đang thử lại…", "Live updates lost; retrying…"},

	// Schedule.
	"sched.title":            {"Lịch phát", "Schedule"},
	"sched.week":             {"Lịch tuần theo chương trình", "The week, by programme"},
	"sched.none":             {"Chưa có chương trình nào. Hãy thêm khung giờ đầu tiên bên dưới.", "No programme yet. Add the first slot below."},
	"sched.targets":          {"Phát tại", "Airs at"},
	"sched.all":              {"toàn phường", "the whole ward"},
	"sched.groups":           {"cụm %s", "groups %s"},
	"sched.stations":         {"trạm %s", "stations %s"},
	"sched.oneoff":           {"Khung giờ một lần", "One-off slots"},
	"sched.exceptions":       {"Ngày nghỉ, huỷ phát", "Holidays and cancellations"},
	"sched.exc_all":          {"cả chương trình", "the whole programme"},
	"sched.slot_form":        {"Thêm hoặc sửa khung giờ", "Add or edit a slot"},
	"sched.exc_form":         {"Thêm ngày nghỉ / huỷ phát", "Add a holiday or cancellation"},
	"sched.programme":        {"Chương trình", "Programme"},
	"sched.name":             {"Tên chương trình", "Programme name"},
	"sched.slot_id":          {"Mã khung giờ", "Slot id"},
	"sched.kind":             {"Loại khung giờ", "Kind"},
	"kind.announcements":     {"Thông báo", "Announcements"},
	"kind.column":            {"Chuyên mục", "Column"},
	"kind.relay":             {"Tiếp sóng", "Relay"},
	"sched.days":             {"Các ngày trong tuần", "Days of the week"},
	"sched.start":            {"Giờ bắt đầu (HH:MM)", "Start (HH:MM)"},
	"sched.minutes":          {"Thời lượng (phút)", "Length (minutes)"},
	"sched.topics":           {"Chủ đề (chuyên mục)", "Topics (column)"},
	"sched.url":              {"Địa chỉ luồng tiếp sóng", "Relay stream URL"},
	"sched.date":             {"Ngày (khung giờ một lần)", "Date (one-off slot)"},
	"sched.from":             {"Áp dụng từ ngày", "From"},
	"sched.to":               {"Đến ngày", "Until"},
	"sched.exc_date":         {"Ngày", "Date"},
	"sched.exc_slots":        {"Mã khung giờ bị huỷ", "Slot ids cancelled"},
	"sched.exc_slots_hint":   {"Cách nhau dấu phẩy; để trống: huỷ cả chương trình ngày đó", "Comma-separated; empty: the whole programme that day"},
	"sched.note":             {"Ghi chú", "Note"},
	"sched.delete_slot":      {"Xoá khung giờ", "Delete slot"},
	"sched.edit_slot":        {"Sửa", "Edit"},
	"sched.day":              {"Lịch phát một ngày của trạm", "A station's day"},
	"sched.show":             {"Xem", "Show"},
	"sched.no_playlist":      {"Chưa có lịch phát của trạm này cho ngày đã chọn.", "No playlist for this station and day yet."},
	"sched.version":          {"Phiên bản %d, lập lúc %s, múi giờ %s", "Version %d, built %s, zone %s"},
	"sched.time":             {"Giờ phát", "Time"},
	"sched.item":             {"Bản tin", "Item"},
	"sched.reason":           {"Lý do", "Reason"},
	"sched.left":             {"Bản tin không được xếp và lý do", "Items left out, and why"},
	"sched.timeline":         {"Dòng thời gian 24 giờ", "24-hour timeline"},
	"sched.rebuild":          {"Lập lại lịch phát", "Rebuild playlists"},
	"js.confirm_delete_slot": {"Xoá khung giờ này?", "Delete this slot?"},
	"js.required":            {"Trường này là bắt buộc", "This field is required"},
	"js.bad_time":            {"Giờ không hợp lệ; hãy viết HH:MM, ví dụ 06:30", "Invalid time; write HH:MM, e.g. 06:30"},
	"js.no_such_slot":        {"Chương trình không có khung giờ này", "The programme has no such slot"},
	"js.rebuild_sent":        {"Đã yêu cầu lập lại lịch phát.", "Rebuild requested."},
	"wd.mon":                 {"Thứ Hai", "Monday"},
	"wd.tue":                 {"Thứ Ba", "Tuesday"},
	"wd.wed":                 {"Thứ Tư", "Wednesday"},
	"wd.thu":                 {"Thứ Năm", "Thursday"},
	"wd.fri":                 {"Thứ Sáu", "Friday"},
	"wd.sat":                 {"Thứ Bảy", "Saturday"},
	"wd.sun":                 {"Chủ nhật", "Sunday"},

	// Schedule rules and name pickers (issue 17 items 1 and 4).
	"sched.rules":                    {"Quy định lập lịch", "Scheduling rules"},
	"sched.rules_gap":                {"Khoảng cách tối thiểu giữa hai lần phát một bản tin: %s.", "Least time between two plays of one item: %s."},
	"sched.rules_gap_why":            {"Một bản tin không được phát lại trước khi hết khoảng cách này, kể cả ở khung giờ khác; khung giờ có thể còn trống vì quy định này.", "An item is not played again before this time has passed, in any slot; a slot may stay partly empty because of it."},
	"sched.rules_minutes":            {"Khoảng cách tối thiểu (phút)", "Minimum gap (minutes)"},
	"sched.rules_hint":               {"Từ 0 đến 1440 phút (24 giờ); 0: không giới hạn. Áp dụng từ lần lập lịch kế tiếp.", "0 to 1440 minutes (24 hours); 0: no gap. Applies from the next build."},
	"sched.rules_link":               {"Xem, đổi quy định này", "See or change this rule"},
	"sched.slot_left":                {"Khung giờ «%s» còn chỗ trống", "Slot «%s» had time left"},
	"js.rules_saved":                 {"Đã lưu: khoảng cách tối thiểu giữa hai lần phát là %s; lịch phát đang được lập lại.", "Saved: the minimum gap between two plays is %s; the playlists are being rebuilt."},
	"audit.action.schedule.rules":    {"Đổi quy định lập lịch", "Scheduling rules changed"},
	"audit.field.separation_minutes": {"Khoảng cách tối thiểu giữa hai lần phát (phút)", "Minimum gap between plays (minutes)"},
	"sched.programme_new":            {"+ Chương trình mới (gõ tên bên cạnh)", "+ New programme (type its name alongside)"},
	"sched.programme_pick_hint":      {"Chọn chương trình theo tên; chương trình mới: chọn «Chương trình mới» rồi gõ tên.", "Pick a programme by name; for a new one pick «New programme» and type its name."},
	"sched.name_new_hint":            {"Tên của chương trình đã chọn (sửa để đổi tên); chương trình mới: bắt buộc.", "The chosen programme's name (edit to rename); a new programme: required."},
	"sched.station_pick":             {"Trạm", "Station"},
	"sched.slot_id_hint":             {"Không bắt buộc: để trống thì tự tạo từ giờ bắt đầu (s0600)", "Optional: left empty, it is made from the start time (s0600)"},

	// Stations.
	"st.list":                   {"Danh sách trạm", "Stations"},
	"st.none":                   {"Chưa có trạm nào. Hãy thêm trạm đầu tiên bên dưới.", "No stations yet. Add the first one below."},
	"st.id":                     {"Mã trạm", "Station id"},
	"st.id_hint":                {"Tự tạo từ tên trạm (Tổ dân phố 5 → to-dan-pho-5); kỹ thuật viên có thể sửa", "Made from the name (Tổ dân phố 5 → to-dan-pho-5); a technician may edit it"},
	"st.name":                   {"Tên trạm", "Name"},
	"st.groups":                 {"Cụm", "Groups"},
	"st.groups_hint":            {"Mã cụm, cách nhau dấu phẩy", "Group ids, comma-separated"},
	"st.zone":                   {"Múi giờ", "Time zone"},
	"st.volume":                 {"Âm lượng (0–100)", "Volume (0–100)"},
	"st.enabled":                {"Đang sử dụng", "In use"},
	"st.status":                 {"Trạng thái", "Status"},
	"st.last_seen":              {"Liên lạc lần cuối", "Last seen"},
	"st.now_playing":            {"Đang phát", "Now playing"},
	"st.playing":                {"Đang phát «%s»", "Playing “%s”"},
	"st.playing_since":          {"Đang phát «%s» từ %s", "Playing “%s” since %s"},
	"st.waiting_for":            {"Chờ phát «%s» lúc %s", "Waiting to play “%s” at %s"},
	"st.faults":                 {"Lỗi", "Faults"},
	"st.token":                  {"Mã bí mật", "Token"},
	"st.has_token":              {"đã cấp %s", "issued %s"},
	"st.no_token":               {"đã thu hồi", "revoked"},
	"st.add":                    {"Thêm trạm", "Add a station"},
	"st.edit":                   {"Sửa trạm", "Edit station"},
	"st.rotate":                 {"Cấp mã mới", "New token"},
	"st.revoke":                 {"Thu hồi mã", "Revoke token"},
	"st.delete":                 {"Xoá trạm", "Delete station"},
	"st.token_title":            {"Mã bí mật của trạm %s", "Token of station %s"},
	"st.token_once":             {"Mã này chỉ hiện một lần. Hãy sao chép cấu hình dưới đây vào tệp /etc/loa-agent.env trên máy tính của trạm, rồi khởi động lại loa-agent.", "This token is shown only once. Copy the configuration below into /etc/loa-agent.env on the station's computer, then restart loa-agent."},
	"st.copy":                   {"Sao chép", "Copy"},
	"st.groups_title":           {"Cụm trạm", "Groups"},
	"st.group_id":               {"Mã cụm", "Group id"},
	"st.group_name":             {"Tên cụm", "Group name"},
	"st.group_add":              {"Thêm hoặc đổi tên cụm", "Add or rename a group"},
	"st.online_count":           {"Trực tuyến", "Online"},
	"st.offline_count":          {"Mất kết nối", "Offline"},
	"js.copied":                 {"Đã sao chép.", "Copied."},
	"js.confirm_revoke":         {"Thu hồi mã? Trạm sẽ bị ngắt kết nối cho tới khi được cấp mã mới.", "Revoke the token? The station is cut off until it gets a new one."},
	"js.confirm_rotate":         {"Cấp mã mới? Mã cũ hết hiệu lực ngay.", "Issue a new token? The old one stops working at once."},
	"js.confirm_delete_station": {"Xoá trạm này?", "Delete this station?"},

	// Emergency.
	// Live broadcast (live_page.go, onair.js).
	"oa.title":                {"Phát trực tiếp", "Live broadcast"},
	"oa.intro":                {"Nói vào micrô của máy tính: các trạm đã chọn phát ngay, ngắt chương trình đang phát, rồi trở lại lịch phát khi kết thúc. Bản ghi được lưu vào thư viện và báo cáo.", "Speak into the computer's microphone: the chosen stations play it at once, interrupting what they play, and return to the schedule when it ends. The recording is kept in the library and the reports."},
	"oa.title_field":          {"Tiêu đề", "Title"},
	"oa.max":                  {"Dài tối đa (phút)", "Longest (minutes)"},
	"oa.start":                {"Bắt đầu phát trực tiếp", "Start the live broadcast"},
	"oa.stop":                 {"Kết thúc", "Stop"},
	"oa.on_air":               {"Trên sóng", "On air"},
	"oa.idle":                 {"Chưa phát.", "Not on air."},
	"oa.level":                {"Mức âm", "Level"},
	"oa.elapsed":              {"Thời gian", "Elapsed"},
	"js.oa_idle":              {"Chưa phát.", "Not on air."},
	"js.oa_mic":               {"Đang xin quyền dùng micrô…", "Asking for the microphone…"},
	"js.oa_no_mic":            {"Không dùng được micrô (%s); hãy cho phép trang dùng micrô rồi thử lại.", "The microphone is not available (%s); allow this page to use it and try again."},
	"js.oa_connecting":        {"Đang kết nối tới các trạm…", "Reaching the stations…"},
	"js.oa_on":                {"Đang phát trực tiếp tới %s trạm.", "On air at %s stations."},
	"js.oa_stopping":          {"Đang kết thúc và lưu bản ghi…", "Ending and storing the recording…"},
	"js.oa_saved":             {"Đã kết thúc; bản ghi được lưu thành bản tin số %s.", "Ended; the recording is library item %s."},
	"js.oa_ended":             {"Đã kết thúc; không có bản ghi nào được lưu.", "Ended; no recording was stored."},
	"js.oa_err_text":          {"Trình duyệt gửi dữ liệu sai loại; buổi phát bị dừng, không lưu bản ghi.", "The browser sent the wrong kind of data; the broadcast was stopped and nothing stored."},
	"js.oa_err_frame":         {"Âm thanh gửi lên bị hỏng; buổi phát bị dừng, không lưu bản ghi.", "The audio sent was damaged; the broadcast was stopped and nothing stored."},
	"js.oa_err_big":           {"Khối âm thanh quá lớn; buổi phát bị dừng, không lưu bản ghi.", "An audio block was too large; the broadcast was stopped and nothing stored."},
	"js.oa_err_failed":        {"Máy chủ không phát hoặc không lưu được buổi phát này.", "The server could not broadcast or store this broadcast."},
	"js.oa_err_long":          {"Đã hết thời lượng tối đa; bản ghi đã được lưu.", "The maximum length was reached; the recording was stored."},
	"audit.action.live.open":  {"Mở phát trực tiếp", "Opened a live broadcast"},
	"audit.action.live.start": {"Bắt đầu phát trực tiếp", "Started a live broadcast"},
	"audit.action.live.stop":  {"Yêu cầu dừng phát trực tiếp", "Asked a live broadcast to stop"},
	"audit.action.live.end":   {"Kết thúc phát trực tiếp", "A live broadcast ended"},

	"em.title":           {"Phát khẩn cấp", "Emergency broadcast"},
	"em.item":            {"Bản tin", "Item"},
	"em.item_hint":       {"Chỉ bản tin đã duyệt; bản tin mức khẩn cấp được liệt kê trước", "Approved items only; emergency items first"},
	"em.targets":         {"Phát tới", "Send to"},
	"em.all":             {"Tất cả các trạm", "Every station"},
	"em.repeat":          {"Số lần phát", "Times to play"},
	"em.send":            {"Phát khẩn cấp…", "Broadcast…"},
	"em.confirm_title":   {"Xác nhận phát khẩn cấp", "Confirm the emergency broadcast"},
	"em.confirm_text":    {"Bản tin sẽ được phát ngay, ngắt chương trình đang phát tại các trạm đã chọn.", "The item plays at once, interrupting what the chosen stations are playing."},
	"em.confirm":         {"Phát ngay", "Broadcast now"},
	"em.progress":        {"Tiến trình", "Progress"},
	"em.stop":            {"Dừng phát khẩn cấp", "Stop the emergency broadcast"},
	"em.no_items":        {"Chưa có bản tin đã duyệt nào.", "No approved items yet."},
	"em.state":           {"Tình trạng", "State"},
	"state.queued":       {"Chờ trạm kết nối", "Waiting for the station"},
	"state.sent":         {"Đã gửi", "Sent"},
	"state.delivered":    {"Trạm đã nhận", "Delivered"},
	"state.playing":      {"Đang phát", "Playing"},
	"state.done":         {"Đã phát xong", "Aired"},
	"state.failed":       {"Lỗi", "Failed"},
	"state.expired":      {"Hết hạn, chưa gửi được", "Expired undelivered"},
	"js.state.queued":    {"Chờ trạm kết nối", "Waiting for the station"},
	"js.state.sent":      {"Đã gửi", "Sent"},
	"js.state.delivered": {"Trạm đã nhận", "Delivered"},
	"js.state.playing":   {"Đang phát", "Playing"},
	"js.state.done":      {"Đã phát xong", "Aired"},
	"js.state.failed":    {"Lỗi", "Failed"},
	"js.state.expired":   {"Hết hạn, chưa gửi được", "Expired undelivered"},
	"js.em_sent":         {"Đã gửi lệnh tới %s trạm.", "Command sent to %s stations."},
	"js.em_stopped":      {"Đã gửi lệnh dừng.", "Stop sent."},

	// Reports.
	"rep.title":            {"Báo cáo", "Reports"},
	"rep.period":           {"Kỳ báo cáo", "Period"},
	"rep.from":             {"Hoặc từ ngày", "Or from"},
	"rep.to":               {"Đến ngày", "To"},
	"rep.bad_period":       {"Kỳ báo cáo không hợp lệ; chọn một kỳ hoặc nhập từ ngày – đến ngày (dd/mm/yyyy)", "Invalid period; pick one or type from and to (dd/mm/yyyy)"},
	"rep.heading":          {"%s — %s", "%s — %s"},
	"rep.generated":        {"Lập lúc %s; so sánh với %s", "Generated %s; compared with %s"},
	"rep.xlsx":             {"Tải Excel (XLSX)", "Download Excel (XLSX)"},
	"rep.csv":              {"Tải CSV", "Download CSV"},
	"rep.a4":               {"Bản in A4", "A4 print version"},
	"rep.print":            {"In trang này", "Print this page"},
	"rep.plays":            {"Lượt phát", "Plays"},
	"rep.airtime":          {"Thời lượng phát", "Airtime"},
	"rep.distinct":         {"Số bản tin", "Distinct items"},
	"rep.cchc":             {"Tỷ lệ CCHC", "CCHC share"},
	"rep.compliance":       {"Tỷ lệ thực hiện", "Compliance"},
	"rep.prev_compliance":  {"Kỳ trước", "Previous"},
	"rep.planned_aired":    {"%d theo kế hoạch, %d đã phát", "%d planned, %d aired"},
	"rep.emergency":        {"Phát khẩn cấp", "Emergency broadcasts"},
	"rep.prev":             {"Kỳ trước", "Previous period"},
	"rep.prev_airtime":     {"Thời lượng kỳ trước", "Previous airtime"},
	"rep.share":            {"Tỷ lệ", "Share"},
	"rep.by_topic":         {"Theo chủ đề", "By topic"},
	"rep.by_kind":          {"Theo loại phát sóng", "By kind"},
	"rep.kind":             {"Loại phát sóng", "Kind"},
	"rep.kind_plays":       {"Lượt phát (kể cả khẩn cấp)", "Plays (emergency included)"},
	"rep.by_month":         {"Theo tháng", "By month"},
	"rep.by_station":       {"Theo trạm: kế hoạch và thực hiện", "By station: planned and aired"},
	"rep.by_group":         {"Theo cụm", "By group"},
	"rep.by_item":          {"Theo bản tin", "By item"},
	"rep.planned":          {"Kế hoạch", "Planned"},
	"rep.aired":            {"Đã phát", "Aired"},
	"rep.missed":           {"Bỏ lỡ", "Missed"},
	"rep.stations_reached": {"Số trạm", "Stations"},
	"rep.problems":         {"Bản tin bỏ lỡ hoặc lỗi", "Missed and failed items"},
	"rep.status.missed":    {"Bỏ lỡ (không phát được)", "Missed (never started)"},
	"rep.status.failed":    {"Lỗi khi phát", "Failed"},
	"rep.nothing":          {"Không có số liệu trong kỳ.", "Nothing in this period."},

	// Users.
	"users.title":         {"Người dùng", "Users"},
	"users.add":           {"Thêm người dùng", "Add a user"},
	"users.name":          {"Tên đăng nhập", "User name"},
	"users.name_hint":     {"Chữ thường không dấu, số, dấu chấm, gạch ngang", "Lower-case letters, digits, dots, dashes"},
	"users.display_name":  {"Họ và tên", "Full name"},
	"users.role":          {"Vai trò", "Role"},
	"users.groups":        {"Giới hạn theo cụm", "Limited to groups"},
	"users.groups_hint":   {"Mã cụm, cách nhau dấu phẩy; để trống: toàn phường", "Group ids, comma-separated; empty: the whole ward"},
	"users.password":      {"Mật khẩu", "Password"},
	"users.password_new":  {"Mật khẩu mới", "New password"},
	"users.password_hint": {"Ít nhất 8 ký tự; để trống nếu không đổi", "At least 8 characters; empty to keep it"},
	"users.disabled":      {"Đã khoá", "Disabled"},
	"users.active":        {"Đang hoạt động", "Active"},
	"users.disable":       {"Khoá tài khoản", "Disable the account"},
	"users.created":       {"Ngày tạo", "Created"},
	"users.state":         {"Tình trạng", "State"},
	"users.edit":          {"Sửa người dùng", "Edit user"},

	// One's own account (page_account.go).
	"acct.title":         {"Tài khoản của tôi", "My account"},
	"acct.sessions":      {"Phiên đăng nhập", "Sessions"},
	"acct.sessions_hint": {"Những nơi tài khoản của bạn đang đăng nhập. Thấy một phiên lạ: hãy kết thúc nó rồi đổi mật khẩu.", "Where your account is signed in. A session you do not know: end it, then change your password."},
	"acct.started":       {"Đăng nhập lúc", "Signed in"},
	"acct.from":          {"Từ địa chỉ", "From"},
	"acct.browser":       {"Trình duyệt", "Browser"},
	"acct.until":         {"Hết hạn lúc", "Expires"},
	"acct.this":          {"Phiên này", "This session"},
	"acct.end":           {"Kết thúc phiên", "End the session"},
	"acct.ended":         {"Đã kết thúc phiên đăng nhập", "The session has ended"},
	"acct.password":      {"Đổi mật khẩu", "Change the password"},
	"acct.current":       {"Mật khẩu hiện tại", "Current password"},
	"acct.new_hint":      {"Ít nhất 8 ký tự. Các phiên đăng nhập khác của bạn sẽ kết thúc.", "At least 8 characters. Your other sessions will end."},
	"acct.password_done": {"Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc", "The password is changed; your other sessions have ended"},

	// A person's sessions on the users page (page_users.go).
	"users.sessions":             {"%d phiên", "%d"},
	"users.sessions_end":         {"Kết thúc tất cả", "End them all"},
	"users.sessions_end_confirm": {"Kết thúc mọi phiên đăng nhập của %s? Người đó sẽ phải đăng nhập lại.", "End every session of %s? They will have to sign in again."},
	"users.sessions_ended":       {"Đã kết thúc mọi phiên đăng nhập của %s", "Every session of %s has ended"},

	// Approving one's own items (approval_settings.go).
	"appr.title":         {"Tự duyệt bản tin", "Approving one's own items"},
	"appr.hint":          {"Lãnh đạo duyệt có được duyệt bản tin do chính mình tải lên, sửa hoặc gửi duyệt hay không. Ai làm gì đều ghi trong nhật ký thao tác.", "Whether an approver may approve an item they uploaded, edited or submitted themselves. Who did what is in the audit log."},
	"appr.rule":          {"Quy định", "Rule"},
	"appr.auto":          {"Tự động: không được tự duyệt khi phường có từ hai người duyệt trở lên (mặc định)", "Automatic: not allowed once the ward has two or more approvers (the default)"},
	"appr.forbidden":     {"Không bao giờ được tự duyệt", "Never allowed"},
	"appr.allowed":       {"Luôn được tự duyệt", "Always allowed"},
	"appr.now_forbidden": {"Hiện nay: không ai được duyệt bản tin của chính mình.", "Now: nobody may approve their own items."},
	"appr.now_allowed":   {"Hiện nay: người duyệt được duyệt bản tin của chính mình.", "Now: approvers may approve their own items."},
	"appr.approvers":     {"Phường có %d người có quyền duyệt.", "The ward has %d people who can approve."},
	"appr.done":          {"Đã lưu quy định tự duyệt", "The self-approval rule is saved"},

	// Audit.
	"audit.title":                  {"Nhật ký thao tác", "Audit log"},
	"audit.when":                   {"Thời gian", "When"},
	"audit.who":                    {"Người thực hiện", "Who"},
	"audit.what":                   {"Thao tác", "What"},
	"audit.object":                 {"Đối tượng", "Object"},
	"audit.change":                 {"Nội dung thay đổi", "Change"},
	"audit.details":                {"Xem", "Show"},
	"audit.before":                 {"Trước", "Before"},
	"audit.after":                  {"Sau", "After"},
	"audit.action.segment.create":  {"Tải lên bản tin", "Item uploaded"},
	"audit.action.segment.edit":    {"Sửa bản tin", "Item edited"},
	"audit.action.segment.delete":  {"Xoá bản tin", "Item deleted"},
	"audit.action.segment.submit":  {"Gửi duyệt bản tin", "Item submitted"},
	"audit.action.segment.approve": {"Duyệt bản tin", "Item approved"},
	"audit.action.segment.reject":  {"Từ chối bản tin", "Item rejected"},
	"audit.action.segment.archive": {"Lưu trữ bản tin", "Item archived"},
	"audit.action.segment.restore": {"Khôi phục bản tin", "Item restored"},
	"audit.action.topic.put":       {"Sửa chủ đề", "Topic changed"},
	"audit.action.user.create":     {"Tạo tài khoản", "Account created"},
	"audit.action.user.edit":       {"Sửa tài khoản", "Account changed"},
	"audit.action.backup.download": {"Tải bản sao lưu", "Backup downloaded"},
	"audit.empty":                  {"Chưa có thao tác nào.", "Nothing recorded yet."},

	// Pages that wait for their API.
	"pending.title": {"Chức năng đang được xây dựng", "Being built"},
	"pending.text":  {"Máy chủ chưa cung cấp dữ liệu cho trang này.", "The server does not provide this page's data yet."},
}

// T returns the text of key in lang, filled with args. An unknown key is
// shown as itself so that a missing text is visible, not blank.
func T(lang, key string, args ...any) string {
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	text := m.vi
	if lang == "en" {
		text = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

// AuditAction words an audit action; one without a text shows its code.
func (p pageData) AuditAction(action string) string {
	if _, ok := catalogue["audit.action."+action]; ok {
		return p.T("audit.action." + action)
	}
	return action
}

// jsMessages is the part of the catalogue app.js uses, in lang.
func jsMessages(lang string) map[string]string {
	out := map[string]string{}
	for k := range catalogue {
		if strings.HasPrefix(k, "js.") {
			out[strings.TrimPrefix(k, "js.")] = T(lang, k)
		}
	}
	return out
}

// setLang remembers the language a person chose for a year and sends them
// back to the page they were on.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	l := r.PathValue("lang")
	if l != "vi" && l != "en" {
		return errNotFound
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}

// localPath keeps a redirect target on this server: anything that is not
// a clean absolute path here becomes "/". Browsers drop tabs and line
// breaks from a URL and read "\\" as "/", so "/\t/evil.example" would
// leave the site: a target with any control character or backslash is
// refused whole, as is one that names a scheme or a host.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "/"
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' || unicode.IsSpace(c) {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return p
}
