package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"loa/audio"
	"loa/playlist/ingest"
	"loa/playlist/library"
)

// An upload form's fields other than the file are kept in memory: each is
// bounded (maxFormValue), and so are their number (maxFormFields; lists
// such as stations may also come comma-separated in one field) and their
// total size (maxFormBytes).
const (
	maxFormValue  = 64 << 10
	maxFormFields = 200
	maxFormBytes  = 256 << 10
)

var (
	errFormFields = &apiError{http.StatusRequestEntityTooLarge, "form_too_many_fields", "Biểu mẫu có quá nhiều trường (tối đa 200)", "The form has too many fields (200 at most)", ""}
	errFormBytes  = &apiError{http.StatusRequestEntityTooLarge, "form_too_large", "Nội dung các trường của biểu mẫu quá dài (tối đa 256 KB)", "The form's fields are too long (256 KB at most)", ""}
)

var (
	errIngestBusy = &apiError{http.StatusServiceUnavailable, "ingest_busy",
		"Máy chủ đang xử lý nhiều tệp cùng lúc; tệp của bạn chưa được lưu, hãy thử lại sau ít phút",
		"The server is processing many files at once; yours was not stored, try again in a few minutes", "file"}
	errAnalysisTimeout = &apiError{http.StatusUnprocessableEntity, "audio_timeout",
		"Phân tích hoặc chuyển đổi tệp mất quá nhiều thời gian nên đã dừng; tệp chưa được lưu. Hãy chuyển sang MP3 rồi tải lên lại",
		"Analysing or converting the file took too long and was stopped; nothing was stored. Convert it to MP3 and upload again", "file"}
)

var errOneFile = &apiError{http.StatusUnprocessableEntity, "one_file", "Mỗi lần chỉ tải lên một tệp", "Upload one file per request", "file"}

// upload receives one audio file with its metadata as a streaming
// multipart form, analyses it, and adds it to the library as a draft.
// Nothing is stored unless everything succeeds: the file goes to a
// temporary name first and is moved into the store only once it passed.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+maxJSONBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return errUnsupportedCT
	}
	form, tmp, name, err := s.receiveForm(mr)
	if tmp != "" {
		defer os.Remove(tmp) // a no-op once the file is in the store
	}
	if err != nil {
		return err
	}
	seg, err := segmentFromForm(form, name)
	if err != nil {
		return err
	}
	defaultScope(r, &seg, form.Get("targets") != "" || len(form["groups"])+len(form["stations"]) > 0)
	if err := s.checkScope(r, seg.Targets); err != nil {
		return err
	}
	if err := s.lib.Check(seg); err != nil {
		return libraryError(err)
	}
	seg, err = s.ingestFile(r, seg, tmp, name, 0)
	if errors.Is(err, ingest.ErrBusy) {
		w.Header().Set("Retry-After", "60")
	}
	if err != nil {
		return inspectError(err)
	}
	writeJSON(w, http.StatusCreated, viewSegment(r, seg))
	return nil
}

// ingestFile takes the file at tmp into the library as seg (ingest.File
// under the id the library reserved, 0: a new one) and records the audit
// entry. A file the analysis rejects comes back as its *audio.Error.
func (s *Server) ingestFile(r *http.Request, seg library.Segment, tmp, name string, reserved uint64) (library.Segment, error) {
	created, err := s.ingest.FileAs(r.Context(), seg, tmp, name, currentUser(r).Name, reserved)
	if err != nil {
		return seg, libraryError(err)
	}
	s.audit(r, "segment.create", segmentTarget(created.ID), nil, created)
	return created, nil
}

// receiveForm reads the multipart form, streaming the file part into a
// temporary file. It returns the other fields, the temporary file's path
// ("" if none) and the file's name as the client gave it.
func (s *Server) receiveForm(mr *multipart.Reader) (form url.Values, tmp, name string, err error) {
	form = url.Values{}
	fields, size := 0, 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, tmp, name, bodyError(err)
		}
		if part.FormName() != "file" {
			value, err := io.ReadAll(io.LimitReader(part, maxFormValue+1))
			if err != nil {
				return nil, tmp, name, bodyError(err)
			}
			if len(value) > maxFormValue {
				return nil, tmp, name, errFieldTooLong.withField(part.FormName())
			}
			if fields, size = fields+1, size+len(value); fields > maxFormFields {
				return nil, tmp, name, errFormFields
			}
			if size > maxFormBytes {
				return nil, tmp, name, errFormBytes
			}
			form.Add(part.FormName(), string(value))
			continue
		}
		if tmp != "" {
			return nil, tmp, name, errOneFile
		}
		name = filepath.Base(part.FileName())
		if tmp, err = s.receiveFile(part); err != nil {
			return nil, tmp, name, err
		}
	}
	if tmp == "" {
		return nil, "", "", errNoFile
	}
	return form, tmp, name, nil
}

// receiveFile copies one file part into a temporary file, refusing more
// than the configured size.
func (s *Server) receiveFile(part io.Reader) (string, error) {
	f, err := s.ingest.TempFile()
	if err != nil {
		return "", err
	}
	n, err := io.Copy(f, io.LimitReader(part, s.cfg.MaxUploadBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return f.Name(), bodyError(err)
	case n > s.cfg.MaxUploadBytes:
		mb := strconv.FormatInt(s.cfg.MaxUploadBytes>>20, 10)
		return f.Name(), errFileTooLarge.withDetail("tối đa "+mb+" MB", "at most "+mb+" MB")
	case n == 0:
		return f.Name(), audioErrors["empty"]
	}
	return f.Name(), nil
}

// bodyError words a failure to read the request body.
func bodyError(err error) error {
	if e, ok := asAPIError(err); ok {
		return e // the body came too slowly
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errFileTooLarge
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
		return errBadUpload
	}
	return err
}

var errBadUpload = &apiError{http.StatusBadRequest, "bad_upload", "Tải lên bị gián đoạn hoặc sai định dạng; hãy thử lại", "The upload was interrupted or malformed; try again", "file"}

// segmentFromForm reads the metadata fields of an upload. The title
// defaults to the file's name; the targets default to every station.
func segmentFromForm(form url.Values, fileName string) (library.Segment, error) {
	seg := library.Segment{
		Title:       form.Get("title"),
		Description: form.Get("description"),
		Topic:       form.Get("topic"),
		Level:       library.Level(form.Get("level")),
	}
	if strings.TrimSpace(seg.Title) == "" {
		seg.Title = strings.TrimSuffix(fileName, filepath.Ext(fileName))
	}
	if seg.Level == "" {
		seg.Level = library.LevelOrdinary
	}
	seg.Targets = library.Targets{Groups: splitList(form["groups"]), Stations: splitList(form["stations"])}
	seg.Targets.All = form.Get("targets") == "all" || len(seg.Targets.Groups)+len(seg.Targets.Stations) == 0
	for _, d := range []struct {
		field string
		out   *library.Date
	}{{"valid_from", &seg.ValidFrom}, {"valid_to", &seg.ValidTo}} {
		in := form.Get(d.field)
		date, err := optionalDate(d.field, &in)
		if err != nil {
			return seg, err
		}
		*d.out = *date
	}
	for _, n := range []struct {
		field string
		out   *int
	}{{"min_per_day", &seg.Limits.MinPerDay}, {"min_per_week", &seg.Limits.MinPerWeek}, {"max_per_day", &seg.Limits.MaxPerDay}} {
		if v := strings.TrimSpace(form.Get(n.field)); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil {
				return seg, errFieldInvalid.withField(n.field)
			}
			*n.out = i
		}
	}
	return seg, nil
}

// splitList accepts repeated fields and comma-separated values alike.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// inspectError words the audio package's rejection of a file.
func inspectError(err error) error {
	var ae *audio.Error
	switch {
	case errors.Is(err, ingest.ErrBusy):
		return errIngestBusy
	case errors.Is(err, ingest.ErrAnalysisTimeout):
		return errAnalysisTimeout
	case !errors.As(err, &ae):
		return err
	}
	e, ok := audioErrors[ae.Code]
	if !ok {
		e = audioError
	}
	vi := ""
	if ae.Offset >= 0 {
		vi = "lỗi tại byte " + strconv.FormatInt(ae.Offset, 10) + " của tệp"
	}
	if ae.Format != "" && ae.Code == "unsupported_format" {
		vi = "định dạng " + ae.Format
	}
	c := *e
	if ae.Detail != "" {
		c.En += ": " + ae.Detail
	}
	if vi != "" {
		c.Vi += " (" + vi + ")"
	}
	return &c
}
