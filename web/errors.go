package web

import (
	"errors"
	"net/http"
)

// An apiError is an error a client sees: a stable code, an HTTP status and a
// message in Vietnamese (default) and English. Field names the form field it
// is about, if any. Every client-facing error is in the table below.
type apiError struct {
	Status int
	Code   string
	Vi, En string
	Field  string
}

func (e *apiError) Error() string { return e.Code + ": " + e.En }

// withField returns a copy of e about one form field.
func (e *apiError) withField(field string) *apiError {
	c := *e
	c.Field = field
	return &c
}

// withDetail returns a copy of e whose messages end with detail.
func (e *apiError) withDetail(vi, en string) *apiError {
	c := *e
	c.Vi, c.En = e.Vi+": "+vi, e.En+": "+en
	return &c
}

var (
	// General.
	errBadJSON       = &apiError{http.StatusBadRequest, "bad_json", "Dữ liệu gửi lên không đúng định dạng JSON", "The request body is not valid JSON", ""}
	errBodyTooLarge  = &apiError{http.StatusRequestEntityTooLarge, "body_too_large", "Dữ liệu gửi lên quá lớn", "The request body is too large", ""}
	errNotFound      = &apiError{http.StatusNotFound, "not_found", "Không tìm thấy", "Not found", ""}
	errInternal      = &apiError{http.StatusInternalServerError, "internal", "Lỗi hệ thống, vui lòng thử lại sau", "Internal error, please try again later", ""}
	errBadID         = &apiError{http.StatusBadRequest, "bad_id", "Mã không hợp lệ", "Invalid id", ""}
	errBadQuery      = &apiError{http.StatusBadRequest, "bad_query", "Tham số tìm kiếm không hợp lệ", "Invalid query parameter", ""}
	errDiskFull      = &apiError{http.StatusInsufficientStorage, "disk_full", "Máy chủ hết dung lượng lưu trữ; không có gì bị mất, hãy báo quản trị viên", "The server is out of disk space; nothing was lost, tell the administrator", ""}
	errUnsupportedCT = &apiError{http.StatusUnsupportedMediaType, "unsupported_content_type", "Kiểu dữ liệu gửi lên không được hỗ trợ", "Unsupported content type", ""}

	// Sign-in and permissions.
	errLoginFailed  = &apiError{http.StatusUnauthorized, "login_failed", "Sai tên đăng nhập hoặc mật khẩu", "Wrong user name or password", ""}
	errUnauthorized = &apiError{http.StatusUnauthorized, "unauthorized", "Bạn cần đăng nhập", "Please sign in", ""}
	errForbidden    = &apiError{http.StatusForbidden, "forbidden", "Bạn không có quyền thực hiện thao tác này", "You are not allowed to do this", ""}

	// Library.
	errFieldRequired   = &apiError{http.StatusUnprocessableEntity, "required", "Trường này là bắt buộc", "This field is required", ""}
	errFieldTooLong    = &apiError{http.StatusUnprocessableEntity, "too_long", "Nội dung quá dài", "Too long", ""}
	errFieldInvalid    = &apiError{http.StatusUnprocessableEntity, "invalid", "Giá trị không hợp lệ", "Invalid value", ""}
	errUnknownTopic    = &apiError{http.StatusUnprocessableEntity, "unknown_topic", "Chủ đề không tồn tại", "Unknown topic", ""}
	errDateOrder       = &apiError{http.StatusUnprocessableEntity, "date_order", "Ngày kết thúc phải sau ngày bắt đầu", "The end date must not be before the start date", ""}
	errLimitOrder      = &apiError{http.StatusUnprocessableEntity, "limit_order", "Số lần phát tối thiểu vượt quá số lần tối đa", "The minimum plays exceed the maximum", ""}
	errNoTargets       = &apiError{http.StatusUnprocessableEntity, "no_targets", "Hãy chọn nơi phát: toàn phường, cụm hoặc trạm", "Choose where it plays: all stations, groups or stations", ""}
	errStale           = &apiError{http.StatusConflict, "stale", "Bản tin vừa được người khác sửa; hãy tải lại trang và sửa lại", "Someone else changed this item meanwhile; reload and edit again", ""}
	errTransition      = &apiError{http.StatusConflict, "transition_not_allowed", "Không thể thực hiện thao tác này ở trạng thái hiện tại của bản tin", "This action is not allowed in the item's current status", ""}
	errNoFile          = &apiError{http.StatusUnprocessableEntity, "no_file", "Hãy chọn tệp âm thanh để tải lên", "Choose an audio file to upload", "file"}
	errFileTooLarge    = &apiError{http.StatusRequestEntityTooLarge, "file_too_large", "Tệp quá lớn", "The file is too large", "file"}
	errAudioNotPresent = &apiError{http.StatusNotFound, "audio_missing", "Không tìm thấy tệp âm thanh của bản tin", "The item's audio file is missing", ""}

	// Text to speech.
	errTTSUnavailable = &apiError{http.StatusServiceUnavailable, "tts_unavailable", "Máy chủ chưa có phần mềm đọc văn bản nên chưa thể tạo bản tin từ văn bản; nội dung bạn nhập vẫn được giữ lại, hãy báo quản trị viên", "Text-to-speech is not available on the server (no speech engine); your text is kept, tell the administrator", "text"}
	errTTSFailed      = &apiError{http.StatusBadGateway, "tts_failed", "Không chuyển được văn bản thành giọng đọc; nội dung bạn nhập vẫn được giữ lại, hãy thử lại hoặc báo quản trị viên", "Speech synthesis failed; your text is kept, try again or tell the administrator", "text"}

	// Stations and the agent link.
	errStationNotFound = &apiError{http.StatusNotFound, "station_not_found", "Không tìm thấy trạm", "Station not found", ""}
	errGroupNotFound   = &apiError{http.StatusNotFound, "group_not_found", "Không tìm thấy cụm trạm", "Group not found", ""}
	errStationDisabled = &apiError{http.StatusForbidden, "station_disabled", "Trạm đang bị tắt", "The station is disabled", ""}
	errBadCommand      = &apiError{http.StatusUnprocessableEntity, "bad_command", "Lệnh không hợp lệ", "Invalid command", ""}
	errNotApproved     = &apiError{http.StatusConflict, "not_approved", "Chỉ được phát bản tin đã duyệt", "Only approved items can be broadcast", "segment_id"}

	// Schedules and playlists.
	errProgrammeStale = &apiError{http.StatusConflict, "programme_stale", "Lịch phát vừa được người khác sửa; hãy tải lại trang và sửa lại", "Someone else changed this programme meanwhile; reload and edit again", ""}
	errSlotDuplicate  = &apiError{http.StatusUnprocessableEntity, "slot_duplicate", "Mã khung giờ bị trùng trong chương trình", "Two slots of the programme have the same id", ""}
	errBadDate        = &apiError{http.StatusBadRequest, "bad_date", "Ngày không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)", "Invalid date (use dd/mm/yyyy or yyyy-mm-dd)", ""}

	// Reports.
	errBadPeriod       = &apiError{http.StatusBadRequest, "bad_period", "Kỳ báo cáo không hợp lệ (ví dụ: 2026-Q3, 2026-H1, 2026, 2026-07 hoặc 2026-07-01..2026-09-30)", "Invalid period (for example 2026-Q3, 2026-H1, 2026, 2026-07 or 2026-07-01..2026-09-30)", ""}
	errBadReportFormat = &apiError{http.StatusBadRequest, "bad_report_format", "Định dạng báo cáo không hợp lệ (xlsx, csv, json, html hoặc docx)", "Invalid report format (xlsx, csv, json, html or docx)", ""}
	errPeriodTooLong   = &apiError{http.StatusBadRequest, "period_too_long", "Đối soát từng bản tin chỉ làm cho tối đa 62 ngày", "Item-by-item reconciliation covers at most 62 days", ""}
)

// fieldErrors maps the library's validation codes to client errors.
var fieldErrors = map[string]*apiError{
	"required":      errFieldRequired,
	"too_long":      errFieldTooLong,
	"invalid":       errFieldInvalid,
	"unknown_topic": errUnknownTopic,
	"date_order":    errDateOrder,
	"limit_order":   errLimitOrder,
	"no_targets":    errNoTargets,
	"stale":         errStale,
}

// stationFieldErrors maps the station registry's validation codes to client
// errors (the field is set from the registry's problem).
var stationFieldErrors = map[string]*apiError{
	"station.id_invalid":      {http.StatusUnprocessableEntity, "station_id_invalid", "Mã trạm chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 32 ký tự), ví dụ tdp-05", "A station id is lowercase letters, digits and inner hyphens (up to 32), e.g. tdp-05", ""},
	"station.id_taken":        {http.StatusConflict, "station_id_taken", "Mã trạm này đã được dùng", "This station id is already in use", ""},
	"station.name_required":   {http.StatusUnprocessableEntity, "station_name_required", "Hãy nhập tên trạm", "Enter the station's name", ""},
	"station.name_too_long":   {http.StatusUnprocessableEntity, "station_name_too_long", "Tên trạm quá dài (tối đa 100 ký tự)", "The station's name is too long (100 characters at most)", ""},
	"station.zone_invalid":    {http.StatusUnprocessableEntity, "station_zone_invalid", "Múi giờ không hợp lệ (ví dụ Asia/Ho_Chi_Minh)", "Invalid time zone (e.g. Asia/Ho_Chi_Minh)", ""},
	"station.lat_invalid":     {http.StatusUnprocessableEntity, "station_lat_invalid", "Vĩ độ phải từ -90 đến 90", "Latitude must be between -90 and 90", ""},
	"station.lon_invalid":     {http.StatusUnprocessableEntity, "station_lon_invalid", "Kinh độ phải từ -180 đến 180", "Longitude must be between -180 and 180", ""},
	"station.volume_invalid":  {http.StatusUnprocessableEntity, "station_volume_invalid", "Âm lượng phải từ 0 đến 100", "Volume must be between 0 and 100", ""},
	"station.group_unknown":   {http.StatusUnprocessableEntity, "station_group_unknown", "Cụm trạm không tồn tại", "Unknown group", ""},
	"station.groups_too_many": {http.StatusUnprocessableEntity, "station_groups_too_many", "Một trạm thuộc tối đa 16 cụm", "A station belongs to 16 groups at most", ""},
	"group.id_invalid":        {http.StatusUnprocessableEntity, "group_id_invalid", "Mã cụm chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 32 ký tự)", "A group id is lowercase letters, digits and inner hyphens (up to 32)", ""},
	"group.id_taken":          {http.StatusConflict, "group_id_taken", "Mã cụm này đã được dùng", "This group id is already in use", ""},
	"group.name_required":     {http.StatusUnprocessableEntity, "group_name_required", "Hãy nhập tên cụm", "Enter the group's name", ""},
	"group.name_too_long":     {http.StatusUnprocessableEntity, "group_name_too_long", "Tên cụm quá dài (tối đa 100 ký tự)", "The group's name is too long (100 characters at most)", ""},
	"group.in_use":            {http.StatusConflict, "group_in_use", "Cụm còn trạm; hãy chuyển các trạm sang cụm khác trước khi xóa", "Stations still belong to this group; move them before deleting it", ""},
}

// audioErrors words the audio package's rejection codes.
var audioErrors = map[string]*apiError{
	"empty":              {http.StatusUnprocessableEntity, "audio_empty", "Tệp rỗng, không có dữ liệu", "The file is empty", "file"},
	"unknown_format":     {http.StatusUnprocessableEntity, "audio_unknown_format", "Không nhận ra định dạng âm thanh; hãy dùng tệp MP3 hoặc WAV", "Not a recognised audio format; use MP3 or WAV", "file"},
	"unsupported_format": {http.StatusUnprocessableEntity, "audio_unsupported_format", "Định dạng này chưa được hỗ trợ trên máy chủ; hãy chuyển sang MP3 hoặc WAV, hoặc nhờ quản trị viên cài ffmpeg", "This format is not supported on the server; convert it to MP3 or WAV, or ask the administrator to install ffmpeg", "file"},
	"truncated":          {http.StatusUnprocessableEntity, "audio_truncated", "Tệp bị cắt cụt (tải lên chưa hết hoặc ghi âm lỗi)", "The file is truncated", "file"},
	"corrupt":            {http.StatusUnprocessableEntity, "audio_corrupt", "Tệp âm thanh bị hỏng", "The audio file is corrupted", "file"},
	"header_mismatch":    {http.StatusUnprocessableEntity, "audio_header_mismatch", "Phần đầu tệp khai báo sai so với dữ liệu", "The file's header does not match its data", "file"},
	"no_audio":           {http.StatusUnprocessableEntity, "audio_no_audio", "Tệp không chứa âm thanh", "The file holds no audio", "file"},
	"too_long":           {http.StatusUnprocessableEntity, "audio_too_long", "Tệp âm thanh dài quá mức máy chủ cho phép; hãy cắt ngắn hoặc chia thành nhiều bản tin", "The audio is longer than the server allows; shorten it or split it into several items", "file"},
}

// audioError is used for audio rejection codes missing from the table.
var audioError = &apiError{http.StatusUnprocessableEntity, "audio_invalid", "Tệp âm thanh không hợp lệ", "The audio file is not valid", "file"}

// warningText words the analysis warnings for people, by code; %s stands
// for the figure, already formatted.
var warningText = map[string][2]string{
	"too_quiet":     {"Âm lượng nhỏ (%s LUFS), sẽ được tăng khi phát", "Quiet (%s LUFS); gain will be added on air"},
	"too_loud":      {"Âm lượng lớn (%s LUFS), sẽ được giảm khi phát", "Loud (%s LUFS); gain will be reduced on air"},
	"clipping":      {"Có thể bị rè, vỡ tiếng (đỉnh %s dBTP)", "May be clipped (true peak %s dBTP)"},
	"long_silence":  {"Có đoạn im lặng dài (%s giây)", "Long silence inside (%s s)"},
	"very_short":    {"Bản tin rất ngắn (%s giây)", "Very short item (%s s)"},
	"silent":        {"Tệp không có âm thanh nghe được (toàn im lặng)%.0s", "No audible sound: the file is silent%.0s"},
	"trailing_junk": {"Cuối tệp có dữ liệu thừa (%s byte), đã bỏ qua", "Junk at the end of the file (%s bytes), ignored"},
	"converted":     {"Tệp đã được chuyển đổi định dạng (%s)", "The file was converted (%s)"},
	"duplicate":     {"Âm thanh này đã có trong thư viện (bản tin số %s)", "This audio is already in the library (item %s)"},
}

// asAPIError finds the client-facing error in err, if any.
func asAPIError(err error) (*apiError, bool) {
	var e *apiError
	ok := errors.As(err, &e)
	return e, ok
}

// errUnknownStation refuses a command or live broadcast aimed at a station
// the registry does not have (a typo, a deleted station).
func errUnknownStation(id string) *apiError {
	return &apiError{http.StatusUnprocessableEntity, "unknown_station", "Không có trạm “" + id + "”", "No station “" + id + "”", "stations"}
}
