package report

// reasons words the codes stations give for an item that was missed, cut
// short or failed (the agent's Reason constants), Vietnamese first, then
// English. A code not listed here (an older or newer agent's, or free text)
// is shown as it is.
var reasons = map[string][2]string{
	"agent_not_running": {"Phần mềm phát tại trạm không chạy khi đến giờ phát", "The station's player was not running at the planned time"},
	"late":              {"Đến giờ phát, trạm vẫn đang phát bản tin trước", "The station was still playing the previous item at the planned time"},
	"emergency":         {"Bị ngắt hoặc bỏ qua do phát khẩn cấp", "Cut or skipped by an emergency broadcast"},
	"emergency_stopped": {"Dừng theo lệnh dừng phát khẩn cấp", "Stopped by an emergency stop command"},
	"audio_missing":     {"Trạm không có tệp âm thanh của bản tin", "The station did not have the item's audio file"},
	"output_stalled":    {"Thiết bị âm thanh của trạm ngừng phát (treo)", "The station's sound output stalled"},
	"output_error":      {"Lỗi thiết bị âm thanh của trạm", "The station's sound output failed"},
	"relay_unsupported": {"Trạm không hỗ trợ tiếp sóng", "The station cannot play relays"},
	"agent_restarted":   {"Phần mềm phát tại trạm khởi động lại giữa chừng", "The station's player restarted during the item"},
	"relay_no_stream":   {"Không nhận được luồng tiếp sóng", "The relayed stream never came"},
	"relay_bad_stream":  {"Địa chỉ tiếp sóng không trả về luồng MP3", "The relay address did not answer with an MP3 stream"},
	"relay_lost":        {"Mất kết nối luồng tiếp sóng quá lâu", "The relayed stream was down too long"},
	"relay_dead_air":    {"Luồng tiếp sóng im lặng quá lâu", "The relayed stream stayed silent too long"},
	"relay_fallback":    {"Phát thay cho tiếp sóng bị lỗi", "Played in place of a failed relay"},
	"live":              {"Bị ngắt hoặc bỏ qua do phát trực tiếp", "Cut or skipped by a live broadcast"},
	"live_stream":       {"Trạm không mở được luồng phát trực tiếp", "The station could not open the live stream"},
	"live_lost":         {"Luồng phát trực tiếp bị ngắt giữa chừng", "The live stream broke off before its end"},
	"decode_error":      {"Tệp âm thanh bị hỏng, không giải mã được", "The audio file is damaged and could not be decoded"},
}

// serverReasons word the server's own codes for an aired event it does not
// count (ledger.Unplanned*), apart from the agent's.
var serverReasons = map[string][2]string{
	"not_sent":         {"Trạm báo đã phát một nội dung máy chủ chưa từng gửi (không tính vào số liệu)", "The station reported airing something it was never sent (not counted)"},
	"implausible_time": {"Thời điểm trạm báo cáo không hợp lý (không tính vào số liệu)", "The station reported implausible times (not counted)"},
}

// reasonText words reason code in lang ("en" or Vietnamese); an unknown
// code comes back as it is, and no code as "".
func reasonText(lang, code string) string {
	r, ok := reasons[code]
	if !ok {
		r, ok = serverReasons[code]
	}
	switch {
	case !ok:
		return code
	case lang == "en":
		return r[1]
	default:
		return r[0]
	}
}

// ReasonIn is the row's reason in words, in lang ("en" or Vietnamese): what
// a page shows (the code itself when it has none).
func (p ProblemRow) ReasonIn(lang string) string { return reasonText(lang, p.Reason) }

// ReasonIn is the line's reason in words, in lang ("en" or Vietnamese).
func (l Line) ReasonIn(lang string) string { return reasonText(lang, l.Reason) }
