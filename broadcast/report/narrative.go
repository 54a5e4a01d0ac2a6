package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The administrative form's words: the period as a title phrases it, the
// generated narrative paragraph, and the place-and-date line.

// Phrase is the period as a report's title ends: "quý IV năm 2026",
// "6 tháng đầu năm 2026", "năm 2026", "tháng 10 năm 2026", "từ ngày
// 01/10/2026 đến ngày 15/10/2026"; in English "Q4 2026" and so on.
func (p Period) Phrase(lang string) string {
	if lang == "en" {
		return p.Name("en")
	}
	switch p.Kind {
	case KindQuarter:
		return fmt.Sprintf("quý %s năm %d", romans[p.N], p.Year)
	case KindHalf:
		return strings.ToLower(p.Name("vi")[:1]) + p.Name("vi")[1:]
	case KindYear:
		return fmt.Sprintf("năm %d", p.Year)
	case KindMonth:
		return fmt.Sprintf("tháng %d năm %d", p.N, p.Year)
	}
	return "từ ngày " + dmy(p.From) + " đến ngày " + dmy(p.To)
}

// hoursText writes airtime in hours with one decimal and a decimal comma
// ("12,5"), or in minutes under an hour ("45 phút").
func hoursText(a Airtime, lang string) string {
	d := time.Duration(a)
	if d < time.Hour {
		m := int(math.Round(d.Minutes()))
		if lang == "en" {
			return strconv.Itoa(m) + " minutes"
		}
		return strconv.Itoa(m) + " phút"
	}
	h := strconv.FormatFloat(d.Hours(), 'f', 1, 64)
	if lang == "en" {
		return h + " hours"
	}
	return strings.Replace(h, ".", ",", 1) + " giờ"
}

// percentText writes a share 0–1 with one decimal and a decimal comma.
func percentText(f float64, lang string) string {
	s := strconv.FormatFloat(f*100, 'f', 1, 64)
	if lang == "en" {
		return s + "%"
	}
	return strings.Replace(s, ".", ",", 1) + "%"
}

// change words how cur compares with prev: "tăng 12,5%", "giảm 3,0%",
// "bằng", or "" when the previous period had nothing.
func change(cur, prev float64, lang string) string {
	if prev <= 0 {
		return ""
	}
	d := (cur - prev) / prev
	switch {
	case math.Abs(d) < 0.0005 && lang == "en":
		return "unchanged"
	case math.Abs(d) < 0.0005:
		return "bằng"
	case d > 0 && lang == "en":
		return "up " + percentText(d, lang)
	case d > 0:
		return "tăng " + percentText(d, lang)
	case lang == "en":
		return "down " + percentText(-d, lang)
	}
	return "giảm " + percentText(-d, lang)
}

// Narrative is the report's opening paragraph, generated from its figures
// for the office to edit: what aired, how long, the CCHC share, the
// comparison with the previous period, and the completion of the plan.
func Narrative(r *Report, lang string) string {
	t, p := r.Totals, r.PrevTotals
	var b strings.Builder
	if lang == "en" {
		fmt.Fprintf(&b, "In %s the ward's loudspeaker network aired %d plays of %d distinct items, %s in all; administrative-reform topics took %s of the airtime (%s).",
			r.Period.Phrase(lang), t.Plays, t.DistinctItems, hoursText(t.Airtime, lang), percentText(t.CCHCShare, lang), hoursText(t.CCHCAirtime, lang))
		if c := change(float64(t.Airtime), float64(p.Airtime), lang); c != "" {
			fmt.Fprintf(&b, " Airtime is %s on the previous period (%s).", c, hoursText(p.Airtime, lang))
		}
		if t.Compliance >= 0 {
			fmt.Fprintf(&b, " %s of the %d planned items that were due went on air.", percentText(t.Compliance, lang), t.Planned-t.Future)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "Trong %s, hệ thống truyền thanh cơ sở đã phát %d lượt tin, bài (%d tin, bài khác nhau), tổng thời lượng %s; tin, bài về cải cách hành chính (CCHC) chiếm %s thời lượng (%s).",
		r.Period.Phrase(lang), t.Plays, t.DistinctItems, hoursText(t.Airtime, lang), percentText(t.CCHCShare, lang), hoursText(t.CCHCAirtime, lang))
	if c := change(float64(t.Airtime), float64(p.Airtime), lang); c != "" {
		fmt.Fprintf(&b, " Tổng thời lượng %s so với %s (%s).", c, strings.ToLower(r.Previous.NameVi[:1])+r.Previous.NameVi[1:], hoursText(p.Airtime, lang))
	}
	if t.Compliance >= 0 {
		fmt.Fprintf(&b, " Tỷ lệ thực hiện kế hoạch đạt %s (%d/%d lượt đến giờ phát).", percentText(t.Compliance, lang), min(t.Plays, t.Planned-t.Future), t.Planned-t.Future)
	}
	if t.Emergency > 0 {
		fmt.Fprintf(&b, " Ngoài kế hoạch, hệ thống đã phát %d lượt tin khẩn cấp (%s).", t.Emergency, hoursText(t.EmergencyAirtime, lang))
	}
	return b.String()
}

// PlaceDate is the line under the national motto: "An Phú, ngày 07 tháng
// 12 năm 2026" (the place left out when it is not set).
func PlaceDate(place string, at time.Time, lang string) string {
	var s string
	if lang == "en" {
		s = at.Format("2 January 2006")
	} else {
		s = fmt.Sprintf("ngày %02d tháng %02d năm %d", at.Day(), at.Month(), at.Year())
	}
	if place != "" {
		return place + ", " + s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
