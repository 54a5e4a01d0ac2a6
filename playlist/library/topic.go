package library

// A Topic is one content area of the ward's communication plan. The list is
// editable; CCHC marks the administrative-reform topics whose share the
// quarterly report shows.
type Topic struct {
	ID       string `json:"id"`   // a slug, stable once used
	Name     string `json:"name"` // Vietnamese
	NameEn   string `json:"name_en,omitempty"`
	CCHC     bool   `json:"cchc"`
	Order    int    `json:"order"`
	Archived bool   `json:"archived,omitempty"` // hidden from new segments, kept for history
}

// seedTopics are the content areas of the ward's 2026 CCHC communication
// plan, plus general news, disaster and emergency, and other.
var seedTopics = []Topic{
	{ID: "cchc-chinh-sach", Name: "Chủ trương, chính sách, pháp luật của Đảng và Nhà nước về CCHC", NameEn: "Party and State policy and law on administrative reform", CCHC: true},
	{ID: "cchc-trach-nhiem", Name: "Trách nhiệm của người đứng đầu trong CCHC", NameEn: "Responsibility of leaders for administrative reform", CCHC: true},
	{ID: "cchc-chi-so", Name: "Các chỉ số PCI, PAR Index, PAPI, SIPAS", NameEn: "PCI, PAR Index, PAPI and SIPAS indices", CCHC: true},
	{ID: "cchc-tthc", Name: "Thủ tục hành chính và cơ chế một cửa, một cửa liên thông", NameEn: "Administrative procedures and the one-stop shop", CCHC: true},
	{ID: "cchc-dvc-truc-tuyen", Name: "Dịch vụ công trực tuyến, VNeID và thanh toán trực tuyến", NameEn: "Online public services, VNeID and online payment", CCHC: true},
	{ID: "cchc-chuyen-doi-so", Name: "Chuyển đổi số", NameEn: "Digital transformation", CCHC: true},
	{ID: "cchc-bo-may", Name: "Sắp xếp tổ chức bộ máy, công chức, công vụ", NameEn: "Reorganising the apparatus and the civil service", CCHC: true},
	{ID: "cchc-ket-qua", Name: "Kết quả, tồn tại, hạn chế trong CCHC của phường", NameEn: "The ward's administrative-reform results and shortcomings", CCHC: true},
	{ID: "cchc-giam-sat", Name: "Quyền của người dân và việc giám sát CCHC", NameEn: "Citizens' rights and their supervision of administrative reform", CCHC: true},
	{ID: "tin-tuc", Name: "Tin tức chung", NameEn: "General news"},
	{ID: "thien-tai", Name: "Phòng chống thiên tai, khẩn cấp", NameEn: "Disaster and emergency"},
	{ID: "khac", Name: "Khác", NameEn: "Other"},
}
