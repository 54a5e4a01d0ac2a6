package report

// labels words every header and heading, Vietnamese first, then English.
// Statuses use the ledger's and the reconciliation's codes as keys.
var labels = map[string][2]string{
	"report_title":      {"BÁO CÁO KẾT QUẢ PHÁT THANH TRÊN HỆ THỐNG TRUYỀN THANH CƠ SỞ", "AIRTIME REPORT OF THE WARD LOUDSPEAKER NETWORK"},
	"ward":              {"Đơn vị", "Ward"},
	"period":            {"Kỳ báo cáo", "Period"},
	"previous":          {"Kỳ trước", "Previous period"},
	"generated":         {"Thời điểm lập", "Generated"},
	"zone_note":         {"Giờ Việt Nam (Asia/Ho_Chi_Minh)", "Vietnam time (Asia/Ho_Chi_Minh)"},
	"sheet_totals":      {"Tổng hợp", "Summary"},
	"sheet_topics":      {"Theo chủ đề", "By topic"},
	"sheet_stations":    {"Theo trạm", "By station"},
	"sheet_groups":      {"Theo cụm", "By group"},
	"sheet_items":       {"Theo bản tin", "By item"},
	"sheet_months":      {"Theo tháng", "By month"},
	"sheet_problems":    {"Bỏ lỡ và lỗi phát", "Missed and failed"},
	"indicator":         {"Chỉ tiêu", "Indicator"},
	"plays":             {"Số lượt phát", "Plays"},
	"distinct_items":    {"Số bản tin khác nhau", "Distinct items"},
	"airtime":           {"Thời lượng phát", "Airtime"},
	"cchc_airtime":      {"Thời lượng chủ đề CCHC", "Administrative-reform airtime"},
	"cchc_share":        {"Tỷ lệ thời lượng CCHC", "Administrative-reform share"},
	"emergency":         {"Số lượt phát khẩn cấp", "Emergency broadcasts"},
	"emergency_airtime": {"Thời lượng phát khẩn cấp", "Emergency airtime"},
	"planned":           {"Kế hoạch", "Planned"},
	"aired":             {"Phát đúng giờ", "Aired on time"},
	"late":              {"Phát trễ", "Aired late"},
	"partial":           {"Phát không trọn vẹn", "Partial"},
	"interrupted":       {"Bị ngắt do phát khẩn cấp", "Interrupted by emergency"},
	"failed":            {"Lỗi phát", "Failed"},
	"missed":            {"Bỏ lỡ (không phát được)", "Missed (never started)"}, // the reason column says why
	"overdue":           {"Quá giờ chưa báo cáo", "Overdue, not reported"},
	"future":            {"Chưa tới giờ", "Not yet due"},
	"on_air":            {"Đã lên sóng", "Went on air"},
	"emergency_status":  {"Phát khẩn cấp", "Emergency"},
	"compliance":        {"Tỷ lệ thực hiện", "Compliance"},
	"no":                {"STT", "No."},
	"topic":             {"Chủ đề", "Topic"},
	"cchc":              {"CCHC", "Admin. reform"},
	"share":             {"Tỷ lệ thời lượng", "Share of airtime"},
	"prev_plays":        {"Lượt phát kỳ trước", "Plays, previous"},
	"prev_airtime":      {"Thời lượng kỳ trước", "Airtime, previous"},
	"prev_planned":      {"Kế hoạch kỳ trước", "Planned, previous"},
	"prev_compliance":   {"Tỷ lệ kỳ trước", "Compliance, previous"},
	"station_id":        {"Mã trạm", "Station id"},
	"station":           {"Trạm", "Station"},
	"group_id":          {"Mã cụm", "Group id"},
	"group":             {"Cụm", "Group"},
	"item_id":           {"Mã bản tin", "Item id"},
	"title":             {"Tiêu đề (khi phát)", "Title (as aired)"},
	"stations_reached":  {"Số trạm đã phát", "Stations reached"},
	"month":             {"Tháng", "Month"},
	"planned_at":        {"Giờ phát dự kiến", "Planned at"},
	"status":            {"Tình trạng", "Status"},
	"reason":            {"Lý do", "Reason"},
	"total":             {"Tổng cộng", "Total"},
	"none":              {"Không có", "None"},
	"more_rows":         {"… và %d dòng nữa (xem tệp Excel)", "… and %d more rows (see the Excel file)"},
	"chart_topics":      {"Thời lượng phát theo chủ đề", "Airtime by topic"},
	"chart_months":      {"Thời lượng phát theo tháng", "Airtime by month"},
	"chart_stations":    {"Tỷ lệ thực hiện kế hoạch theo trạm", "Compliance by station"},
	"hours":             {"giờ", "hours"},
	"signoff_maker":     {"NGƯỜI LẬP BIỂU", "PREPARED BY"},
	"signoff_leader":    {"LÃNH ĐẠO KÝ DUYỆT", "APPROVED BY"},
	"signoff_hint":      {"(Ký, ghi rõ họ tên)", "(Signature and full name)"},
	"signoff_place":     {"ngày %s", "on %s"},
	"country":           {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"},
	"motto":             {"Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"},
	"people_committee":  {"UBND", "People's Committee of"},
	"doc_number":        {"Số:        /%s", "No.:        /%s"},
	"doc_type":          {"BÁO CÁO", "REPORT"},
	"doc_subject":       {"Kết quả công tác thông tin, tuyên truyền cải cách hành chính trên hệ thống truyền thanh cơ sở", "Results of administrative-reform information on the ward loudspeaker network,"},
	"charts":            {"Biểu đồ", "Charts"},
	"recipients":        {"Nơi nhận:", "Recipients:"},
	"recipient_archive": {"Lưu: VT.", "File copy."},
	"settings_unset":    {"Chưa đặt tên phường, phòng ban hoặc người ký: quản trị viên đặt trong Cài đặt báo cáo (dòng này không in ra).", "The ward, office or signer is not set: an administrator sets them in Report settings (this line does not print)."},
	"late_margin":       {"Trễ quá %d giây được tính là phát trễ.", "A start more than %d s late counts as late."},
}

// label returns the text of key in lang ("en" or Vietnamese), or the key
// itself when it has none.
func label(lang, key string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}
