package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
)

// client is the operator's browser, reduced to the JSON API.
type client struct {
	http  *http.Client
	token string // an API token (admin); a session would expire in 12 h of the week
}

const simServer = "http://loa.sim"

// apiError is an answer other than 2xx.
type apiError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, strings.TrimSpace(e.Body))
}

// call sends body as JSON (nil: none) and decodes the answer into out.
func (c *client) call(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, simServer+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.do(req, out)
}

func (c *client) do(req *http.Request, out any) error {
	req.Header.Set("Accept-Language", "en")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	if resp.StatusCode/100 != 2 {
		return &apiError{req.Method, req.URL.Path, resp.StatusCode, string(data)}
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// upload sends one audio file with its form fields; the new segment's id.
func (c *client) upload(ctx context.Context, name string, data []byte, fields map[string]string) (uint64, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		return 0, err
	}
	part.Write(data)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, "POST", simServer+"/api/segments", &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var seg struct {
		ID uint64 `json:"id"`
	}
	err = c.do(req, &seg)
	return seg.ID, err
}
