package tts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// DefaultCommand runs espeak-ng's Vietnamese voice with the text on stdin.
const DefaultCommand = "espeak-ng -v vi -w {out}"

// DefaultTimeout bounds one run of the engine (one sentence).
const DefaultTimeout = time.Minute

// Placeholders of a command template. {out} is the WAV file the engine
// writes; without it the engine writes the WAV to stdout. {text} is a UTF-8
// file holding the text; without it the text comes on stdin.
const (
	PlaceholderOut  = "{out}"
	PlaceholderText = "{text}"
)

var (
	// ErrEngineMissing: the engine's program is not installed (or not in PATH).
	ErrEngineMissing = errors.New("tts engine not found")
	// ErrEngineFailed: the engine ran but failed, timed out or wrote no usable audio.
	ErrEngineFailed = errors.New("tts engine failed")
)

// An EngineError is every failure of the engine; errors.Is tells
// ErrEngineMissing from ErrEngineFailed.
type EngineError struct {
	Program string // the engine's program, as configured
	Reason  string // plain English: what went wrong
	Stderr  string // the end of what the engine wrote on stderr
	Kind    error  // ErrEngineMissing or ErrEngineFailed
}

func (e *EngineError) Error() string {
	s := "tts engine " + e.Program + ": " + e.Reason
	if e.Stderr != "" {
		s += ": " + e.Stderr
	}
	return s
}

func (e *EngineError) Unwrap() error { return e.Kind }

// An Engine runs one configured command. Create it with ParseCommand.
type Engine struct {
	args    []string
	Timeout time.Duration // per run; 0 means DefaultTimeout
}

// ParseCommand reads a command template: words separated by spaces,
// single or double quotes around a word with spaces, and the {out} and
// {text} placeholders. No shell runs it. "" means DefaultCommand.
func ParseCommand(template string) (Engine, error) {
	if strings.TrimSpace(template) == "" {
		template = DefaultCommand
	}
	args, err := splitWords(template)
	if err != nil {
		return Engine{}, fmt.Errorf("tts command %q: %w", template, err)
	}
	if len(args) == 0 {
		return Engine{}, fmt.Errorf("tts command %q: no program", template)
	}
	return Engine{args: args}, nil
}

// Program is the engine's program as configured.
func (e Engine) Program() string { return e.args[0] }

// Available reports whether the engine's program can be found.
func (e Engine) Available() error {
	if _, err := exec.LookPath(e.args[0]); err != nil {
		return &EngineError{Program: e.args[0], Reason: "not installed or not in PATH", Kind: ErrEngineMissing}
	}
	return nil
}

// Run speaks text into the WAV file out; when the template asks for a text
// file, it is written in dir, named after out with the extension .txt. It returns ctx.Err() when ctx ends, and an
// *EngineError for any failure of the engine itself.
func (e Engine) Run(ctx context.Context, text, out, dir string) error {
	path, err := exec.LookPath(e.args[0])
	if err != nil {
		return &EngineError{Program: e.args[0], Reason: "not installed or not in PATH", Kind: ErrEngineMissing}
	}
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd, outFile, err := e.command(rctx, path, text, out, dir)
	if err != nil {
		return err
	}
	var stderr tailBuffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	if outFile != nil {
		if cerr := outFile.Close(); err == nil && cerr != nil {
			return fmt.Errorf("tts output: %w", cerr)
		}
	}
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case rctx.Err() != nil:
		return e.failed(fmt.Sprintf("no answer after %s", timeout), &stderr)
	case err != nil:
		return e.failed(err.Error(), &stderr)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		return e.failed("wrote no audio", &stderr)
	}
	return nil
}

// command builds the process: placeholders filled, the text on stdin or in
// a file, and stdout going to out when the template has no {out}.
func (e Engine) command(ctx context.Context, path, text, out, dir string) (*exec.Cmd, *os.File, error) {
	args := make([]string, 0, len(e.args)-1)
	toStdout, textFile := true, ""
	for _, a := range e.args[1:] {
		if strings.Contains(a, PlaceholderText) && textFile == "" {
			textFile = filepath.Join(dir, strings.TrimSuffix(filepath.Base(out), filepath.Ext(out))+".txt")
			if err := os.WriteFile(textFile, []byte(text+"\n"), 0o600); err != nil {
				return nil, nil, fmt.Errorf("tts text file: %w", err)
			}
		}
		toStdout = toStdout && !strings.Contains(a, PlaceholderOut)
		a = strings.ReplaceAll(a, PlaceholderOut, out)
		args = append(args, strings.ReplaceAll(a, PlaceholderText, textFile))
	}
	cmd := exec.CommandContext(ctx, path, args...)
	if textFile == "" {
		cmd.Stdin = strings.NewReader(text + "\n")
	}
	if !toStdout {
		return cmd, nil, nil
	}
	f, err := os.Create(out)
	if err != nil {
		return nil, nil, fmt.Errorf("tts output: %w", err)
	}
	cmd.Stdout = f
	return cmd, f, nil
}

func (e Engine) failed(reason string, stderr *tailBuffer) error {
	return &EngineError{Program: e.args[0], Reason: reason, Stderr: stderr.String(), Kind: ErrEngineFailed}
}

// tailBuffer keeps the last few kilobytes an engine writes on stderr: the
// error is at the end, and a chatty engine must not fill memory.
type tailBuffer struct{ b []byte }

const stderrKeep = 2 << 10

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > stderrKeep {
		t.b = t.b[len(t.b)-stderrKeep:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(bytes.TrimSpace(t.b)) }

// splitWords splits a command line into words, honouring quotes.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("unclosed quote")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
