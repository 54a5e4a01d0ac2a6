package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"loa/broadcast/hub"
	"loa/broadcast/live"
	"loa/broadcast/protocol"
	"loa/playlist/library"
)

// A live broadcast: an operator speaks into the browser's microphone and
// the chosen stations play it as it comes.
//
//  1. POST /api/live opens a session (title, topic, where) after the same
//     checks as an emergency; it answers the session id and the socket.
//  2. The page opens GET /api/live/{id}/socket (a websocket, same origin,
//     only the operator who opened it) and sends binary frames of 16 kHz
//     mono s16le PCM. The server sends live_start to the stations, which
//     GET /agent/live/{id} (their token; only targeted stations) and play
//     the chunked body as it arrives.
//  3. The socket's end (the page's Stop, POST /api/live/{id}/stop, the
//     maximum length) ends the session: live_stop to the stations, and the
//     recording goes through the upload's ingest into the library,
//     approved by the operator, who was allowed to broadcast it live. A bad
//     frame (text, odd length, too big) aborts the session with a close
//     code and reason, and no segment is made of it.
//
// The session id is the aired events' item_id. The recording's segment id
// is reserved when the session opens and sent in live_start, so the aired
// events name the segment the recording becomes; the live store keeps the
// record of past sessions (GET /api/live/{id}).

// Live broadcast limits.
const (
	LiveRate     = 16000 // the page's PCM: 16 kHz mono s16le
	LiveChannels = 1
	// liveConnectWithin is how long an opened session waits for its socket.
	liveConnectWithin = 30 * time.Second
	// liveIdle ends a session whose page sent nothing for this long.
	liveIdle = 10 * time.Second
	// liveMaxMinutes bounds a session when the form names no length.
	liveMaxMinutes = 60
)

// liveState is the server's live broadcasts: the sessions on the air and
// the record of past ones (parts.go).
type liveState struct {
	sessions *live.Manager
	store    *live.Store
}

var (
	errLiveNotFound  = &apiError{http.StatusNotFound, "live_not_found", "Không có buổi phát trực tiếp này", "No such live broadcast", ""}
	errLiveNotTarget = &apiError{http.StatusForbidden, "live_not_target", "Trạm này không nằm trong buổi phát trực tiếp", "This station is not a target of the live broadcast", ""}
	errLiveEnded     = &apiError{http.StatusGone, "live_ended", "Buổi phát trực tiếp đã kết thúc", "The live broadcast has ended", ""}
	errLiveNotYours  = &apiError{http.StatusForbidden, "live_not_yours", "Buổi phát trực tiếp này do người khác mở", "Another operator opened this live broadcast", ""}
	errLiveBusy      = &apiError{http.StatusConflict, "live_busy", "Buổi phát trực tiếp đã có người nói", "The live broadcast already has a speaker", ""}
	errLiveLength    = &apiError{http.StatusUnprocessableEntity, "live_length", "Thời lượng tối đa từ 1 đến 240 phút", "The maximum length is 1 to 240 minutes", "max_minutes"}
)

// liveForm is the body of POST /api/live.
type liveForm struct {
	Title      string   `json:"title"`
	Topic      string   `json:"topic"`
	All        bool     `json:"all"`
	Groups     []string `json:"groups"`
	Stations   []string `json:"stations"`
	MaxMinutes int      `json:"max_minutes"`
}

// startLive opens a session; the stations hear of it once the page's
// socket connects.
func (s *Server) startLive(w http.ResponseWriter, r *http.Request) error {
	lv, l := s.live, s.link
	var f liveForm
	if err := readJSON(w, r, &f); err != nil {
		return err
	}
	f.MaxMinutes = cmp.Or(f.MaxMinutes, liveMaxMinutes)
	if f.MaxMinutes < 1 || f.MaxMinutes > 240 {
		return errLiveLength
	}
	meta := library.Segment{Title: f.Title, Topic: f.Topic, Level: library.LevelEmergency,
		Targets: library.Targets{All: f.All, Groups: f.Groups, Stations: f.Stations}}
	if err := s.checkScope(r, meta.Targets); err != nil {
		return err
	}
	if strings.TrimSpace(f.Title) == "" {
		return errFieldRequired.withField("title")
	}
	if err := s.lib.Check(meta); err != nil { // the recording must be able to become this segment
		return libraryError(err)
	}
	targets, err := commandTargets(l.Stations, commandForm{All: f.All, Groups: f.Groups, Stations: f.Stations})
	if err != nil {
		return err
	}
	// The recording's segment id is taken now, so that what the stations
	// report of the broadcast names it (a session that records nothing
	// leaves a gap in the ids, never a half-made segment).
	segID, err := s.lib.Reserve()
	if err != nil {
		return err
	}
	info := live.Info{ID: live.NewID(s.now()), SegmentID: segID, Title: strings.TrimSpace(f.Title), Topic: f.Topic, By: currentUser(r).Name,
		Stations: dedupe(targets), Rate: LiveRate, Channels: LiveChannels,
		MaxLength: time.Duration(f.MaxMinutes) * time.Minute, Created: s.now()}
	sess, err := lv.sessions.Start(info)
	if err != nil {
		return err
	}
	time.AfterFunc(liveConnectWithin, func() {
		if sess.Expire() {
			sess.Finish(live.Result{})
			s.log.Warn("live session never connected", "live", info.ID)
		}
	})
	s.audit(r, "live.open", "live/"+info.ID, nil, map[string]any{"title": info.Title, "topic": info.Topic, "stations": info.Stations})
	writeJSON(w, http.StatusCreated, map[string]any{"id": info.ID, "stations": len(info.Stations),
		"socket": "/api/live/" + info.ID + "/socket", "rate": info.Rate, "channels": info.Channels})
	return nil
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// liveSession finds the session of the path, on the air or just ended.
func (lv *liveState) session(r *http.Request) (*live.Session, error) {
	sess, err := lv.sessions.Session(r.PathValue("id"))
	if errors.Is(err, live.ErrNotFound) {
		return nil, errLiveNotFound
	}
	return sess, err
}

// stopLive ends a session from outside its socket (another tab, another
// operator) and answers what became of it once the recording is stored.
func (s *Server) stopLive(w http.ResponseWriter, r *http.Request) error {
	lv, _ := s.live, s.link
	sess, err := lv.session(r)
	if err != nil {
		return err
	}
	if !sess.Expire() {
		sess.Stop()
	} else {
		sess.Finish(live.Result{})
	}
	s.audit(r, "live.stop", "live/"+sess.Info().ID, nil, nil)
	res, ok := sess.Result(time.Minute)
	body := map[string]any{"id": sess.Info().ID, "ended": ok}
	if res.SegmentID != 0 {
		body["segment_id"] = res.SegmentID
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// liveView is GET /api/live/{id}: a session on the air, or the record of
// a past one with the segment it became.
type liveView struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Topic     string `json:"topic"`
	By        string `json:"by"`
	OnAir     bool   `json:"on_air"`
	Stations  int    `json:"stations"`
	Listeners int    `json:"listeners"`
	LengthMs  int64  `json:"length_ms"`
	SegmentID uint64 `json:"segment_id,omitempty"`
}

func (s *Server) liveStatus(w http.ResponseWriter, r *http.Request) error {
	lv, _ := s.live, s.link
	if rec, err := lv.store.Record(r.PathValue("id")); err == nil {
		writeJSON(w, http.StatusOK, liveView{ID: rec.ID, Title: rec.Title, Topic: rec.Topic, By: rec.By,
			Stations: len(rec.Stations), LengthMs: rec.Length, SegmentID: rec.SegmentID})
		return nil
	} else if !errors.Is(err, live.ErrNotFound) {
		return err
	}
	sess, err := lv.session(r)
	if err != nil {
		return err
	}
	i := sess.Info()
	writeJSON(w, http.StatusOK, liveView{ID: i.ID, Title: i.Title, Topic: i.Topic, By: i.By, OnAir: !sess.Ended(),
		Stations: len(i.Stations), Listeners: sess.Listeners(), LengthMs: sess.Received().Milliseconds()})
	return nil
}

// liveCommand is the live_start (or, with stop, live_stop) for a session.
func liveCommand(i live.Info, now time.Time, stop bool) protocol.Command {
	if stop {
		return protocol.Command{ID: newCommandID(now), Kind: protocol.CommandLiveStop, Live: &protocol.Live{ID: i.ID},
			ExpiresMs: now.Add(time.Minute).UnixMilli()}
	}
	return protocol.Command{ID: newCommandID(now), Kind: protocol.CommandLiveStart, Live: &protocol.Live{
		ID: i.ID, SegmentID: segmentRef(i.SegmentID), Title: i.Title, Topic: i.Topic, Path: "/agent/live/" + i.ID, Format: protocol.LivePCM16,
		Rate: i.Rate, Channels: i.Channels, MaxMs: i.MaxLength.Milliseconds(),
	}, ExpiresMs: now.Add(liveConnectWithin).UnixMilli()} // a station that comes back later has missed it
}

// segmentRef is a segment id as the protocol carries it ("" for none).
func segmentRef(id uint64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatUint(id, 10)
}

// agentLive streams a session's PCM to one of its stations: a chunked
// body, flushed per frame, that ends when the session ends, or breaks off
// (no final chunk) when the station fell so far behind that it was dropped.
func (s *Server) agentLive(w http.ResponseWriter, r *http.Request) error {
	lv, l := s.live, s.link
	st, err := l.Stations.Authenticate(stationToken(r))
	if err != nil {
		return errUnauthorized // the guard let it in a moment ago: revoked since
	}
	sess, err := lv.session(r)
	if err != nil {
		return err
	}
	lis, err := sess.Listen(st.ID)
	switch {
	case errors.Is(err, live.ErrNotListed):
		return errLiveNotTarget
	case errors.Is(err, live.ErrEnded):
		return errLiveEnded
	case err != nil:
		return err
	}
	defer sess.Leave(lis)
	i := sess.Info()
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a reverse proxy must pass each frame on at once (nginx honours this)
	h.Set("X-Loa-Format", protocol.LivePCM16)
	h.Set("X-Loa-Rate", strconv.Itoa(i.Rate))
	h.Set("X-Loa-Channels", strconv.Itoa(i.Channels))
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	for {
		frame, err := lis.Next(r.Context())
		if err != nil {
			if errors.Is(err, live.ErrTooSlow) {
				// Cut the body without its end, so that the agent reports a
				// broken stream (live_lost), not a broadcast that ended.
				s.log.Warn("live listener dropped: too slow", "live", i.ID, "station", st.ID)
				panic(http.ErrAbortHandler)
			}
			return nil
		}
		rc.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := w.Write(frame); err != nil {
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}

// stationToken is the token a station sent (as authenticateStation reads it).
func stationToken(r *http.Request) string {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		token = r.Header.Get(hub.TokenHeader)
	}
	return strings.TrimSpace(token)
}

// liveContext outlives the socket's request (a hijacked connection), for
// storing the recording after the page went away.
func liveContext(r *http.Request) (*http.Request, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Minute)
	return r.WithContext(ctx), cancel
}
