package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"loa/broadcast/alert"
	"loa/broadcast/hub"
)

// Alerts are computed by broadcast/alert; the web layer serves them (the
// overview, GET /api/alerts, /metrics) and words them for people.

// AlertConfig sets the alert thresholds and the webhook: alert.Config,
// under the name the server's Config has used for it.
type AlertConfig = alert.Config

// alerter returns the alert checker over the parts the server holds.
func (s *Server) alerter() *alert.Checker {
	src := alert.Sources{Stations: s.link.Stations, Hub: s.link.Hub, Ledger: s.report.Builder.Ledger,
		Plans: s.sched.Store, DataDir: s.blobs.TempDir()}
	return alert.New(s.cfg.Alerts, src, s.fmt.alertWords)
}

// Alerts returns every alert that holds at now, critical ones first.
func (s *Server) Alerts(now time.Time) ([]alert.Alert, error) { return s.alerter().Alerts(now) }

// alertWatch holds the webhook job, made on its first run so that it
// reads the parts and settings the server has by then.
type alertWatch struct {
	once sync.Once
	w    *alert.Watch
}

func newAlertWatch() *alertWatch { return &alertWatch{} }

// CheckAlerts is the alert job's body (alert.Watch.Check): events for the
// alerts that started or cleared since the last run go to the webhook.
func (s *Server) CheckAlerts(ctx context.Context, now time.Time) error {
	s.watch.once.Do(func() { s.watch.w = alert.NewWatch(s.cfg.Alerts.Webhook, s.Alerts) })
	return s.watch.w.Check(ctx, now)
}

// listAlerts is GET /api/alerts: the alerts now, each with its message in
// the client's language.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) error {
	alerts, err := s.Alerts(s.now())
	if err != nil {
		return err
	}
	type view struct {
		alert.Alert
		Message string `json:"message"`
	}
	out := make([]view, len(alerts))
	for i, a := range alerts {
		out[i] = view{Alert: a, Message: a.Vi}
		if lang(r) == "en" {
			out[i].Message = a.En
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// alertWords is an alert in Vietnamese and in English, times in the
// ward's zone.
func (f formatter) alertWords(a alert.Alert, now time.Time) (vi, en string) {
	name := a.StationName
	if name == "" {
		name = a.Station
	}
	mins := int(now.Sub(a.Since).Minutes())
	switch a.Kind {
	case alert.KindStationOffline:
		if a.Never {
			return fmt.Sprintf("Trạm %s chưa từng kết nối (tạo %d phút trước)", name, mins),
				fmt.Sprintf("Station %s has never connected (set up %d minutes ago)", name, mins)
		}
		return fmt.Sprintf("Trạm %s mất kết nối %d phút", name, mins),
			fmt.Sprintf("Station %s offline for %d minutes", name, mins)
	case alert.KindOutputSilent:
		return fmt.Sprintf("Trạm %s đang phát nhưng không có tiếng (mất tín hiệu ra loa)", name),
			fmt.Sprintf("Station %s is playing but its output is silent", name)
	case alert.KindPlaylistPending:
		return fmt.Sprintf("Trạm %s chưa nhận danh sách phát mới nhất hôm nay (tạo %d phút trước)", name, mins),
			fmt.Sprintf("Station %s has not received today's latest playlist (built %d minutes ago)", name, mins)
	case alert.KindMissedItems:
		return fmt.Sprintf("Trạm %s bỏ lỡ %d bản tin hôm nay", name, a.Count),
			fmt.Sprintf("Station %s missed %d %s today", name, a.Count, plural(a.Count, "item", "items"))
	case alert.KindDiskLow:
		mb := a.FreeBytes >> 20
		return fmt.Sprintf("Ổ đĩa dữ liệu sắp đầy: còn %d MB", mb),
			fmt.Sprintf("Data disk low: %d MB free", mb)
	case alert.KindOverdue, alert.KindOverdueOffline:
		return f.overdueWords(name, a)
	case alert.KindNotPlaying:
		return f.notPlayingWords(name, a, now)
	case alert.KindOffPlan:
		return f.offPlanWords(name, a)
	case alert.KindAiredBound:
		return fmt.Sprintf("Trạm %s gửi quá nhiều báo cáo phát trong hôm nay; các báo cáo sau không được lưu — hãy kiểm tra phần mềm trạm và cấp lại mã kết nối nếu nghi bị lạm dụng", name),
			fmt.Sprintf("Station %s sent more proof-of-play reports today than any agent should; the rest are not stored — check its agent, and renew its token if it may be misused", name)
	}
	return a.Kind, a.Kind
}

// overdueWords names the overdue items (at most three) with their planned
// times; an offline station's read as "not reported yet", an online one's
// as a fault.
func (f formatter) overdueWords(name string, a alert.Alert) (vi, en string) {
	var vis, ens []string
	for _, it := range a.Items[:min(len(a.Items), 3)] {
		vis = append(vis, fmt.Sprintf("«%s» lúc %s", it.Title, f.dateTime(it.Planned)))
		ens = append(ens, fmt.Sprintf("“%s” at %s", it.Title, f.dateTime(it.Planned)))
	}
	listVi, listEn := strings.Join(vis, ", "), strings.Join(ens, ", ")
	if more := a.Count - len(vis); more > 0 {
		listVi += fmt.Sprintf(" và %d bản tin khác", more)
		listEn += fmt.Sprintf(" and %d more", more)
	}
	if a.Kind == alert.KindOverdueOffline {
		return fmt.Sprintf("Trạm %s mất kết nối, chưa báo đã phát %s: trạm có thể vẫn phát và sẽ báo khi kết nối lại", name, listVi),
			fmt.Sprintf("Station %s is offline and has not reported %s: it may have played and will report when it reconnects", name, listEn)
	}
	return fmt.Sprintf("Trạm %s đang kết nối nhưng không phát %s (quá giờ, chưa báo đã phát)", name, listVi),
		fmt.Sprintf("Station %s is online but did not play %s (overdue, nothing reported)", name, listEn)
}

// notPlayingWords names the oldest command that reached the station but
// does not play.
func (f formatter) notPlayingWords(name string, a alert.Alert, now time.Time) (vi, en string) {
	if len(a.Commands) == 0 {
		return a.Kind, a.Kind
	}
	cmd := a.Commands[0]
	secs := int(now.Sub(cmd.Since).Seconds())
	whatVi, whatEn := "lệnh phát khẩn cấp", "emergency broadcast"
	if cmd.Kind == "live_start" {
		whatVi, whatEn = "lệnh phát trực tiếp", "live broadcast"
	}
	if cmd.State == hub.StateSent {
		return fmt.Sprintf("Trạm %s đang kết nối nhưng chưa xác nhận %s gửi lúc %s sau %d giây", name, whatVi, f.clock(cmd.Since), secs),
			fmt.Sprintf("Station %s is connected but has not acknowledged the %s sent at %s after %d seconds", name, whatEn, f.clock(cmd.Since), secs)
	}
	return fmt.Sprintf("Trạm %s đã nhận %s lúc %s nhưng chưa phát sau %d giây", name, whatVi, f.clock(cmd.Since), secs),
		fmt.Sprintf("Station %s received the %s at %s but has not started playing it after %d seconds", name, whatEn, f.clock(cmd.Since), secs)
}

// offPlanWords says what the agent waits for and what the plan has.
func (f formatter) offPlanWords(name string, a alert.Alert) (vi, en string) {
	if len(a.Items) == 0 {
		return a.Kind, a.Kind
	}
	w := a.Items[0]
	if a.Playing {
		return fmt.Sprintf("Trạm %s đang phát «%s» (lịch %s) nhưng kế hoạch không có bản tin này", name, w.Title, f.dateTime(w.Planned)),
			fmt.Sprintf("Station %s is playing “%s” (planned %s), which the plan does not have", name, w.Title, f.dateTime(w.Planned))
	}
	if len(a.Items) == 1 {
		return fmt.Sprintf("Trạm %s đang chờ phát «%s» lúc %s nhưng kế hoạch không còn bản tin này", name, w.Title, f.dateTime(w.Planned)),
			fmt.Sprintf("Station %s waits to play “%s” at %s, which the plan no longer has", name, w.Title, f.dateTime(w.Planned))
	}
	p := a.Items[1]
	return fmt.Sprintf("Trạm %s đang chờ phát «%s» lúc %s nhưng theo kế hoạch bản tin kế tiếp là «%s» lúc %s", name, w.Title, f.dateTime(w.Planned), p.Title, f.dateTime(p.Planned)),
		fmt.Sprintf("Station %s waits to play “%s” at %s but the plan's next item is “%s” at %s", name, w.Title, f.dateTime(w.Planned), p.Title, f.dateTime(p.Planned))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
