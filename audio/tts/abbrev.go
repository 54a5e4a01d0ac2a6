package tts

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Abbreviations maps an abbreviation as written ("UBND", "PAR Index",
// "Đ/c") to the words it is read as. Matching is case-sensitive on whole
// words, and an entry also matches its all-capitals form (VNeID, VNEID).
type Abbreviations map[string]string

// defaultAbbreviations are the abbreviations of the ward's administrative
// reform (CCHC) texts, of the document codes they cite (39/2020/TT-BTTTT)
// and of emergency bulletins.
var defaultAbbreviations = Abbreviations{
	// Administrative reform.
	"CCHC": "cải cách hành chính", "TTHC": "thủ tục hành chính",
	"DVC": "dịch vụ công", "DVCTT": "dịch vụ công trực tuyến",
	"VNeID": "vê en e ai đi", "PCI": "pê xê i", "PAPI": "pa pi",
	"PAR Index": "pa in đếch", "PAR INDEX": "pa in đếch", "SIPAS": "xi pát",
	"CĐS": "chuyển đổi số", "CSDL": "cơ sở dữ liệu", "CNTT": "công nghệ thông tin",
	"CBCC": "cán bộ công chức", "CBCCVC": "cán bộ, công chức, viên chức",
	"PAKN": "phản ánh kiến nghị", "KT-XH": "kinh tế xã hội", "KTXH": "kinh tế xã hội",
	// Bodies and places.
	"UBND": "ủy ban nhân dân", "HĐND": "hội đồng nhân dân", "MTTQ": "mặt trận tổ quốc",
	"UBMTTQ": "ủy ban mặt trận tổ quốc", "MTTQVN": "mặt trận tổ quốc việt nam",
	"BCĐ": "ban chỉ đạo", "TDP": "tổ dân phố", "KDC": "khu dân cư",
	"TP.": "thành phố", "TP": "thành phố", "HCM": "hồ chí minh", "TW": "trung ương",
	"ĐBQH": "đại biểu quốc hội", "Đ/c": "đồng chí", "đ/c": "đồng chí",
	// Papers citizens carry.
	"CCCD": "căn cước công dân", "CMND": "chứng minh nhân dân",
	"BHYT": "bảo hiểm y tế", "BHXH": "bảo hiểm xã hội", "GPLX": "giấy phép lái xe",
	// Safety and emergencies.
	"ANTT": "an ninh trật tự", "ATGT": "an toàn giao thông", "PCCC": "phòng cháy chữa cháy",
	"PCTT": "phòng chống thiên tai", "TKCN": "tìm kiếm cứu nạn", "COVID": "cô vít",
	// Parts of document codes (Nghị định 15/2020/NĐ-CP, 12/KH-UBND).
	"NĐ": "nghị định", "NQ": "nghị quyết", "QĐ": "quyết định", "TT": "thông tư",
	"CT": "chỉ thị", "KH": "kế hoạch", "TB": "thông báo", "HD": "hướng dẫn",
	"CV": "công văn", "CP": "chính phủ", "TTg": "thủ tướng", "BTTTT": "bộ thông tin và truyền thông",
	"BNV": "bộ nội vụ", "BCA": "bộ công an", "QH": "quốc hội",
	// Everyday.
	"v.v.": "vân vân", "v.v": "vân vân", "SĐT": "số điện thoại", "ĐT": "điện thoại",
}

// DefaultAbbreviations returns a fresh copy of the built-in table, which
// the caller may edit.
func DefaultAbbreviations() Abbreviations { return maps.Clone(defaultAbbreviations) }

// ParseAbbreviations reads a table people can edit: one "ABBR = words"
// per line; blank lines and lines starting with # are ignored. An entry
// with no words ("XYZ =") removes that abbreviation when merged.
func ParseAbbreviations(r io.Reader) (Abbreviations, error) {
	out := Abbreviations{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(norm.NFC.String(sc.Text()))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, words, ok := strings.Cut(text, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, fmt.Errorf("abbreviations line %d: want ABBR = words", line)
		}
		out[key] = strings.Join(strings.Fields(words), " ")
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read abbreviations: %w", err)
	}
	return out, nil
}

// Merge returns the table with the entries of more added or replaced; an
// entry of more with no words removes the abbreviation.
func (a Abbreviations) Merge(more Abbreviations) Abbreviations {
	out := maps.Clone(a)
	if out == nil {
		out = Abbreviations{}
	}
	for k, v := range more {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// letterNames are the names Vietnamese gives letters when it spells an
// unknown abbreviation ("UBTV" → "u bê tê vê").
var letterNames = map[rune]string{
	'A': "a", 'Ă': "á", 'Â': "ớ", 'B': "bê", 'C': "xê", 'D': "dê", 'Đ': "đê", 'E': "e", 'Ê': "ê",
	'F': "ép", 'G': "gờ", 'H': "hát", 'I': "i", 'J': "gi", 'K': "ca", 'L': "e lờ", 'M': "em",
	'N': "en", 'O': "o", 'Ô': "ô", 'Ơ': "ơ", 'P': "pê", 'Q': "quy", 'R': "e rờ", 'S': "ét",
	'T': "tê", 'U': "u", 'Ư': "ư", 'V': "vê", 'W': "vê kép", 'X': "ích", 'Y': "i", 'Z': "dét",
}

// spell reads a word in capitals letter by letter, or returns false when
// a letter has no name.
func spell(word string) (string, bool) {
	var w []string
	for _, r := range word {
		name, ok := letterNames[r]
		if !ok {
			return "", false
		}
		w = append(w, name)
	}
	return strings.Join(w, " "), true
}
