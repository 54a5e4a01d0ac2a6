package web

import (
	"maps"
	"net/http"

	"loa/playlist/library"
)

// onAirData is the live broadcast page: where it can go and its topics.
type onAirData struct {
	*stationsData
	Topics     []library.Topic
	MaxMinutes int
}

func (s *Server) onAirPage(r *http.Request, p *pageData) (string, error) {
	sd, err := s.stationRows()
	if err != nil {
		return "", err
	}
	topics, err := s.lib.Topics()
	if err != nil {
		return "", err
	}
	p.Title, p.Data = "oa.title", onAirData{stationsData: sd, Topics: topics, MaxMinutes: liveMaxMinutes}
	return "onair", nil
}

func init() { maps.Copy(catalogue, onAirWords) }

// onAirWords are the live page's checks and the microphone's problems,
// each with the advice that fits it.
var onAirWords = map[string]message{
	"js.oa_need_title":   {"Hãy nhập tiêu đề buổi phát.", "Enter the broadcast's title."},
	"js.oa_need_topic":   {"Hãy chọn chủ đề.", "Choose a topic."},
	"js.oa_need_targets": {"Hãy chọn nơi phát: tất cả các trạm, một cụm hoặc ít nhất một trạm.", "Choose where: every station, a group or at least one station."},
	"js.oa_need_max":     {"Thời lượng tối đa phải từ 1 đến 240 phút.", "The longest must be from 1 to 240 minutes."},
	"js.oa_mic_none":     {"Máy này không có micrô. Hãy cắm micrô (hoặc tai nghe có micrô) vào máy rồi bấm lại «Bắt đầu phát trực tiếp».", "This computer has no microphone. Plug one in (or a headset with one) and press Start again."},
	"js.oa_mic_denied":   {"Trình duyệt chưa cho trang này dùng micrô. Hãy bấm biểu tượng ổ khoá cạnh địa chỉ trang, chọn Cho phép micrô, rồi thử lại.", "The browser does not let this page use the microphone. Click the lock next to the address, allow the microphone, and try again."},
	"js.oa_mic_busy":     {"Micrô đang được chương trình khác dùng hoặc bị lỗi. Hãy đóng chương trình đó (Zalo, Zoom…) rồi thử lại.", "Another program is using the microphone, or it failed. Close that program (Zalo, Zoom…) and try again."},
	"js.oa_mic_https":    {"Trình duyệt chỉ cho dùng micrô khi trang được mở qua https. Hãy báo quản trị viên.", "Browsers allow the microphone only on pages opened over https. Tell the administrator."},
}
