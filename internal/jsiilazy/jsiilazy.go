// Package jsiilazy makes the jsii kernel load only the AWS resource classes a
// program uses, instead of all of them, which cuts a synth from about 3 s to
// about 1 s. Import it for its side effect; every package of this module that
// touches the AWS bindings does, so `cdktf synth`, `go run .`, the built
// binary, `go test` and programs that import our constructs all get it.
//
// How: the jsii kernel is a Node process that jsii-runtime-go prepares when
// the first binding package registers its types, in package initialization,
// and that inherits this process's environment. This package's init, which Go
// runs before any binding package's (see TestInitializedBeforeTheBindings),
// writes preload.cjs to the user's cache folder and adds `--require FILE` to
// NODE_OPTIONS; the preload turns the eager barrel of @cdktf/provider-aws into
// lazy getters (see the file for the shape it accepts and why).
//
// Safe by construction: a NODE_OPTIONS the user set is kept (and jsii's own
// default heap size when it is unset); a barrel of another shape stays eager;
// nothing is written outside the cache folder, and if that cannot be written
// the kernel simply loads eagerly. ALB_PRIVATELINK_LAZY=off turns it off;
// ALB_PRIVATELINK_LAZY_REPORT=FILE makes the kernel append what it did to FILE.
package jsiilazy

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Keep this package's imports within those of github.com/aws/jsii-runtime-go:
// that is what lets Go initialize it before the bindings (see the test).

// SwitchEnv turns lazy loading off when set to off, 0, false or no.
const SwitchEnv = "ALB_PRIVATELINK_LAZY"

// ReportEnv names a file the kernel appends one JSON line to per barrel it
// compiled (see Report).
const ReportEnv = "ALB_PRIVATELINK_LAZY_REPORT"

// Report is what one Node process wrote to the ReportEnv file.
type Report struct {
	// File is the barrel it compiled.
	File string `json:"file"`
	// Applied tells whether the barrel was made lazy; Reason says why not.
	Applied bool   `json:"applied"`
	Reason  string `json:"reason"`
	// Submodules the barrel lists, and how many the process loaded.
	Submodules int `json:"submodules"`
	Loaded     int `json:"loaded"`
}

// ReadReports reads a ReportEnv file; a missing file means no process
// compiled the barrel with the preload on.
func ReadReports(path string) ([]Report, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Report
	for s := bufio.NewScanner(bytes.NewReader(raw)); s.Scan(); {
		var r Report
		if err := json.Unmarshal(s.Bytes(), &r); err != nil {
			return nil, errors.New(path + ": " + err.Error())
		}
		out = append(out, r)
	}
	return out, nil
}

// jsiiDefaultNodeOptions is what jsii-runtime-go gives the kernel when
// NODE_OPTIONS is unset (internal/kernel/process); setting NODE_OPTIONS
// replaces it, so it is kept.
const jsiiDefaultNodeOptions = "--max-old-space-size=4069"

//go:embed preload.cjs
var preload []byte

var status = install()

// Status says whether this process's jsii kernel loads the AWS bindings
// lazily: "on: FILE", "off: ..." or "eager: why".
func Status() string { return status }

func install() string {
	if Off(os.Getenv(SwitchEnv)) {
		return "off: " + SwitchEnv + "=" + os.Getenv(SwitchEnv)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "eager: no cache folder: " + err.Error()
	}
	file, err := writePreload(filepath.Join(cache, "alb-privatelink"))
	if err != nil {
		return "eager: " + err.Error()
	}
	current, set := os.LookupEnv("NODE_OPTIONS")
	if err := os.Setenv("NODE_OPTIONS", WithPreload(current, set, file)); err != nil {
		return "eager: " + err.Error()
	}
	return "on: " + file
}

// Off reports whether a value of SwitchEnv turns lazy loading off.
func Off(value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "off", "0", "false", "no":
		return true
	}
	return false
}

// writePreload puts the preload script in dir under a name derived from its
// content, so different versions never overwrite each other, and writes it
// through a rename so a concurrent reader never sees half a file.
func writePreload(dir string) (string, error) {
	file := filepath.Join(dir, "jsii-lazy-"+strconv.FormatUint(fnv64(preload), 16)+".cjs")
	if have, err := os.ReadFile(file); err == nil && string(have) == string(preload) {
		return file, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, ".jsii-lazy-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(preload); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	return file, os.Rename(tmp.Name(), file)
}

// WithPreload returns NODE_OPTIONS with `--require file` added: after the
// user's options when NODE_OPTIONS is set, after jsii's default heap size
// when it is not; unchanged when the flag is already there (a child process
// inherits it).
func WithPreload(current string, set bool, file string) string {
	flag := "--require " + nodeOptionValue(file)
	if strings.Contains(current, flag) {
		return current
	}
	if !set {
		current = jsiiDefaultNodeOptions
	}
	if strings.TrimSpace(current) == "" {
		return flag
	}
	return current + " " + flag
}

// nodeOptionValue quotes a value for NODE_OPTIONS, which splits on spaces
// and reads a double-quoted string with backslash escapes.
func nodeOptionValue(s string) string {
	if !strings.ContainsAny(s, " \t\"\\") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// fnv64 is FNV-1a (hash/fnv is not among jsii-runtime-go's imports).
func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}
