package tts

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzNormalize: whatever an editor pastes, the normaliser returns NFC
// text with every ASCII digit in words, and the splitter keeps each piece
// within the limit.
func FuzzNormalize(f *testing.F) {
	for _, seed := range []string{
		"UBND phường thông báo ngày 15/12/2026 lúc 7h30.",
		"Quý IV/2026, 39/2020/TT-BTTTT, 12/KH-UBND, 1.500.000đ, 98,5%",
		"gọi 0912345678 hoặc vanthu@anhoa.gov.vn; 2021-2025; 7h30 - 11h",
		"- Mục 1\n+ Mục 2\n\n1. (tầng 1) … \"trích\" – hết",
		"99999999999999999999 0,000001 1.2.3.4 31/2/2026 25:61 0h 24h00",
	} {
		f.Add(seed)
	}
	n := NewNormalizer(nil)
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		out := n.Normalize(in)
		if !norm.NFC.IsNormalString(out) {
			t.Errorf("not NFC: %q", out)
		}
		if strings.ContainsAny(out, "0123456789") {
			t.Errorf("digits left in %q (from %q)", out, in)
		}
		for _, p := range Split(out, 40) {
			if utf8.RuneCountInString(p.Text) > 40 {
				t.Errorf("piece of %d characters: %q", utf8.RuneCountInString(p.Text), p.Text)
			}
		}
	})
}
