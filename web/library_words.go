package web

import (
	"maps"
	"strconv"
	"strings"

	"loa/playlist/library"
)

// The library page and the upload answer word the audio analysis for
// ward staff: what a warning means in plain words with the one thing to
// do, and the measured figure apart in a detail line (decimal comma in
// Vietnamese).

func init() { maps.Copy(catalogue, libraryWords) }

var libraryWords = map[string]message{
	"warn.too_quiet":     {"Tiếng nhỏ hơn mức chuẩn; loa sẽ tự tăng âm lượng khi phát. Nên nghe thử, nếu nghe không rõ thì thu lại gần micrô hơn.", "Quieter than the standard; the speakers raise it on air. Listen to it; if it is hard to hear, record again closer to the microphone."},
	"warn.too_loud":      {"Tiếng to hơn mức chuẩn; loa sẽ tự giảm âm lượng khi phát. Không cần làm gì thêm.", "Louder than the standard; the speakers lower it on air. Nothing to do."},
	"warn.clipping":      {"Có chỗ tiếng bị rè, vỡ vì thu quá to. Nên nghe thử, nếu rè thì thu lại với mức thu nhỏ hơn.", "Parts are distorted because it was recorded too loud. Listen to it; if it crackles, record again at a lower level."},
	"warn.long_silence":  {"Có đoạn im lặng dài giữa bản tin. Nên nghe thử và cắt bớt đoạn im lặng.", "There is a long silence inside. Listen to it and cut the silence."},
	"warn.very_short":    {"Bản tin rất ngắn. Hãy nghe thử để chắc tệp đủ nội dung.", "The item is very short. Listen to it to make sure the file is complete."},
	"warn.silent":        {"Tệp không có tiếng nghe được. Hãy kiểm tra tệp và tải lên tệp khác.", "The file has no audible sound. Check it and upload another."},
	"warn.trailing_junk": {"Cuối tệp có dữ liệu thừa, đã được bỏ đi. Không cần làm gì thêm.", "The file had junk at its end, which was dropped. Nothing to do."},
	"warn.converted":     {"Tệp %s đã được tự động chuyển sang MP3 để phát. Không cần làm gì thêm.", "The %s file was converted to MP3 for the speakers. Nothing to do."},
	"warn.duplicate":     {"Âm thanh này đã có trong thư viện (bản tin số %s). Nên dùng bản tin đó thay vì tải lên lần nữa.", "This audio is already in the library (item %s). Use that item instead of uploading it again."},
	"warn.d.loudness":    {"Độ lớn đo được: %s LUFS", "Measured loudness: %s LUFS"},
	"warn.d.peak":        {"Đỉnh tín hiệu: %s dBTP (nên thấp hơn -1 dBTP)", "True peak: %s dBTP (should stay below -1 dBTP)"},
	"warn.d.silence":     {"Đoạn im lặng dài nhất: %s giây", "Longest silence: %s s"},
	"warn.d.seconds":     {"Thời lượng: %s giây", "Length: %s s"},
	"warn.d.bytes":       {"%s byte thừa", "%s bytes of junk"},

	"lib.drop_formats":     {"MP3, WAV, M4A, Ogg, FLAC hoặc AMR; có thể chọn nhiều tệp một lúc. Các thông tin phía trên áp dụng cho mọi tệp.", "MP3, WAV, M4A, Ogg, FLAC or AMR; several files at once. The details above apply to every file."},
	"lib.fields_hint":      {"Các thông tin dưới đây áp dụng cho mọi tệp bạn chọn ở cuối khung này.", "The details below apply to every file you choose at the end of this box."},
	"lib.targets_hint":     {"Đánh dấu cả khu, hoặc từng trạm; không chọn gì: toàn phường.", "Tick whole areas or single stations; nothing ticked: the whole ward."},
	"lib.comment_optional": {"Không bắt buộc khi duyệt", "Optional when approving"},
	"lib.done_submit":      {"Đã gửi duyệt bản tin «%s».", "Sent “%s” for approval."},
	"lib.done_approve":     {"Đã duyệt bản tin «%s».", "Approved “%s”."},
	"lib.done_reject":      {"Đã từ chối bản tin «%s».", "Rejected “%s”."},
	"lib.done_edit":        {"Đã lưu thay đổi của bản tin «{title}».", "Saved the changes to “{title}”."},
	"lib.done_delete":      {"Đã xoá bản tin «%s».", "Deleted “%s”."},
	"lib.done_archive":     {"Đã lưu trữ bản tin «%s».", "Archived “%s”."},
	"lib.done_restore":     {"Đã khôi phục bản tin «%s».", "Restored “%s”."},
	"js.bad_date":          {"Ngày không hợp lệ; hãy viết dd/mm/yyyy, ví dụ 31/12/2026", "Invalid date; write dd/mm/yyyy, e.g. 31/12/2026"},
	"js.bad_count":         {"Hãy nhập một số nguyên không âm", "Enter a whole number, 0 or more"},
	"js.list_updated":      {"Danh sách bản tin bên dưới đã được cập nhật.", "The list below has been updated."},
}

// warningDetail is the catalogue key of each warning's detail line.
var warningDetail = map[string]string{
	"too_quiet": "warn.d.loudness", "too_loud": "warn.d.loudness", "clipping": "warn.d.peak",
	"long_silence": "warn.d.silence", "very_short": "warn.d.seconds", "trailing_junk": "warn.d.bytes",
}

// plainWarning words an analysis note in lang; ok is false for a code it
// does not know.
func plainWarning(lang string, w library.Note) (text, detail string, ok bool) {
	key := "warn." + w.Code
	if _, ok := catalogue[key]; !ok {
		return "", "", false
	}
	switch w.Code {
	case "converted":
		return T(lang, key, sourceFormat(w.Message)), "", true
	case "duplicate":
		return T(lang, key, strconv.FormatFloat(w.Value, 'f', 0, 64)), "", true
	}
	if d, ok := warningDetail[w.Code]; ok {
		prec := 1
		if w.Code == "trailing_junk" {
			prec = 0
		}
		detail = T(lang, d, decimal(lang, w.Value, prec))
	}
	return T(lang, key), detail, true
}

// decimal writes v with prec decimals, with a decimal comma in Vietnamese.
func decimal(lang string, v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// sourceFormat reads the source format from the converter's note
// ("converted from m4a to MP3 …") as people write it: M4A, Ogg, FLAC, AMR.
func sourceFormat(msg string) string {
	f, _, _ := strings.Cut(strings.TrimPrefix(msg, "converted from "), " ")
	switch f = strings.ToLower(f); f {
	case "ogg", "opus":
		return "Ogg"
	case "":
		return "?"
	}
	return strings.ToUpper(f)
}
