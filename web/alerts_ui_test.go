package web

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// In the browser: an emergency sent from the page reaches the station,
// which acknowledges it but does not play it; after the bound (here one
// second) its progress row turns into a problem, in red and in words.
func TestEmergencyPageShowsAStuckStationInBrowser(t *testing.T) {
	ts, _, agent, seg := newEmergencyRig(t)
	ts.web.cfg.Alerts.PlayWithin = time.Second
	b := newBrowser(t, ts.URL)
	b.signIn("admin", testPassword)
	b.open("/emergency", "#em-form")
	b.do(chromedp.SetValue("#em-item", strconv.FormatUint(seg, 10)), chromedp.Click(`#em-targets input[value="tdp-01"]`),
		chromedp.Click("#em-form button[type=submit]"), chromedp.WaitVisible("#emc-go"), chromedp.Click("#emc-go"), chromedp.WaitVisible("#em-progress"))
	ackDelivered(t, ts, agent)
	row := `#emp-rows tr[data-station="tdp-01"]`
	b.waitText(row+" .state", "Trạm đã nhận")
	b.waitText(row+" .problem", "đã nhận lệnh phát khẩn cấp lúc") // the next poll of GET /api/alerts, within 5 s
	b.waitText(row+" .problem", "nhưng chưa phát sau")
	if n := b.count(row + ".bad"); n != 1 {
		t.Errorf("the row is not marked as a problem (%d rows with class bad)", n)
	}
	b.shot("emergency-stuck")
	b.checkConsole()
}
