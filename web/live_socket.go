package web

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/gorilla/websocket"

	"loa/broadcast/live"
	"loa/playlist/library"
)

// Close codes of the page's socket, beyond the standard ones: the page
// words them (onair.js).
const (
	liveCloseSaved   = websocket.CloseNormalClosure   // ended; the recording is stored
	liveCloseText    = websocket.CloseUnsupportedData // a text frame: only binary PCM is accepted
	liveCloseBad     = websocket.CloseInvalidFramePayloadData
	liveCloseTooBig  = websocket.CloseMessageTooBig
	liveCloseFailed  = websocket.CloseInternalServerErr // the stations could not be told, or storing failed
	liveCloseTooLong = 4001                             // the session reached its maximum length
)

// liveUpgrader accepts the page's socket from this server's own pages only.
var liveUpgrader = websocket.Upgrader{
	ReadBufferSize: 4 << 10, WriteBufferSize: 1 << 10,
	CheckOrigin: func(r *http.Request) bool {
		u, err := url.Parse(r.Header.Get("Origin"))
		return err == nil && u.Host != "" && u.Host == r.Host
	},
}

// liveSocket is the operator's microphone: binary frames of PCM in, a few
// JSON texts out ({"type":"started"} with the live_start's command id once
// the stations were told,
// {"type":"saved","segment_id":N} at the end), then a close with a code
// that says how it ended.
func (s *Server) liveSocket(w http.ResponseWriter, r *http.Request) error {
	lv, l := s.live, s.link
	sess, err := lv.session(r)
	if err != nil {
		return err
	}
	if sess.Info().By != currentUser(r).Name {
		return errLiveNotYours
	}
	switch err := sess.Speak(); {
	case errors.Is(err, live.ErrEnded):
		return errLiveEnded
	case err != nil:
		return errLiveBusy
	}
	ws, err := liveUpgrader.Upgrade(w, r, nil)
	if err != nil {
		sess.End() // the upgrader answered; nobody will speak into it
		sess.Finish(live.Result{Err: err})
		return nil
	}
	defer ws.Close()
	i := sess.Info()
	start := liveCommand(i, s.now(), false)
	if err := l.Hub.SendCommand(start, i.Stations...); err != nil {
		s.endLive(r, ws, sess, liveCloseFailed, "stations not told: "+err.Error())
		return nil
	}
	s.audit(r, "live.start", "live/"+i.ID, nil, map[string]any{"stations": i.Stations, "command": start.ID})
	ws.WriteJSON(map[string]any{"type": "started", "id": i.ID, "stations": len(i.Stations), "command": start.ID})
	code, reason := s.hear(ws, sess)
	s.endLive(r, ws, sess, code, reason)
	return nil
}

// hear reads the page's frames into the session until it ends; it returns
// the close code and reason the session ends with.
func (s *Server) hear(ws *websocket.Conn, sess *live.Session) (int, string) {
	// Frames up to 4× too big are read and refused with a reason; beyond
	// that the websocket library closes with 1009 on its own.
	limit := int(live.MaxFrame.Seconds() * LiveRate * LiveChannels * 2)
	ws.SetReadLimit(int64(4 * limit))
	stopped := make(chan struct{})
	defer close(stopped)
	go func() { // a stop from elsewhere ends the read at once
		select {
		case <-sess.Stopped():
			ws.SetReadDeadline(time.Now())
		case <-stopped:
		}
	}()
	for {
		ws.SetReadDeadline(time.Now().Add(liveIdle))
		typ, data, err := ws.ReadMessage()
		select {
		case <-sess.Stopped():
			return liveCloseSaved, "stopped"
		default:
		}
		switch {
		case errors.Is(err, websocket.ErrReadLimit):
			return liveCloseTooBig, "frame larger than " + live.MaxFrame.String() + " of audio"
		case err != nil:
			return liveCloseSaved, "page gone" // the page's Stop closes the socket; so does a lost network
		case typ != websocket.BinaryMessage:
			return liveCloseText, "only binary PCM frames are accepted"
		case len(data) > limit:
			return liveCloseTooBig, "frame larger than " + live.MaxFrame.String() + " of audio"
		}
		switch err := sess.Write(data); {
		case errors.Is(err, live.ErrTooLong):
			return liveCloseTooLong, "maximum length reached"
		case errors.Is(err, live.ErrBadFrame):
			return liveCloseBad, err.Error()
		case err != nil:
			return liveCloseFailed, err.Error()
		}
	}
}

// endLive ends the session: the stations are told to stop, the recording
// becomes a segment (unless the session ended on a bad frame, which leaves
// no segment at all) and the page hears how it ended.
func (s *Server) endLive(r *http.Request, ws *websocket.Conn, sess *live.Session, code int, reason string) {
	i := sess.Info()
	r, cancel := liveContext(r)
	defer cancel()
	if err := s.link.Hub.SendCommand(liveCommand(i, s.now(), true), i.Stations...); err != nil {
		s.log.Error("live stop not sent", "live", i.ID, "err", err)
	}
	rec, err := sess.End()
	if err != nil {
		s.log.Error("live recording", "live", i.ID, "err", err)
	}
	keep := code == liveCloseSaved || code == liveCloseTooLong
	var segID uint64
	switch {
	case rec != nil && keep:
		segID, err = s.liveSegment(r, i, rec)
		if err != nil {
			s.log.Error("live recording not stored", "live", i.ID, "err", err)
			code, reason = liveCloseFailed, "recording not stored"
		}
	case rec != nil:
		os.Remove(rec.Path)
	}
	received := sess.Received()
	if err := s.live.store.Put(live.Record{ID: i.ID, Title: i.Title, Topic: i.Topic, By: i.By, Stations: i.Stations,
		Started: i.Created, Ended: s.now(), Length: received.Milliseconds(), SegmentID: segID}); err != nil {
		s.log.Error("live record", "live", i.ID, "err", err)
	}
	s.audit(r, "live.end", "live/"+i.ID, nil, map[string]any{"reason": reason, "length_ms": received.Milliseconds(), "segment_id": segID})
	s.log.Info("live broadcast ended", "live", i.ID, "reason", reason, "length_ms", received.Milliseconds(),
		"segment", segID, "listeners_dropped", sess.Dropped())
	if segID != 0 {
		ws.WriteJSON(map[string]any{"type": "saved", "segment_id": segID})
	}
	ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	sess.Finish(live.Result{SegmentID: segID})
}

// liveSegment turns a session's recording into an approved segment through
// the upload's ingest. The operator who broadcast it approves it: they were
// allowed to put it on the air, and it did air. Its level is emergency, so
// the schedule never replays it. Any failure removes what was made.
func (s *Server) liveSegment(r *http.Request, i live.Info, rec *live.Recording) (uint64, error) {
	defer os.Remove(rec.Path)
	seg := library.Segment{Title: i.Title, Topic: i.Topic, Level: library.LevelEmergency,
		Description: "Phát trực tiếp " + i.ID, Targets: library.Targets{Stations: i.Stations}}
	created, err := s.ingestFile(r, seg, rec.Path, i.ID+".wav", i.SegmentID)
	if err != nil {
		return 0, err
	}
	for _, a := range []library.Action{library.ActionSubmit, library.ActionApprove} {
		if _, err := s.lib.Do(created.ID, a, i.By, "live broadcast "+i.ID); err != nil {
			if derr := s.lib.Delete(created.ID); derr == nil {
				s.audit(r, "segment.delete", segmentTarget(created.ID), created, nil)
			}
			return 0, err
		}
	}
	s.audit(r, "segment.approve", segmentTarget(created.ID), nil, map[string]any{"live_id": i.ID,
		"why": "approved by the operator who broadcast it live"})
	return created.ID, nil
}
