package tts

import "strings"

var digitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// Number reads a whole number in Vietnamese words: 15 → "mười lăm",
// 21 → "hai mươi mốt", 105 → "một trăm linh năm", 2026 → "hai nghìn không
// trăm hai mươi sáu". Groups of three digits take nghìn, triệu, tỷ; a
// group after a larger one is read in full ("không trăm", "linh").
func Number(n uint64) string {
	if n == 0 {
		return "không"
	}
	var words []string
	const billion = 1_000_000_000
	if n >= billion {
		words = append(words, Number(n/billion), "tỷ")
		n %= billion
		if n == 0 {
			return strings.Join(words, " ")
		}
	}
	full := len(words) > 0
	for _, g := range []struct {
		size uint64
		name string
	}{{1_000_000, "triệu"}, {1_000, "nghìn"}, {1, ""}} {
		part := n / g.size
		n %= g.size
		if part == 0 {
			continue
		}
		words = append(words, hundreds(int(part), full))
		if g.name != "" {
			words = append(words, g.name)
		}
		full = true
	}
	return strings.Join(words, " ")
}

// hundreds reads 1..999. full reads a group that follows a larger one, so
// that 2026 is "hai nghìn không trăm hai mươi sáu" and 1005 "một nghìn
// không trăm linh năm".
func hundreds(n int, full bool) string {
	h, t, u := n/100, n/10%10, n%10
	var w []string
	if h > 0 || full {
		w = append(w, digitWords[h], "trăm")
		if t == 0 && u > 0 {
			return strings.Join(append(w, "linh", digitWords[u]), " ")
		}
	}
	if t > 0 || u > 0 {
		w = append(w, tens(t, u))
	}
	return strings.Join(w, " ")
}

// tens reads 0..99 after its hundreds (or alone): the unit changes its
// word after a ten — mốt (21), lăm (15, 25), tư (24).
func tens(t, u int) string {
	switch {
	case t == 0:
		return digitWords[u]
	case t == 1 && u == 0:
		return "mười"
	case t == 1:
		return "mười " + unitAfterTen(u, false)
	case u == 0:
		return digitWords[t] + " mươi"
	}
	return digitWords[t] + " mươi " + unitAfterTen(u, true)
}

func unitAfterTen(u int, twentyOrMore bool) string {
	switch {
	case u == 5:
		return "lăm"
	case u == 1 && twentyOrMore:
		return "mốt"
	case u == 4 && twentyOrMore:
		return "tư"
	}
	return digitWords[u]
}

// Digits reads each digit on its own, as Vietnamese reads phone numbers
// and codes: "0912" → "không chín một hai".
func Digits(s string) string {
	w := make([]string, 0, len(s))
	for _, r := range s {
		if r >= '0' && r <= '9' {
			w = append(w, digitWords[r-'0'])
		}
	}
	return strings.Join(w, " ")
}

// maxNumberDigits is the longest digit run read as a number; longer ones
// (account numbers, ids) are read digit by digit.
const maxNumberDigits = 15

// readInteger reads a run of digits as people expect: as a number, or
// digit by digit when it starts with 0 (phone numbers, codes) or is too
// long to be a quantity.
func readInteger(s string) string {
	s = strings.TrimLeft(s, " ")
	if len(s) > 1 && s[0] == '0' || len(s) > maxNumberDigits {
		return Digits(s)
	}
	var n uint64
	for _, r := range s {
		n = n*10 + uint64(r-'0')
	}
	return Number(n)
}

// readQuantity reads a number as written in Vietnamese: a dot groups
// thousands (1.500.000), a comma is the decimal mark (3,5 → "ba phẩy năm").
// Digits after the decimal mark are read as a number unless they start
// with 0 ("0,05" → "không phẩy không năm").
func readQuantity(whole, frac string) string {
	out := readPlain(strings.ReplaceAll(whole, ".", ""))
	if frac == "" {
		return out
	}
	if frac[0] == '0' || len(frac) > 3 {
		return out + " phẩy " + Digits(frac)
	}
	return out + " phẩy " + readInteger(frac)
}

// readPlain reads a whole number without the leading-zero rule (the whole
// part of 0,5 is "không").
func readPlain(s string) string {
	if len(s) > maxNumberDigits {
		return Digits(s)
	}
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "không"
	}
	return readInteger(t)
}
