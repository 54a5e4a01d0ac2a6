package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/alert"
	"loa/broadcast/hub"
	"loa/broadcast/protocol"
)

// The emergencies sent are remembered (what, by whom, when, where), so
// that the emergency page shows the recent ones and each target station's
// state of the command, from the hub, through to finished — after the
// person who sent it has left the page, or from another phone.

// keepEmergencies bounds the emergencies remembered; showEmergencies is
// how many the page lists.
const (
	keepEmergencies = 50
	showEmergencies = 10
)

var bucketEmergencies = []byte("web.emergencies") // command id (time-ordered) → JSON emergencyRecord

// emergencyRecord is one emergency as it was sent.
type emergencyRecord struct {
	ID        string    `json:"id"` // the command's id
	SegmentID uint64    `json:"segment_id"`
	Title     string    `json:"title"`
	Repeat    int       `json:"repeat"`
	Stations  []string  `json:"stations"`
	By        string    `json:"by"` // the person's sign-in name
	At        time.Time `json:"at"`
}

// commandAllowed says whether u may send a command of kind: an emergency
// (its route let them in), or, for the other kinds, an administrator.
func commandAllowed(u User, kind string) error {
	switch kind {
	case protocol.CommandEmergencyPlay, protocol.CommandEmergencyStop:
		return nil
	case protocol.CommandSetVolume, protocol.CommandRefresh, protocol.CommandResync, protocol.CommandLiveStart, protocol.CommandLiveStop:
		if u.Role.Can(RoleAdmin) {
			return nil
		}
		return errForbidden
	}
	return errBadCommand.withField("kind")
}

// recordEmergency remembers an emergency just sent; the command is out,
// so a failure to write is logged, not answered.
func (s *Server) recordEmergency(r *http.Request, cmd protocol.Command, targets []string) {
	rec := emergencyRecord{ID: cmd.ID, Repeat: cmd.Repeat, Stations: targets, By: currentUser(r).Name, At: s.now().UTC()}
	if it := cmd.Item; it != nil {
		rec.SegmentID, _ = strconv.ParseUint(it.SegmentID, 10, 64)
		rec.Title = it.Title
	}
	data, err := json.Marshal(rec)
	if err == nil {
		err = s.app.DB.Update(func(tx *bbolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(bucketEmergencies)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(rec.ID), data); err != nil {
				return err
			}
			// Count with a cursor: Stats does not see this transaction's
			// writes, and a loop on it never ended at the 51st emergency.
			n := 0
			c := b.Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				n++
			}
			for ; n > keepEmergencies; n-- {
				k, _ := b.Cursor().First()
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		s.log.Error("record emergency", "id", cmd.ID, "err", err)
	}
}

// recentEmergencies are the last n emergencies, newest first.
func (s *Server) recentEmergencies(n int) ([]emergencyRecord, error) {
	var out []emergencyRecord
	err := s.app.DB.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEmergencies)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			var rec emergencyRecord
			if err := json.NewDecoder(bytes.NewReader(v)).Decode(&rec); err != nil {
				return fmt.Errorf("decode emergency %q: %w", k, err)
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

// emergencyView is one emergency on the page: each target station's
// state and how many stations are in each.
type emergencyView struct {
	emergencyRecord
	ByName   string
	At       string // dd/mm/yyyy HH:MM, ward time
	Rows     []emergencyRow
	Counts   []stateCount // in the states' order
	Finished bool         // every station is done, failed or expired
}

// emergencyRow is one target station's state of an emergency.
type emergencyRow struct {
	ID, Name string
	Online   bool
	State    string // a hub state, or "" when the hub no longer has it
	Error    string
	Problem  *alert.Alert // command_not_playing for this command
}

type stateCount struct {
	State string
	N     int
}

// stateOrder is the order of the states on the page; finalStates end.
var (
	stateOrder  = []string{hub.StateQueued, hub.StateSent, protocol.StateDelivered, protocol.StatePlaying, protocol.StateDone, protocol.StateFailed, hub.StateExpired, ""}
	finalStates = []string{protocol.StateDone, protocol.StateFailed, hub.StateExpired, ""}
)

// emergencyViews builds the page's view of recs from the hub's command
// states and the stations' command_not_playing alerts.
func (s *Server) emergencyViews(recs []emergencyRecord, stuck []alert.Alert) []emergencyView {
	l := s.link
	out := make([]emergencyView, len(recs))
	for i, rec := range recs {
		v := emergencyView{emergencyRecord: rec, ByName: rec.By, At: s.fmt.dateTime(rec.At), Finished: true}
		if u, err := s.users.User(rec.By); err == nil && u.DisplayName != "" {
			v.ByName = u.DisplayName
		}
		counts := map[string]int{}
		for _, id := range rec.Stations {
			row := emergencyRow{ID: id, Name: id, Online: l.Hub.Online(id)}
			if st, err := l.Stations.Station(id); err == nil && st.Name != "" {
				row.Name = st.Name
			}
			for _, c := range l.Hub.Commands(id) {
				if c.ID == rec.ID {
					row.State, row.Error = c.State, c.Error
				}
			}
			row.Problem = problemOf(stuck, id, rec.ID)
			counts[row.State]++
			v.Finished = v.Finished && slices.Contains(finalStates, row.State)
			v.Rows = append(v.Rows, row)
		}
		for _, st := range stateOrder {
			if counts[st] > 0 {
				v.Counts = append(v.Counts, stateCount{st, counts[st]})
			}
		}
		out[i] = v
	}
	return out
}

// problemOf is the command_not_playing alert of station about command id.
func problemOf(stuck []alert.Alert, station, id string) *alert.Alert {
	for i, a := range stuck {
		if a.Station == station && slices.ContainsFunc(a.Commands, func(c alert.Command) bool { return c.ID == id }) {
			return &stuck[i]
		}
	}
	return nil
}

func init() { maps.Copy(catalogue, emergencyWords) }

// emergencyWords are the emergency page's own texts.
var emergencyWords = map[string]message{
	"em.recent":          {"Các lần phát khẩn cấp gần đây", "Recent emergency broadcasts"},
	"em.none_yet":        {"Chưa phát khẩn cấp lần nào.", "No emergency broadcast yet."},
	"em.when":            {"Thời gian", "When"},
	"em.by":              {"Người phát", "Sent by"},
	"em.result":          {"Kết quả", "Result"},
	"em.show":            {"Xem tiến trình", "Show progress"},
	"em.of":              {"«%s» — phát lúc %s, do %s gửi, tới %d trạm.", "“%s” — sent at %s by %s to %d stations."},
	"em.finished":        {"Đã kết thúc.", "Finished."},
	"em.going":           {"Đang diễn ra.", "In progress."},
	"em.shown":           {"đang xem", "shown"},
	"state.":             {"Không còn theo dõi được", "No longer tracked"},
	"js.state.":          {"Không còn theo dõi được", "No longer tracked"},
	"em.who":             {"Ai được phát khẩn cấp", "Who may send an emergency"},
	"em.who_hint":        {"Quản trị viên luôn được phát. Lãnh đạo trực cần phát được khi có sự cố.", "Administrators always may. The leader on duty needs to be able to in an emergency."},
	"em.save_who":        {"Lưu", "Save"},
	"js.em_need_item":    {"Hãy chọn bản tin cần phát.", "Choose the item to broadcast."},
	"js.em_need_targets": {"Hãy chọn nơi phát: tất cả các trạm, một cụm hoặc ít nhất một trạm.", "Choose where: every station, a group or at least one station."},
	"js.em_need_repeat":  {"Số lần phát phải từ 1 đến 10.", "Times to play must be from 1 to 10."},
	"js.em_you":          {"Bạn", "You"},
	"js.em_who_saved":    {"Đã lưu: %s được phát khẩn cấp.", "Saved: %s may send an emergency."},
}
