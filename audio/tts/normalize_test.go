package tts

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "không"},
		{1, "một"},
		{4, "bốn"},
		{5, "năm"},
		{10, "mười"},
		{11, "mười một"},
		{14, "mười bốn"},
		{15, "mười lăm"},
		{20, "hai mươi"},
		{21, "hai mươi mốt"},
		{24, "hai mươi tư"},
		{25, "hai mươi lăm"},
		{55, "năm mươi lăm"},
		{99, "chín mươi chín"},
		{100, "một trăm"},
		{101, "một trăm linh một"},
		{105, "một trăm linh năm"},
		{110, "một trăm mười"},
		{115, "một trăm mười lăm"},
		{121, "một trăm hai mươi mốt"},
		{1000, "một nghìn"},
		{1005, "một nghìn không trăm linh năm"},
		{1010, "một nghìn không trăm mười"},
		{2000, "hai nghìn"},
		{2006, "hai nghìn không trăm linh sáu"},
		{2026, "hai nghìn không trăm hai mươi sáu"},
		{10000, "mười nghìn"},
		{15500, "mười lăm nghìn năm trăm"},
		{100000, "một trăm nghìn"},
		{1000000, "một triệu"},
		{1000005, "một triệu không trăm linh năm"},
		{1500000, "một triệu năm trăm nghìn"},
		{2000026, "hai triệu không trăm hai mươi sáu"},
		{1000000000, "một tỷ"},
		{1200000000, "một tỷ hai trăm triệu"},
		{3000000001, "ba tỷ không trăm linh một"},
	}
	for _, tt := range tests {
		if got := Number(tt.n); got != tt.want {
			t.Errorf("Number(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	n := NewNormalizer(nil)
	tests := []struct {
		name, in, want string
	}{
		// Numbers.
		{"year", "Năm 2026", "Năm hai nghìn không trăm hai mươi sáu."},
		{"fifteen", "15 hồ sơ", "Mười lăm hồ sơ."},
		{"twenty-one", "21 thủ tục", "Hai mươi mốt thủ tục."},
		{"linh", "105 hộ dân", "Một trăm linh năm hộ dân."},
		{"thousands with dots", "1.500.000 đồng", "Một triệu năm trăm nghìn đồng."},
		{"decimal comma", "đạt 98,5 điểm", "Đạt chín mươi tám phẩy năm điểm."},
		{"decimal comma leading zero", "tăng 0,05 điểm", "Tăng không phẩy không năm điểm."},
		{"percent", "tỷ lệ 95% hồ sơ", "Tỷ lệ chín mươi lăm phần trăm hồ sơ."},
		{"percent decimal", "đạt 99,2%", "Đạt chín mươi chín phẩy hai phần trăm."},
		{"phone number digit by digit", "gọi 0912345678", "Gọi không chín một hai ba bốn năm sáu bảy tám."},
		{"version with a dot", "chuyển đổi số 4.0", "Chuyển đổi số bốn chấm không."},
		{"money", "lệ phí 50.000đ", "Lệ phí năm mươi nghìn đồng."},
		{"area", "diện tích 120m2", "Diện tích một trăm hai mươi mét vuông."},
		{"number glued to letters", "mạng 5G", "Mạng năm gờ."},
		// Dates.
		{"full date", "Hạn chót 15/12/2026", "Hạn chót ngày mười lăm tháng mười hai năm hai nghìn không trăm hai mươi sáu."},
		{"date after ngày", "ngày 01/7/2026", "Ngày một tháng bảy năm hai nghìn không trăm hai mươi sáu."},
		{"date with dashes", "từ 02-01-2026", "Từ ngày hai tháng một năm hai nghìn không trăm hai mươi sáu."},
		{"april is tư", "ngày 30/4/2026", "Ngày ba mươi tháng tư năm hai nghìn không trăm hai mươi sáu."},
		{"day and month", "khai mạc 2/9", "Khai mạc ngày hai tháng chín."},
		{"mùng", "mùng 5/5", "Mùng năm tháng năm."},
		{"month and year", "trong 12/2026", "Trong tháng mười hai năm hai nghìn không trăm hai mươi sáu."},
		{"month and year after tháng", "tháng 11/2026", "Tháng mười một năm hai nghìn không trăm hai mươi sáu."},
		{"quarter in Roman numerals", "Quý IV/2026", "Quý bốn năm hai nghìn không trăm hai mươi sáu."},
		{"date range", "từ 01/12 - 15/12", "Từ ngày một tháng mười hai đến ngày mười lăm tháng mười hai."},
		{"year range", "giai đoạn 2021-2025", "Giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm."},
		{"impossible date stays numbers", "tỷ số 35/40", "Tỷ số ba mươi lăm bốn mươi."},
		// Times.
		{"time with h", "lúc 7h30", "Lúc bảy giờ ba mươi phút."},
		{"time with colon", "lúc 07:30", "Lúc bảy giờ ba mươi phút."},
		{"whole hour", "đến 17h.", "Đến mười bảy giờ."},
		{"time with zero minutes", "từ 14h00", "Từ mười bốn giờ."},
		{"time with g", "7g05 sáng", "Bảy giờ năm phút sáng."},
		{"time range", "7h30 - 11h30", "Bảy giờ ba mươi phút đến mười một giờ ba mươi phút."},
		{"seconds", "lúc 08:15:30", "Lúc tám giờ mười lăm phút ba mươi giây."},
		// Ordinals.
		{"weekday", "Thứ 4 và thứ 2", "Thứ tư và thứ hai."},
		{"first", "lần thứ 1", "Lần thứ nhất."},
		{"month four", "tháng 4 năm nay", "Tháng tư năm nay."},
		{"roman congress", "Đại hội XIV của Đảng", "Đại hội mười bốn của Đảng."},
		// Abbreviations.
		{"UBND", "UBND phường thông báo", "Ủy ban nhân dân phường thông báo."},
		{"CCHC and TTHC", "CCHC, TTHC", "Cải cách hành chính, thủ tục hành chính."},
		{"HĐND and MTTQ", "HĐND, MTTQ phường", "Hội đồng nhân dân, mặt trận tổ quốc phường."},
		{"VNeID", "tài khoản VNeID", "Tài khoản vê en e ai đi."},
		{"VNEID in capitals", "ỨNG DỤNG VNEID", "ỨNG DỤNG vê en e ai đi."},
		{"DVCTT before DVC", "DVCTT toàn trình và DVC", "Dịch vụ công trực tuyến toàn trình và dịch vụ công."},
		{"indices", "PCI, PAPI, PAR Index, SIPAS", "Pê xê i, pa pi, pa in đếch, xi pát."},
		{"TDP", "TDP số 5", "Tổ dân phố số năm."},
		{"papers", "CCCD, BHYT, BHXH", "Căn cước công dân, bảo hiểm y tế, bảo hiểm xã hội."},
		{"document code", "Thông tư 39/2020/TT-BTTTT", "Thông tư ba mươi chín năm hai nghìn không trăm hai mươi thông tư bộ thông tin và truyền thông."},
		{"plan number", "Kế hoạch số 12/KH-UBND", "Kế hoạch số mười hai kế hoạch ủy ban nhân dân."},
		{"comrade", "Đ/c Chủ tịch", "Đồng chí Chủ tịch."},
		{"city", "TP.HCM", "Thành phố hồ chí minh."},
		{"not inside words", "TTHCX và XUBND", "Tê tê hát xê ích và ích u bê en dê."},
		{"unknown caps spelled", "tổ UBTV", "Tổ u bê tê vê."},
		{"capital heading kept", "THÔNG BÁO LỊCH TIẾP CÔNG DÂN", "THÔNG BÁO LỊCH TIẾP CÔNG DÂN."},
		{"hyphenated", "phát triển KT-XH", "Phát triển kinh tế xã hội."},
		// Addresses.
		{"web address", "truy cập dichvucong.gov.vn để nộp hồ sơ", "Truy cập dichvucong chấm gờ o vê chấm vê en để nộp hồ sơ."},
		{"web address with a path", "https://dichvucong.gov.vn/p/home.", "Dichvucong chấm gờ o vê chấm vê en gạch chéo p gạch chéo home."},
		{"mail address", "gửi về vanthu@anhoa.gov.vn", "Gửi về vanthu a còng anhoa chấm gờ o vê chấm vê en."},
		// Punctuation and layout.
		{"sentence starting with an abbreviation", "Xong. UBND phường", "Xong. Ủy ban nhân dân phường."},
		{"heading gets a stop", "Thông báo\nNội dung chính", "Thông báo.\nNội dung chính."},
		{"bullets", "- Mục một\n+ Mục hai\n1. Mục ba", "Mục một.\nMục hai.\nMục ba."},
		{"parentheses pause", "bộ phận một cửa (tầng 1)", "Bộ phận một cửa, tầng một."},
		{"dash pause", "Phường An Hòa – nơi đáng sống", "Phường An Hòa, nơi đáng sống."},
		{"ellipsis", "và nhiều nội dung khác...", "Và nhiều nội dung khác."},
		{"quotes dropped", `chương trình "Dân vận khéo"`, "Chương trình Dân vận khéo."},
		{"blank lines dropped", "Một.\n\n\nHai.", "Một.\nHai."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := n.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeIsNFC(t *testing.T) {
	t.Parallel()
	decomposed := norm.NFD.String("Ủy ban nhân dân phường thông báo ngày 15/12")
	got := NewNormalizer(nil).Normalize(decomposed)
	if !norm.NFC.IsNormalString(got) {
		t.Errorf("output is not NFC: %q", got)
	}
	if want := "Ủy ban nhân dân phường thông báo ngày mười lăm tháng mười hai."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestEditedAbbreviationTable(t *testing.T) {
	t.Parallel()
	extra, err := ParseAbbreviations(strings.NewReader("# the ward's own\nKP = khu phố\nTDP =\n\nPVHCC = phục vụ hành chính công\n"))
	if err != nil {
		t.Fatal(err)
	}
	n := NewNormalizer(DefaultAbbreviations().Merge(extra))
	got := n.Normalize("KP 3 và TDP 5 tại Trung tâm PVHCC")
	want := "Khu phố ba và tê dê pê năm tại Trung tâm phục vụ hành chính công."
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := ParseAbbreviations(strings.NewReader("no equals sign\n")); err == nil {
		t.Error("a line without = was accepted")
	}
}
