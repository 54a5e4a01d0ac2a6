package tts

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A Normalizer rewrites Vietnamese text the way a person reads it aloud, so
// that the engine never guesses: numbers, dates, times, percentages and
// units in words, abbreviations expanded from its table (unknown ones in
// capitals spelled letter by letter), and punctuation reduced to what marks
// a pause. Its output is NFC, one paragraph or heading per line, each
// sentence starting with a capital and ending with a stop.
type Normalizer struct {
	abbrev Abbreviations
	abbrRe *regexp.Regexp // nil when the table is empty
}

// NewNormalizer prepares a Normalizer with the given table; nil means
// DefaultAbbreviations.
func NewNormalizer(table Abbreviations) *Normalizer {
	if table == nil {
		table = DefaultAbbreviations()
	}
	n := &Normalizer{abbrev: Abbreviations{}}
	for k, v := range table {
		k = joinedRe.ReplaceAllString(norm.NFC.String(strings.TrimSpace(k)), "$1 $2")
		if k == "" || v == "" {
			continue
		}
		n.abbrev[k] = norm.NFC.String(v)
		if up := strings.ToUpper(k); up != k {
			if _, taken := table[up]; !taken {
				n.abbrev[up] = n.abbrev[k]
			}
		}
	}
	if len(n.abbrev) > 0 {
		keys := slices.Collect(maps.Keys(n.abbrev))
		// Longest first, so that "DVCTT" wins over "DVC" and "TP." over "TP".
		slices.SortFunc(keys, func(a, b string) int {
			if c := cmp.Compare(len(b), len(a)); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		for i, k := range keys {
			keys[i] = regexp.QuoteMeta(k)
		}
		n.abbrRe = regexp.MustCompile(strings.Join(keys, "|"))
	}
	return n
}

// Normalize returns text as it should be spoken.
func (n *Normalizer) Normalize(text string) string {
	s := norm.NFC.String(text)
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\u202f", " ", "\t", " ").Replace(s)
	s = bulletRe.ReplaceAllString(s, "")
	s = joinedRe.ReplaceAllString(s, "$1 $2")
	for _, r := range rules {
		s = r.apply(s)
	}
	if n.abbrRe != nil {
		s = rule{n.abbrRe, true, func(m []string, _, _ string) (string, bool) {
			return n.abbrev[m[0]], true
		}}.apply(s)
	}
	s = spellRule.apply(s)
	return cleanup(s)
}

// A rule rewrites every match of re through fn, which sees the submatches
// and the text before and after the match and may decline. A bounded rule
// leaves alone matches that run on into a letter or digit on either side
// (a match ending in "." may touch the next word: "TP.HCM").
type rule struct {
	re      *regexp.Regexp
	bounded bool
	fn      func(m []string, before, after string) (string, bool)
}

func (r rule) apply(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range r.re.FindAllStringSubmatchIndex(s, -1) {
		start, end := loc[0], loc[1]
		if r.bounded && (wordRuneBefore(s[:start]) && wordRuneAfter(s[start:end]) ||
			wordRuneAfter(s[end:]) && wordRuneBefore(s[start:end])) {
			continue
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		out, ok := r.fn(m, s[:start], s[end:])
		if !ok {
			continue
		}
		// Spaces keep the words apart from what touches them ("5G",
		// "TP.HCM"); cleanup removes the extra ones.
		b.WriteString(s[last:start])
		b.WriteString(" " + out + " ")
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func wordRuneBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r != utf8.RuneError && isWordRune(r)
}

func wordRuneAfter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r != utf8.RuneError && isWordRune(r)
}

// lastWord is the word just before a match, lower-cased: "ngày" in
// "Ngày 15/12/2026".
func lastWord(before string) string {
	f := strings.Fields(before)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(strings.TrimFunc(f[len(f)-1], func(r rune) bool { return !unicode.IsLetter(r) }))
}

// rules run in order: addresses, document codes and dates before the
// ranges and the plain numbers that would otherwise eat their parts.
var rules = []rule{
	// Web and mail addresses: "dichvucong.gov.vn" → "dichvucong chấm gờ o vê
	// chấm vê en", "@" → "a còng".
	{regexp.MustCompile(`(?i)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+|(?:https?://)?(?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|info)(?:/(?:[a-z0-9._~/-]*[a-z0-9_~/-])?)?`), true,
		func(m []string, _, _ string) (string, bool) { return address(m[0]), true }},
	// Roman numerals after the words that take them: "Quý IV" → "quý bốn".
	{regexp.MustCompile(`((?i:quý|chương|mục|phần|khóa|khoá|đợt|giai đoạn|phụ lục|kỳ|lần thứ|thứ|đại hội))\s+([IVXLC]+)`), true,
		func(m []string, _, _ string) (string, bool) {
			v, ok := roman(m[2])
			if !ok {
				return "", false
			}
			return m[1] + " " + ordinal(m[1], v), true
		}},
	// Document numbers: "39/2020/TT-BTTTT" → "39 năm 2020 TT-BTTTT".
	{regexp.MustCompile(`(\d+)/(\d{4})/(\p{L}[\p{L}\d]*(?:-\p{L}[\p{L}\d]*)*)`), true,
		func(m []string, _, _ string) (string, bool) { return m[1] + " năm " + m[2] + " " + m[3], true }},
	// "12/KH-UBND" → "12 KH-UBND".
	{regexp.MustCompile(`(\d+)/(\p{Lu}[\p{L}\d]*(?:-\p{L}[\p{L}\d]*)*)`), true,
		func(m []string, _, _ string) (string, bool) { return m[1] + " " + m[2], true }},
	// Dates written with dashes or dots become dd/mm/yyyy before the
	// ranges rule sees their dashes.
	{regexp.MustCompile(`(\d{1,2})[-.](\d{1,2})[-.](\d{4})`), true,
		func(m []string, _, _ string) (string, bool) {
			if !validDate(m[1], m[2]) {
				return "", false
			}
			return m[1] + "/" + m[2] + "/" + m[3], true
		}},
	// Ranges between numbers, dates or times: "2021-2025", "7h30 - 11h".
	{regexp.MustCompile(`(\d[\d/:.,]*(?:[hg]\d{0,2})?)\s*[-–]\s*(\d[\d/:.,]*(?:[hg]\d{0,2})?)`), false,
		func(m []string, _, _ string) (string, bool) { return m[1] + " đến " + m[2], true }},
	// dd/mm/yyyy → "ngày … tháng … năm …".
	{regexp.MustCompile(`(\d{1,2})/(\d{1,2})/(\d{4})`), true,
		func(m []string, before, _ string) (string, bool) {
			if !validDate(m[1], m[2]) {
				return "", false
			}
			return dayWords(m[1], before) + " tháng " + month(m[2]) + " năm " + readPlain(m[3]), true
		}},
	// mm/yyyy → "tháng … năm …".
	{regexp.MustCompile(`(\d{1,2})/(\d{4})`), true,
		func(m []string, before, _ string) (string, bool) {
			if !validDate("1", m[1]) {
				return "", false
			}
			out := month(m[1]) + " năm " + readPlain(m[2])
			if lastWord(before) != "tháng" {
				out = "tháng " + out
			}
			return out, true
		}},
	// "Quý một/2026" (after the Roman rule) → "quý một năm 2026".
	{regexp.MustCompile(`/(\d{4})`), false,
		func(m []string, before, after string) (string, bool) {
			r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(before, " "))
			return "năm " + readPlain(m[1]), unicode.IsLetter(r) && !wordRuneAfter(after)
		}},
	// d/m → "ngày … tháng …".
	{regexp.MustCompile(`(\d{1,2})/(\d{1,2})`), true,
		func(m []string, before, after string) (string, bool) {
			if !validDate(m[1], m[2]) || strings.HasPrefix(after, "/") || strings.HasSuffix(before, "/") {
				return "", false
			}
			return dayWords(m[1], before) + " tháng " + month(m[2]), true
		}},
	// Times: 7h30, 7g30, 07:30, 07:30:15, 14h.
	{regexp.MustCompile(`(\d{1,2})(?:[hg]|:)(\d{2})(?::(\d{2}))?|(\d{1,2})[hg]`), true,
		func(m []string, _, _ string) (string, bool) {
			if m[4] != "" {
				return clock(m[4], "00", "")
			}
			return clock(m[1], m[2], m[3])
		}},
	// Ordinals and months: "thứ 4" → "thứ tư", "tháng 4" → "tháng tư".
	{regexp.MustCompile(`((?i:thứ|tháng))\s+(\d{1,2})`), true,
		func(m []string, _, _ string) (string, bool) {
			v := int(m[2][0] - '0')
			if len(m[2]) == 2 {
				v = v*10 + int(m[2][1]-'0')
			}
			return m[1] + " " + ordinal(m[1], v), true
		}},
	// Percentages and units after a number.
	{regexp.MustCompile(`(\d[\d.,]*)\s*%`), false,
		func(m []string, _, _ string) (string, bool) { return m[1] + " phần trăm", true }},
	{regexp.MustCompile(`(\d[\d.,]*)\s?(km|kg|ha|m2|m²|m3|m³|cm|mm|m|VNĐ|VND|đ|°C)`), true,
		func(m []string, _, _ string) (string, bool) { return m[1] + " " + units[m[2]], true }},
	// Numbers: 1.500.000 and 3,5 the Vietnamese way, 4.0 with "chấm".
	{regexp.MustCompile(`(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?|(\d+),(\d+)|(\d+)\.(\d+)|(\d+)`), false,
		func(m []string, _, _ string) (string, bool) {
			switch {
			case m[1] != "":
				return readQuantity(m[1], m[2]), true
			case m[3] != "":
				return readQuantity(m[3], m[4]), true
			case m[5] != "":
				return readPlain(m[5]) + " chấm " + readInteger(m[6]), true
			}
			return readInteger(m[7]), true
		}},
}

var units = map[string]string{
	"km": "ki lô mét", "kg": "ki lô gam", "ha": "héc ta", "m2": "mét vuông", "m²": "mét vuông",
	"m3": "mét khối", "m³": "mét khối", "cm": "xăng ti mét", "mm": "mi li mét", "m": "mét",
	"VNĐ": "đồng", "VND": "đồng", "đ": "đồng", "°C": "độ xê",
}

// spellRule spells words in capitals that no Vietnamese syllable looks
// like ("UBTV", the B of "tổ B"); headings in capitals ("THÔNG BÁO") are
// left to the engine.
var spellRule = rule{regexp.MustCompile(`\p{Lu}+`), true, func(m []string, _, _ string) (string, bool) {
	if isSyllable(m[0]) {
		return "", false
	}
	return spell(m[0])
}}

var syllableRe = regexp.MustCompile(`^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$`)

// isSyllable reports whether word could be one Vietnamese syllable, tone
// and vowel marks aside.
func isSyllable(word string) bool {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(word)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return syllableRe.MatchString(b.String())
}

func validDate(day, mon string) bool {
	d, m := atoi(day), atoi(mon)
	return d >= 1 && d <= 31 && m >= 1 && m <= 12
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// dayWords reads the day of a date; "ngày" is left out when the text
// already says it ("ngày 15/12", "mùng 2/9").
func dayWords(day, before string) string {
	w := Number(uint64(atoi(day)))
	switch lastWord(before) {
	case "ngày", "mùng", "mồng":
		return w
	}
	return "ngày " + w
}

// month reads a month number: April is "tư", not "bốn".
func month(m string) string {
	if atoi(m) == 4 {
		return "tư"
	}
	return Number(uint64(atoi(m)))
}

// ordinal reads n after a word that makes it an ordinal or a month:
// "thứ nhất", "thứ tư", "tháng tư"; after other words it is a number.
func ordinal(word string, n int) string {
	switch strings.ToLower(word) {
	case "thứ", "lần thứ":
		switch n {
		case 1:
			return "nhất"
		case 4:
			return "tư"
		}
	case "tháng":
		if n == 4 {
			return "tư"
		}
	}
	return Number(uint64(n))
}

// clock reads a time of day, or declines when it is not one.
func clock(h, m, s string) (string, bool) {
	hh, mm, ss := atoi(h), atoi(m), atoi(s)
	if hh > 24 || mm > 59 || ss > 59 {
		return "", false
	}
	out := Number(uint64(hh)) + " giờ"
	if mm > 0 || ss > 0 {
		out += " " + Number(uint64(mm)) + " phút"
	}
	if ss > 0 {
		out += " " + Number(uint64(ss)) + " giây"
	}
	return out, true
}

// roman reads a Roman numeral up to 399, the range texts use (Quý IV,
// Chương XII, Đại hội XIV).
func roman(s string) (int, bool) {
	val := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		v := val[s[i]]
		if i+1 < len(s) && v < val[s[i+1]] {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || total >= 400 || toRoman(total) != s {
		return 0, false
	}
	return total, true
}

func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= p.v; n -= p.v {
			b.WriteString(p.s)
		}
	}
	return b.String()
}

var (
	ellipsisRe  = regexp.MustCompile(`…|\.{2,}`)
	dashPauseRe = regexp.MustCompile(`\s[-–—]+\s|[–—]`)
	hyphenRe    = regexp.MustCompile(`-`)
	dropRe      = regexp.MustCompile("[\"“”‘’'«»*•#_=~^`|<>\\\\/]")
	spacesRe    = regexp.MustCompile(`[ ]+`)
	spaceBefore = regexp.MustCompile(`\s+([.,;:!?])`)
	commaRunRe  = regexp.MustCompile(`([,;:])(?:\s*[,;:])+`)
	bulletRe    = regexp.MustCompile(`(?m)^[ ]*(?:[-+•*]|\d+[.)])[ ]+`)
	joinedRe    = regexp.MustCompile(`(\p{L})-([\p{L}\d])`) // KT-XH, NĐ-CP, COVID-19
)

// cleanup reduces punctuation to pauses the engine understands and puts
// each heading or paragraph on its own line, ending in a stop.
func cleanup(s string) string {
	s = ellipsisRe.ReplaceAllString(s, ".")
	s = strings.NewReplacer("(", ", ", ")", ", ", "[", ", ", "]", ", ", "&", " và ").Replace(s)
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		line = dashPauseRe.ReplaceAllString(line, ", ")
		line = hyphenRe.ReplaceAllString(line, " ")
		line = dropRe.ReplaceAllString(line, " ")
		line = spacesRe.ReplaceAllString(line, " ")
		line = spaceBefore.ReplaceAllString(line, "$1")
		line = commaRunRe.ReplaceAllString(line, "$1")
		line = strings.Trim(line, " ,;:")
		if line == "" {
			continue
		}
		if !strings.ContainsRune(".!?", rune(line[len(line)-1])) {
			line += "."
		}
		lines = append(lines, capitalise(line))
	}
	return strings.Join(lines, "\n")
}

// addressWords are how the parts of web and mail addresses are read.
var addressWords = map[string]string{
	"vn": "vê en", "gov": "gờ o vê", "com": "com", "net": "nét", "org": "o rờ gờ", "edu": "e đu",
	"info": "in pho", "www": "vê kép vê kép vê kép", "http": "", "https": "",
}

// address reads a web or mail address: dots, at signs and slashes in
// words, the usual parts as people say them.
func address(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("://", " ", "@", " a còng ", ".", " chấm ", "/", " gạch chéo ", "-", " gạch ngang ", "_", " gạch dưới ").Replace(s)
	words := strings.Fields(s)
	for i, w := range words {
		if a, ok := addressWords[w]; ok {
			words[i] = a
		}
	}
	return strings.Join(strings.Fields(strings.Join(words, " ")), " ")
}

// capitalise starts every sentence of line with a capital, as the text
// would be written (an expanded abbreviation may have started it).
func capitalise(line string) string {
	r := []rune(line)
	start := true
	for i, c := range r {
		switch {
		case start && unicode.IsLetter(c):
			r[i], start = unicode.ToUpper(c), false
		case strings.ContainsRune(".!?", c):
			start = true
		case start && !unicode.IsSpace(c):
			start = false
		}
	}
	return string(r)
}
