package web

import (
	"errors"
	"maps"
	"net/http"

	"loa/broadcast/podcast"
	"loa/broadcast/report"
	"loa/playlist/library"
)

// The operators' side of the public site: an approver makes a bulletin
// public or withdraws it, and the reports count its online listens.

type publicRequest struct {
	Public *bool `json:"public"`
}

var errPublicRequired = &apiError{http.StatusBadRequest, "public_required",
	"Hãy cho biết công khai hay không (public: true hoặc false)", "Say whether it is public (public: true or false)", "public"}

var errNotPublishable = &apiError{http.StatusConflict, "not_publishable",
	"Chỉ bản tin đã duyệt và không phải tin khẩn cấp mới được công khai", "Only an approved bulletin that is no emergency can be made public", ""}

// setSegmentPublic makes a segment public ("Nghe lại") or withdraws it:
// PUT /api/segments/{id}/public {"public": true}. Approvers only; audited.
func (s *Server) setSegmentPublic(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req publicRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	if req.Public == nil {
		return errPublicRequired
	}
	before, err := s.segmentInScope(r, id)
	if err != nil {
		return err
	}
	seg, err := s.lib.SetPublic(id, *req.Public, currentUser(r).Name)
	if errors.Is(err, library.ErrTransition) {
		return errNotPublishable
	}
	if err != nil {
		return libraryError(err)
	}
	action := "segment.unpublish"
	if seg.Public {
		action = "segment.publish"
	}
	s.audit(r, action, segmentTarget(id), map[string]any{"public": before.Public}, map[string]any{"public": seg.Public})
	writeJSON(w, http.StatusOK, viewSegment(r, seg))
	return nil
}

// listensReport is GET /api/reports/{period}/listens: the online listens
// of the period, by bulletin and by topic.
type listensReport struct {
	Period    report.Period   `json:"period"`
	Total     int64           `json:"total"`
	Bulletins []podcast.Tally `json:"bulletins"`
	Topics    []podcast.Tally `json:"topics"`
}

func (s *Server) reportListens(w http.ResponseWriter, r *http.Request) error {
	p, err := report.ParsePeriod(r.PathValue("period"))
	if errors.Is(err, report.ErrBadPeriod) {
		return errBadPeriod.withField("period")
	}
	if err != nil {
		return err
	}
	list, err := s.public.listens.Between(p.From, p.To)
	if err != nil {
		return err
	}
	out := listensReport{Period: p, Bulletins: list, Topics: podcast.TopicTotals(list)}
	for _, t := range list {
		out.Total += t.Listens
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func init() { maps.Copy(catalogue, publicMessages) }

// publicMessages are the public site's texts.
var publicMessages = map[string]message{
	"pub.name":         {"Nghe lại", "Listen again"},
	"pub.title":        {"Bản tin truyền thanh", "Loudspeaker bulletins"},
	"pub.ward_default": {"Đài truyền thanh phường", "Ward loudspeaker network"},
	"pub.about": {"Nghe lại các bản tin đã phát trên loa truyền thanh của %s, nhất là chuyên mục cải cách hành chính.",
		"Listen again to the bulletins aired on the loudspeakers of %s, above all the administrative reform column."},
	"pub.topics":       {"Chủ đề", "Topics"},
	"pub.all":          {"Tất cả", "All"},
	"pub.read":         {"Đọc nội dung", "Read the text"},
	"pub.text":         {"Nội dung", "Text"},
	"pub.empty":        {"Chưa có bản tin nào được công khai.", "No bulletin has been made public yet."},
	"pub.download":     {"Tải về", "Download"},
	"pub.qr":           {"Mã QR", "QR code"},
	"pub.feed":         {"Nhận bản tin qua ứng dụng podcast (RSS)", "Follow in a podcast app (RSS)"},
	"pub.feed_title":   {"Bản tin truyền thanh %s", "Loudspeaker bulletins of %s"},
	"pub.feed_about":   {"Các bản tin công khai trên hệ thống truyền thanh cơ sở của %s.", "The public bulletins of the loudspeaker network of %s."},
	"pub.privacy":      {"Trang này không dùng cookie và không lưu địa chỉ của bạn.", "This site sets no cookies and keeps no address of yours."},
	"pub.missing":      {"Không tìm thấy bản tin", "Bulletin not found"},
	"pub.missing_more": {"Bản tin này không có hoặc đã thôi công khai.", "This bulletin does not exist or is no longer public."},
	"pub.back":         {"Về trang Nghe lại", "Back to Listen again"},

	// The library card's side of it.
	"pub.make_public":     {"Công khai trên trang Nghe lại", "Make public (Listen again)"},
	"pub.withdraw":        {"Thôi công khai", "Withdraw from the public"},
	"pub.confirm":         {"Công khai bản tin này cho mọi người nghe trên trang Nghe lại và podcast?", "Let everyone hear this bulletin on the Listen again page and podcast?"},
	"pub.is_public":       {"Đang công khai", "Public"},
	"pub.open":            {"Xem trang công khai", "Open the public page"},
	"pub.embed":           {"Mã nhúng cho cổng thông tin", "Embed code for the portal"},
	"pub.embed_hint":      {"Dán đoạn mã này vào trang của cổng thông tin phường (trang đó phải được quản trị viên cho phép nhúng).", "Paste this into a page of the ward's portal (the admin must allow that site to embed)."},
	"pub.transcript":      {"Lời của bản ghi (cho người đọc thay vì nghe)", "Transcript (for those who read rather than hear)"},
	"pub.transcript_hint": {"Không bắt buộc. Hiện trên trang Nghe lại khi bản tin được công khai.", "Optional. Shown on the Listen again page when the bulletin is public."},
	"action.publish":      {"Công khai trên trang Nghe lại", "Made public"},
	"action.unpublish":    {"Thôi công khai", "Withdrawn from the public"},

	"audit.action.segment.publish":   {"Công khai bản tin (Nghe lại)", "Item made public"},
	"audit.action.segment.unpublish": {"Thôi công khai bản tin", "Item withdrawn from the public"},
}
