package report

// What aired, by kind: recorded items (bản tin), relays of a radio station
// (tiếp sóng) and live broadcasts from an operator's microphone (phát trực
// tiếp). The ledger keeps the kind with each event's snapshot.

// Kinds of what aired, as aired events and the ledger name them (the
// ledger stores audio as "").
const (
	KindAudio = "audio"
	KindRelay = "relay"
	KindLive  = "live"
)

// kinds lists the kinds in the order the report shows them.
var kinds = []string{KindAudio, KindRelay, KindLive}

// kindLabels words the kinds and the table's headings, Vietnamese first.
var kindLabels = map[string][2]string{
	"sheet_kinds": {"Theo loại phát sóng", "By kind"},
	"kind":        {"Loại phát sóng", "Kind"},
	"kind_audio":  {"Bản tin", "Recorded items"},
	"kind_relay":  {"Tiếp sóng", "Relays"},
	"kind_live":   {"Phát trực tiếp", "Live broadcasts"},
	"kinds_plays": {"Số lượt phát (kể cả khẩn cấp)", "Plays (emergency included)"},
}

func kindLabel(lang, key string) string {
	if l, ok := kindLabels[key]; ok {
		if lang == "en" {
			return l[1]
		}
		return l[0]
	}
	return label(lang, key)
}

// KindRow is one kind's plays and airtime. Unlike the other tables it
// counts emergency broadcasts too: live broadcasts are nearly all sent as
// emergencies, and the office asks how much of the airtime was relayed or
// live at all.
type KindRow struct {
	Kind        string  `json:"kind"` // audio, relay or live
	Name        string  `json:"name"`
	NameEn      string  `json:"name_en"`
	Plays       int     `json:"plays"`
	Airtime     Airtime `json:"airtime"`
	Share       float64 `json:"share"` // of all airtime, emergencies included
	PrevPlays   int     `json:"previous_plays"`
	PrevAirtime Airtime `json:"previous_airtime"`
}

// kindOf names a snapshot's kind ("" is audio).
func kindOf(k string) string {
	if k == "" {
		return KindAudio
	}
	return k
}

// byKind sums plays and airtime per kind.
func (f *figures) byKind() map[string][2]int64 {
	out := map[string][2]int64{}
	for _, s := range f.snaps {
		if s == nil {
			continue
		}
		k := kindOf(s.snap.Kind)
		v := out[k]
		out[k] = [2]int64{v[0] + int64(s.tally.OnAir()), v[1] + int64(s.tally.Airtime)}
	}
	return out
}

// kindRows lists every kind, aired or not, in the report's order (the
// ledger stores no other kind).
func kindRows(cur, prev *figures) []KindRow {
	c, p := cur.byKind(), prev.byKind()
	var all int64
	for _, v := range c {
		all += v[1]
	}
	rows := make([]KindRow, 0, len(kinds))
	for _, k := range kinds {
		r := KindRow{Kind: k, Name: k, NameEn: k, Plays: int(c[k][0]), Airtime: Airtime(c[k][1]), PrevPlays: int(p[k][0]), PrevAirtime: Airtime(p[k][1])}
		if l, ok := kindLabels["kind_"+k]; ok {
			r.Name, r.NameEn = l[0], l[1]
		}
		if all > 0 {
			r.Share = float64(c[k][1]) / float64(all)
		}
		rows = append(rows, r)
	}
	return rows
}

func kindsTable(r *Report, lang string) Table {
	t := Table{ID: "kinds", Title: kindLabel(lang, "sheet_kinds")}
	for i, k := range []string{"kind", "kinds_plays", "airtime", "share", "prev_plays", "prev_airtime"} {
		t.Columns = append(t.Columns, Column{Key: k, Label: kindLabel(lang, k), Width: []float64{26, 16, 14, 12, 16, 16}[i], Sums: i > 0})
	}
	var plays, prevPlays int
	var air, prevAir Airtime
	for _, x := range r.Kinds {
		name := x.Name
		if lang == "en" {
			name = x.NameEn
		}
		t.Rows = append(t.Rows, row(txt(name), num(x.Plays), dur(x.Airtime), pct(x.Share), num(x.PrevPlays), dur(x.PrevAirtime)))
		plays, prevPlays, air, prevAir = plays+x.Plays, prevPlays+x.PrevPlays, air+x.Airtime, prevAir+x.PrevAirtime
	}
	t.Total = row(txt(kindLabel(lang, "total")), num(plays), dur(air), shareOfAll(air), num(prevPlays), dur(prevAir))
	return t
}
