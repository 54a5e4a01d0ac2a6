package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"loa/broadcast/ledger"
	"loa/playlist"
)

// airlogDay is 31/07/2026 at tdp-01 as of 09:00 in the ward: items planned
// at 06:00 (aired), 07:00 (aired: the report server's own event), 08:00
// (never reported: overdue), 08:58 (still within its report grace) and
// 17:30 (ahead); a relay aired at 06:30 and an emergency cut in at 08:30.
func airlogDay(t *testing.T) *testServer {
	day := time.Date(2026, 7, 31, 0, 0, 0, 0, hcmZone)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	ts := newReportServerSeeded(t, func(pls *playlist.Store, led *ledger.Store) {
		pl := playlist.Playlist{Station: "tdp-01", Date: "2026-07-31", Zone: "Asia/Ho_Chi_Minh", BuiltAt: day.Add(-time.Hour)}
		for i, hm := range [][2]int{{6, 0}, {7, 0}, {8, 0}, {8, 58}, {17, 30}} {
			id := fmt.Sprint("d", i)
			if hm[0] == 7 {
				id = "it1" // the report server's event of 31/07 07:00
			}
			pl.Items = append(pl.Items, playlist.Item{ID: id, SegmentID: 3, Title: "Dịch vụ công trực tuyến", Topic: "cchc-dvc-truc-tuyen",
				Level: "ordinary", Kind: "audio", StartMs: at(hm[0], hm[1]).UnixMilli(), DurationMs: 60_000, Programme: "sang", Slot: "s1",
				Reason: playlist.Reason{Code: playlist.WhyRotation, N: i + 1}})
		}
		pl.Items = append(pl.Items, playlist.Item{ID: "r1", Title: "Tiếp sóng VOV1", Topic: "tin-tuc", Level: "ordinary", Kind: "relay",
			StartMs: at(6, 30).UnixMilli(), DurationMs: 600_000, URL: "http://radio.example/vov1", Programme: "sang", Slot: "s1"})
		if _, _, err := pls.SavePlaylists([]playlist.Playlist{pl}); err != nil {
			t.Fatal(err)
		}
		events := []ledger.Event{
			{StationID: "tdp-01", ID: "d0", ItemID: "d0", SegmentID: "3", Title: "Dịch vụ công trực tuyến", Topic: "cchc-dvc-truc-tuyen",
				Level: "ordinary", Duration: time.Minute, Planned: at(6, 0), Started: at(6, 0).Add(time.Second),
				Ended: at(6, 1).Add(time.Second), Played: time.Minute, Outcome: "completed"},
			{StationID: "tdp-01", ID: "r1", ItemID: "r1", Title: "Tiếp sóng VOV1", Topic: "tin-tuc", Level: "ordinary", Kind: "relay",
				Duration: 10 * time.Minute, Planned: at(6, 30), Started: at(6, 30), Ended: at(6, 40), Played: 10 * time.Minute, Outcome: "completed"},
			{StationID: "tdp-01", ID: "em", CommandID: "cmd-1", Title: "Thông báo khẩn: bão số 3", Topic: "thien-tai", Level: "emergency",
				Duration: 2 * time.Minute, Planned: at(8, 30), Started: at(8, 30), Ended: at(8, 32), Played: 2 * time.Minute, Outcome: "completed"},
		}
		if _, err := led.Record(events); err != nil {
			t.Fatal(err)
		}
	})
	ts.web.now = func() time.Time { return at(9, 0) }
	return ts
}

func TestAiredLogInBrowser(t *testing.T) {
	ts := airlogDay(t)
	b := newBrowser(t, ts.URL)
	b.signIn("admin", testPassword)

	// The station's day: every planned item's fate, coloured, in words.
	b.open("/airlog?date=31/07/2026&station=tdp-01", "#log-rows")
	for status, n := range map[string]int{"aired": 3, "overdue": 1, "future": 2, "emergency": 1} {
		if got := b.count(`#log-rows tr[data-status="` + status + `"]`); got != n {
			t.Errorf("%d rows %s, want %d", got, status, n)
		}
	}
	b.waitText(`#log-rows tr[data-status="overdue"]`, "Quá giờ chưa báo cáo")
	b.waitText(`#log-rows tr[data-status="future"]`, "Chưa tới giờ")
	b.waitText(`#log-rows tr[data-status="emergency"]`, "Phát khẩn cấp")
	b.waitText(`#log-rows`, "Tiếp sóng")
	b.waitText(`#log-rows tr[data-status="aired"]`, "06:00:01")
	if b.count(".log-timelines .tl-now") != 1 || b.count(".log-timelines rect.st-emergency") != 1 {
		t.Error("the timeline lacks its now marker or the emergency")
	}
	b.waitText(".log-now-note", "09:00")
	b.shot("airlog-station-day")
	// The next day has nothing; the filter form keeps the station.
	b.do(chromedp.Click("#log-next"), chromedp.WaitVisible("#log-rows"))
	b.waitText("#log-h", "Nhật ký phát sóng — ngày 01/08/2026")
	if v := b.value("#l-station"); v != "tdp-01" {
		t.Errorf("the station filter reads %q", v)
	}

	// The station's day view says what became of each item beside why it
	// was planned (the rotation count is as of the list's building).
	b.open("/schedule?station=tdp-01&date=31/07/2026", "#day-items")
	b.waitText(`#day-items tbody tr:first-child`, "khi lập lịch, đã phát 0 lần")
	b.waitText(`#day-items tbody tr:first-child td[data-status="aired"]`, "Phát đủ 06:00:01")
	b.waitText(`#day-items td[data-status="overdue"]`, "Quá giờ chưa báo cáo")
	b.shot("schedule-station-day")
	b.do(chromedp.Click("#day-airlog"), chromedp.WaitVisible("#log-rows"))

	// The report's figures link to the rows behind them.
	b.open("/reports?from=31/07/2026&to=31/07/2026", "#rep-stations")
	b.waitText("#rep-stations", "Tổ dân phố 1")
	if b.count(".report-charts svg") < 5 {
		t.Error("the report page lacks its charts")
	}
	b.shot("reports-day")
	link := `#rep-stations tbody tr:first-child a[href*="status=overdue"]`
	if got := b.text(link); got != "1" {
		t.Errorf("the station's overdue figure reads %q", got)
	}
	b.do(chromedp.Click(link), chromedp.WaitVisible("#log-rows"))
	if n, all := b.count("#log-rows tbody tr"), b.count(`#log-rows tr[data-status="overdue"]`); n != 1 || all != 1 {
		t.Errorf("the overdue figure opens %d rows, %d of them overdue", n, all)
	}
	b.checkConsole()
}

func TestReportSettingsAndPrintInBrowser(t *testing.T) {
	ts := airlogDay(t)
	b := newBrowser(t, ts.URL)
	b.signIn("admin", testPassword)
	b.open("/reports?period=2026-Q3", "#settings-unset")
	b.do(chromedp.Click(`#settings-unset a`), chromedp.WaitVisible("#report-settings"))
	b.setValue("#rs-ward", "Phường An Phú")
	b.setValue("#rs-place", "An Phú")
	b.setValue("#rs-symbol", "BC-VHXH")
	b.setValue("#rs-title", "Trưởng phòng")
	b.setValue("#rs-name", "Nguyễn Thị Lan")
	b.setValue("#rs-recipients", "UBND phường (để báo cáo);\nLưu: VT, VHXH.")
	b.do(chromedp.Click(`#report-settings button[type=submit]`))
	b.waitText("#report-settings .form-ok", "Đã lưu.")
	b.open("/reports?period=2026-Q3", "#downloads")
	if b.count("#settings-unset") != 0 {
		t.Error("the page still says the settings are missing")
	}

	// The A4 version: the static stylesheet applies (the CSP allows it).
	b.open("/api/reports/2026-Q3?format=html&lang=vi", "table.letterhead")
	font, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).fontFamily`))
	if err != nil || !strings.Contains(font, "Times New Roman") {
		t.Errorf("the printed report's font is %q (%v): its stylesheet did not apply", font, err)
	}
	border, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("table.figures td")).borderTopStyle`))
	if border != "solid" {
		t.Errorf("table cells have border %q", border)
	}
	b.waitText(".letterhead", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	b.waitText(".letterhead", "An Phú, ngày")
	b.waitText(".signoff", "Nguyễn Thị Lan")
	if b.count(".unset") != 0 {
		t.Error("the printed report still says the settings are missing")
	}
	if png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); err == nil {
		writeShot(t, b, "report-a4", png)
	}
	b.checkConsole()
}

// writeShot saves a screenshot of the page as it is (the A4 report has no
// <main> for shot to wait on).
func writeShot(t *testing.T, b *browser, name string, png []byte) {
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
