package web

import "maps"

// reportTexts are the texts of the report, aired-log and report-settings
// pages, merged into the catalogue when the package loads.
var reportTexts = map[string]message{
	"rep.due_aired":      {"%d đến giờ, %d đã lên sóng; %d chưa tới giờ", "%d due, %d went on air; %d not yet due"},
	"rep.settings_unset": {"Chưa đặt tên phường, phòng ban hoặc người ký cho bản báo cáo in.", "The ward, office or signer of the printed report is not set."},
	"rep.settings_link":  {"Đặt trong Cài đặt báo cáo", "Set them in Report settings"},
	"rep.docx":           {"Tải Word (DOCX)", "Download Word (DOCX)"},
	"rep.airlog":         {"Nhật ký phát sóng", "Aired log"},
	"log.title":          {"Nhật ký phát sóng", "Aired log"},
	"log.heading":        {"Nhật ký phát sóng — %s", "Aired log — %s"},
	"log.day":            {"ngày %s", "%s"},
	"log.date":           {"Ngày", "Day"},
	"log.station":        {"Trạm", "Station"},
	"log.group":          {"Cụm, khu vực", "Group or area"},
	"log.status":         {"Kết quả", "Outcome"},
	"log.all":            {"Tất cả", "All"},
	"log.on_air":         {"Đã lên sóng", "Went on air"},
	"log.planned":        {"Giờ dự kiến", "Planned"},
	"log.started":        {"Bắt đầu", "Started"},
	"log.ended":          {"Kết thúc", "Ended"},
	"log.played":         {"Đã phát / dự kiến", "Played / planned"},
	"log.timeline":       {"Kế hoạch (trên) và thực tế phát (dưới) theo trạm", "Planned (above) and aired (below), by station"},
	"log.now_mark":       {"Bây giờ", "Now"},
	"log.now":            {"Bây giờ: %s", "Now: %s"},
	"log.nothing":        {"Không có bản tin nào khớp bộ lọc.", "No item matches the filters."},
	"log.more":           {"… và %d dòng nữa: tải tệp Excel hoặc CSV để xem đủ.", "… and %d more rows: download the Excel or CSV file for all of them."},
	"log.too_long":       {"Nhật ký phát sóng chỉ xem được tối đa 92 ngày một lần; hãy chọn khoảng ngắn hơn.", "The aired log covers at most 92 days at a time; pick a shorter range."},
	"log.kind.relay":     {"Tiếp sóng", "Relay"},
	"log.kind.live":      {"Phát trực tiếp", "Live"},
	"rset.title":         {"Cài đặt báo cáo", "Report settings"},
	"rset.intro":         {"Bản báo cáo in theo thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP) ghi các thông tin dưới đây.", "The printed report, in the administrative form (Decree 30/2020/NĐ-CP), shows what is set here."},
	"rset.ward":          {"Tên phường, xã", "Ward or commune"},
	"rset.office":        {"Cơ quan ban hành", "Issuing office"},
	"rset.place":         {"Địa danh (ghi trước ngày tháng)", "Place (written before the date)"},
	"rset.symbol":        {"Ký hiệu văn bản (Số: …/ký hiệu)", "Document symbol (No. …/symbol)"},
	"rset.signer_title":  {"Chức vụ người ký", "Signer's title"},
	"rset.signer_name":   {"Họ và tên người ký", "Signer's full name"},
	"rset.recipients":    {"Nơi nhận (mỗi nơi một dòng)", "Recipients (one a line)"},
	"rset.save":          {"Lưu cài đặt", "Save settings"},
}

func init() { maps.Copy(catalogue, reportTexts) }
