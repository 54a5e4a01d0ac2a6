package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// q3Report is the fixture's Q3 2026 report, generated at 08:30 on 05/10
// in the ward.
func q3Report(t *testing.T) *Report {
	t.Helper()
	l := openLedger(t)
	plan := fixture(t, l)
	b := &Builder{Ledger: l, Plan: plan, Now: func() time.Time { return time.Date(2026, 10, 5, 8, 30, 0, 0, hcm) }}
	r, err := b.Build(Quarter(2026, 3), testDir)
	if err != nil {
		t.Fatal(err)
	}
	r.SetIssuer(testIssuer)
	return r
}

var testIssuer = Settings{Ward: "Phường An Phú", Office: DefaultOffice, Place: "An Phú", Symbol: "BC-VHXH",
	SignerTitle: "Trưởng phòng", SignerName: "Nguyễn Thị Lan", Recipients: []string{"UBND phường (để báo cáo);", "Lưu: VT, VHXH."}}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff\n%s", name, firstDiff(got, want))
	}
	if !norm.NFC.IsNormal(got) {
		t.Errorf("%s is not NFC", name)
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

func TestJSONExport(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, q3Report(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "q3.json", buf.Bytes())
}

func TestCSVExportOpensInExcelWithVietnamese(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, q3Report(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	golden(t, "q3.csv", buf.Bytes())
}

func TestHTMLExport(t *testing.T) {
	t.Parallel()
	r := q3Report(t)
	for _, lang := range []string{"vi", "en"} {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, r, lang); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		for _, want := range []string{"PHƯỜNG AN PHÚ", "05/10/2026 08:30", "<svg", `<link rel="stylesheet" href="/static/report-print.css">`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s page lacks %q", lang, want)
			}
		}
		if strings.Contains(page, "<style") || strings.Contains(page, "style=") {
			t.Errorf("%s page has inline style, which the server's CSP blocks", lang)
		}
		golden(t, "q3."+lang+".html", buf.Bytes())
	}
}

// TestPrintIsAnAdministrativeDocument: the parts Nghị định 30/2020/NĐ-CP
// asks of a report, in order.
func TestPrintIsAnAdministrativeDocument(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, q3Report(t), "vi"); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	at := 0
	for _, want := range []string{"UBND PHƯỜNG AN PHÚ", "PHÒNG VĂN HÓA – XÃ HỘI", "Số:        /BC-VHXH",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "An Phú, ngày 05 tháng 10 năm 2026",
		"BÁO CÁO", "Kết quả công tác thông tin, tuyên truyền cải cách hành chính trên hệ thống truyền thanh cơ sở quý III năm 2026",
		"Trong quý III năm 2026, hệ thống truyền thanh cơ sở đã phát 27 lượt tin, bài", "tăng", "so với quý II/2026",
		"<svg", "Tổng hợp", "Quý II/2026", "Nơi nhận:", "UBND phường (để báo cáo);", "TRƯỞNG PHÒNG", "Nguyễn Thị Lan"} {
		i := strings.Index(page[at:], want)
		if i < 0 {
			t.Fatalf("after byte %d the page lacks %q", at, want)
		}
		at += i
	}
}

// TestNoWardNameNoEmptyHeading: with no ward set, nothing reads
// "— Quý III/2026" or "Đơn vị:" with nothing after it.
func TestNoWardNameNoEmptyHeading(t *testing.T) {
	t.Parallel()
	r := q3Report(t)
	r.Ward, r.Issuer = "", Settings{}
	var page, csvOut, book bytes.Buffer
	if err := WriteHTML(&page, r, "vi"); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&book, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a2, _ := f.GetCellValue("Tổng hợp", "A2")
	if strings.Contains(a2, "Đơn vị") {
		t.Errorf("the workbook says %q with no ward", a2)
	}
	if strings.Contains(csvOut.String(), "Đơn vị,\r\n") || strings.Contains(csvOut.String(), "Đơn vị\r\n") {
		t.Error("the CSV has an empty Đơn vị line")
	}
	if strings.Contains(page.String(), "— Quý") || strings.Contains(page.String(), "UBND") {
		t.Error("the page has a heading with no ward in it")
	}
	if !strings.Contains(page.String(), `class="unset"`) {
		t.Error("the page does not say that the settings are missing")
	}
}

// TestXLSXExport reads the workbook back with excelize and compares every
// sheet's cell values (raw: numbers as stored) with the golden dump.
func TestXLSXExport(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, q3Report(t)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var dump strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&dump, "== %s\n", sh)
		for _, r := range rows {
			fmt.Fprintln(&dump, strings.Join(r, " | "))
		}
	}
	golden(t, "q3.xlsx.txt", []byte(dump.String()))

	// Airtime is a real duration cell, the generation time a real date.
	for _, c := range []struct{ sheet, cell, format, shown string }{
		{"Tổng hợp", "B9", "[h]:mm:ss", ""},
		{"Tổng hợp", "B4", "dd/mm/yyyy hh:mm", "05/10/2026 08:30"},
		{"Bỏ lỡ và lỗi phát", "B7", "dd/mm/yyyy hh:mm", ""},
	} {
		id, err := f.GetCellStyle(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.GetStyle(id)
		typ, _ := f.GetCellType(c.sheet, c.cell)
		if st.CustomNumFmt == nil || *st.CustomNumFmt != c.format || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("%s!%s: type %v, format %v, want a number shown as %s", c.sheet, c.cell, typ, st.CustomNumFmt, c.format)
		}
		if shown, _ := f.GetCellValue(c.sheet, c.cell); c.shown != "" && shown != c.shown {
			t.Errorf("%s!%s shows %q, want %q", c.sheet, c.cell, shown, c.shown)
		}
	}
	if l, _ := f.GetPageLayout("Theo trạm"); l.Size == nil || *l.Size != 9 || *l.Orientation != "landscape" {
		t.Errorf("page layout %+v, want A4 landscape", l)
	}
}

func TestLabelsAreNFC(t *testing.T) {
	t.Parallel()
	for k, l := range labels {
		if !norm.NFC.IsNormalString(l[0]) || !norm.NFC.IsNormalString(l[1]) {
			t.Errorf("label %s is not NFC", k)
		}
	}
}
