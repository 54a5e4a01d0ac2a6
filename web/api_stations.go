package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"loa/broadcast/hub"
	"loa/broadcast/protocol"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// StationLink is what the station and agent-link API works on (parts.go).
type StationLink struct {
	Stations *stations.Store
	Hub      *hub.Hub
	Audio    hub.AudioOpener // the content-addressed audio files, for agents

	audio http.Handler // the hub's AudioHandler on Audio
}

// authenticateStation lets through a request carrying a valid station token
// (Authorization: Bearer, or the X-Loa-Token header; never the URL).
func (s *Server) authenticateStation(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		l := s.link
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			token = r.Header.Get(hub.TokenHeader)
		}
		switch _, err := l.Stations.Authenticate(strings.TrimSpace(token)); {
		case errors.Is(err, stations.ErrDisabled):
			return errStationDisabled
		case err != nil:
			return errUnauthorized
		}
		return h(w, r)
	}
}

// stationView is a station as operators see it: settings, last known
// presence and whether it is online now.
type stationView struct {
	stations.Station
	Online   bool               `json:"online"`
	Presence *stations.Presence `json:"presence,omitempty"`
	Commands []hub.CommandState `json:"commands,omitempty"`
}

func (s *Server) viewStation(l *StationLink, st stations.Station) stationView {
	p := l.Hub.Presence(st.ID)
	v := stationView{Station: st, Online: l.Hub.Online(st.ID)}
	if !p.LastSeen.IsZero() {
		v.Presence = &p
	}
	return v
}

func (s *Server) listStations(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	all, err := l.Stations.Stations()
	if err != nil {
		return err
	}
	out := make([]stationView, len(all))
	for i, st := range all {
		out[i] = s.viewStation(l, st)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getStation(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	st, err := l.Stations.Station(r.PathValue("id"))
	if err != nil {
		return stationError(err)
	}
	v := s.viewStation(l, st)
	v.Commands = l.Hub.Commands(st.ID)
	writeJSON(w, http.StatusOK, v)
	return nil
}

// stationForm is the body of POST /api/stations and PUT /api/stations/{id}.
// Omitted zone, volume and enabled take the defaults on creation; an
// omitted location is kept, {"lat": 0, "lon": 0} removes it.
type stationForm struct {
	ID       string             `json:"id"`
	Name     string             `json:"name"`
	Groups   []string           `json:"groups"`
	Zone     string             `json:"zone"`
	Location *stations.Location `json:"location"`
	Volume   *int               `json:"volume"`
	Enabled  *bool              `json:"enabled"`
}

func (f stationForm) apply(st *stations.Station) {
	st.Name, st.Groups = f.Name, f.Groups
	switch {
	case f.Location == nil: // left out (the form before positions): kept
	case *f.Location == stations.Location{}: // the form's empty latitude and longitude: none
		st.Location = nil
	default:
		st.Location = f.Location
	}
	if f.Zone != "" {
		st.Zone = f.Zone
	}
	if f.Volume != nil {
		st.Volume = *f.Volume
	}
	if f.Enabled != nil {
		st.Enabled = *f.Enabled
	}
}

// createStation answers 201 with the station and its token, shown only here.
func (s *Server) createStation(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	var f stationForm
	if err := readJSON(w, r, &f); err != nil {
		return err
	}
	st := stations.New(f.ID, "")
	f.apply(&st)
	created, token, err := l.Stations.Create(st, s.now())
	if err != nil {
		return stationError(err)
	}
	s.audit(r, "station.create", "station/"+created.ID, nil, created)
	writeJSON(w, http.StatusCreated, map[string]any{"station": created, "token": token})
	return nil
}

func (s *Server) putStation(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	var f stationForm
	if err := readJSON(w, r, &f); err != nil {
		return err
	}
	st, err := l.Stations.Station(r.PathValue("id"))
	if err != nil {
		return stationError(err)
	}
	before := st
	f.apply(&st)
	updated, err := l.Stations.Update(st, s.now())
	if err != nil {
		return stationError(err)
	}
	s.audit(r, "station.update", "station/"+updated.ID, before, updated)
	if updated.Volume != before.Volume {
		s.sendVolume(r, updated)
	}
	writeJSON(w, http.StatusOK, updated)
	return nil
}

// sendVolume tells a station its new volume (set_volume; kept for it
// while it is offline). The station's record has it already, so a failure
// here is logged, not the person's error.
func (s *Server) sendVolume(r *http.Request, st stations.Station) {
	cmd := protocol.Command{ID: newCommandID(s.now()), Kind: protocol.CommandSetVolume, Volume: st.Volume}
	if err := s.link.Hub.SendCommand(cmd, st.ID); err != nil {
		s.log.Warn("send the new volume", "station", st.ID, "err", err)
		return
	}
	s.audit(r, "command.send", "command/"+cmd.ID, nil, map[string]any{"kind": cmd.Kind, "volume": cmd.Volume, "stations": []string{st.ID}})
}

func (s *Server) deleteStation(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	before, err := l.Stations.Station(r.PathValue("id"))
	if err != nil {
		return stationError(err)
	}
	if err := l.Stations.Delete(before.ID); err != nil {
		return stationError(err)
	}
	s.audit(r, "station.delete", "station/"+before.ID, before, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// rotateStationToken issues a new token (shown only here); the old one
// stops working and the station's live link is closed.
func (s *Server) rotateStationToken(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	token, err := l.Stations.RotateToken(r.PathValue("id"), s.now())
	if err != nil {
		return stationError(err)
	}
	s.audit(r, "station.token_rotate", "station/"+r.PathValue("id"), nil, nil) // never the token itself
	writeJSON(w, http.StatusOK, map[string]string{"token": token})
	return nil
}

func (s *Server) revokeStationToken(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	if err := l.Stations.RevokeToken(r.PathValue("id"), s.now()); err != nil {
		return stationError(err)
	}
	s.audit(r, "station.token_revoke", "station/"+r.PathValue("id"), nil, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	groups, err := l.Stations.Groups()
	if err != nil {
		return err
	}
	if groups == nil {
		groups = []stations.Group{}
	}
	writeJSON(w, http.StatusOK, groups)
	return nil
}

func (s *Server) putGroup(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	var body struct {
		Name string `json:"name"`
	}
	if err := readJSON(w, r, &body); err != nil {
		return err
	}
	g := stations.Group{ID: r.PathValue("id"), Name: body.Name}
	before, err := l.Stations.Group(g.ID)
	if err != nil && !errors.Is(err, stations.ErrGroupNotFound) {
		return stationError(err)
	}
	if err := l.Stations.PutGroup(g); err != nil {
		return stationError(err)
	}
	s.audit(r, "group.put", "group/"+g.ID, before, g)
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	if err := l.Stations.DeleteGroup(r.PathValue("id")); err != nil {
		return stationError(err)
	}
	s.audit(r, "group.delete", "group/"+r.PathValue("id"), nil, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// commandForm is the body of POST /api/commands: what to do and where.
type commandForm struct {
	Kind      string   `json:"kind"`
	All       bool     `json:"all"`
	Groups    []string `json:"groups"`
	Stations  []string `json:"stations"`
	SegmentID uint64   `json:"segment_id"` // emergency_play: an approved segment
	Repeat    int      `json:"repeat"`
	Volume    int      `json:"volume"`
}

// sendCommand answers 202 with the command id; its delivery per station is
// at GET /api/commands/{id} and in each station's view.
func (s *Server) sendCommand(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	var f commandForm
	if err := readJSON(w, r, &f); err != nil {
		return err
	}
	if err := commandAllowed(currentUser(r), f.Kind); err != nil {
		return err
	}
	targets, err := commandTargets(l.Stations, f)
	if err != nil {
		return err
	}
	cmd := protocol.Command{ID: newCommandID(s.now()), Kind: f.Kind, Repeat: f.Repeat, Volume: f.Volume}
	if f.Kind == protocol.CommandEmergencyPlay {
		if cmd.Item, err = s.emergencyItem(f.SegmentID); err != nil {
			return err
		}
		cmd.Repeat = max(cmd.Repeat, 1)
	}
	if err := l.Hub.SendCommand(cmd, targets...); err != nil {
		return errBadCommand.withDetail(err.Error(), err.Error())
	}
	s.audit(r, "command.send", "command/"+cmd.ID, nil, map[string]any{"kind": cmd.Kind, "segment_id": f.SegmentID,
		"repeat": cmd.Repeat, "volume": cmd.Volume, "stations": targets})
	if cmd.Kind == protocol.CommandEmergencyPlay {
		s.recordEmergency(r, cmd, targets)
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": cmd.ID, "stations": len(targets)})
	return nil
}

// commandTargets resolves the stations a command is for.
func commandTargets(st *stations.Store, f commandForm) ([]string, error) {
	var list []stations.Station
	var err error
	switch {
	case f.All:
		list, err = st.Stations()
	case len(f.Groups) > 0:
		list, err = st.InGroups(f.Groups...)
	}
	if err != nil {
		return nil, err
	}
	for _, id := range f.Stations {
		if _, err := st.Station(id); errors.Is(err, stations.ErrStationNotFound) {
			return nil, errUnknownStation(id)
		} else if err != nil {
			return nil, err
		}
	}
	ids := append([]string(nil), f.Stations...)
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	if len(ids) == 0 {
		return nil, errNoTargets
	}
	return ids, nil
}

// emergencyItem is the item an emergency plays: an approved segment, at the
// loudness-normalising gain, starting now.
func (s *Server) emergencyItem(id uint64) (*protocol.Item, error) {
	seg, err := s.lib.Segment(id)
	if err != nil {
		return nil, libraryError(err)
	}
	if seg.Status != library.StatusApproved {
		return nil, errNotApproved
	}
	target := s.cfg.TargetLUFS
	if target == 0 {
		target = playlist.DefaultTargetLUFS
	}
	a := seg.Audio
	return &protocol.Item{
		ID: "seg-" + strconv.FormatUint(seg.ID, 10), SegmentID: strconv.FormatUint(seg.ID, 10), Title: seg.Title, Topic: seg.Topic,
		Level: protocol.LevelEmergency, StartMs: s.now().UnixMilli(), DurationMs: max(a.DurationMS, 1),
		CueInMs: a.CueInMS, CueOutMs: a.CueOutMS, GainDB: playlist.Gain(a, target, playlist.DefaultMaxTruePeak),
		AudioSHA256: a.SHA256, AudioSize: a.Size, Kind: protocol.KindAudio,
	}, nil
}

func (s *Server) commandStatus(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	sum := l.Hub.CommandSummary(r.PathValue("id"))
	if len(sum) == 0 {
		return errNotFound
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "states": sum})
	return nil
}

func newCommandID(now time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return "cmd-" + now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// agentLink is the websocket the station agents connect to.
func (s *Server) agentLink(w http.ResponseWriter, r *http.Request) error {
	l := s.link
	l.Hub.ServeHTTP(w, r)
	return nil
}

// agentAudio serves audio files to agents, with Range for resuming.
func (s *Server) agentAudio(w http.ResponseWriter, r *http.Request) error {
	s.link.audio.ServeHTTP(w, r)
	return nil
}

// stationError maps the registry's errors to client errors.
func stationError(err error) error {
	var ve *stations.ValidationError
	switch {
	case errors.Is(err, stations.ErrStationNotFound):
		return errStationNotFound
	case errors.Is(err, stations.ErrGroupNotFound):
		return errGroupNotFound
	case errors.As(err, &ve) && len(ve.Problems) > 0:
		p := ve.Problems[0]
		if e, ok := stationFieldErrors[p.Code]; ok {
			return e.withField(p.Field)
		}
		return errFieldInvalid.withField(p.Field)
	}
	return err
}
