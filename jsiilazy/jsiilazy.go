// Package jsiilazy makes the jsii kernel load only the AWS resource classes a
// program uses, instead of all of them, which cuts a synth from about 3 s to
// about 1 s. It is opt-in: importing this package (for Status, ReadReports
// and the constants) changes nothing; a program turns it on with one line in
// its main package,
//
//	import _ "github.com/alb-privatelink/alb-privatelink/jsiilazy/enable"
//
// How: the jsii kernel is a Node process that jsii-runtime-go prepares when
// the first binding package registers its types, in package initialization:
// it copies this process's environment then, and starts Node with that copy
// later. Enable, run by package enable's init, which Go runs before any
// binding package's (see TestInitializedBeforeTheBindings), writes
// preload.cjs to the user's cache folder, sets NODE_OPTIONS to add
// `--require FILE`, makes jsii-runtime-go prepare its kernel right then, and
// puts NODE_OPTIONS back as it was (unset if it was unset). So only the
// kernel gets the preload: no process the program starts later inherits it.
// The preload turns the eager barrel of @cdktf/provider-aws into lazy getters
// (see the file for the shape it accepts and why).
//
// Safe by construction: the kernel keeps a NODE_OPTIONS the user set (and
// jsii's own default heap size when it is unset); a barrel of another shape
// stays eager; nothing is written outside the cache folder, and if that
// cannot be written the kernel simply loads eagerly. ALB_PRIVATELINK_LAZY=off
// turns it off; ALB_PRIVATELINK_LAZY_REPORT=FILE makes the kernel append what
// it did to FILE. It cannot help a kernel that is prepared before package
// enable's init (a jsii binding package whose import path sorts before
// github.com/alb-privatelink/...) or after jsii.Close (a new kernel): those
// load eagerly, as without it.
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
	"sync"

	"github.com/aws/jsii-runtime-go/runtime"
)

// Keep this package's imports within those of github.com/aws/jsii-runtime-go
// (and that package's runtime itself): that is what lets Go initialize it and
// package enable before the bindings (see the test).

// EnablePackage is the package whose import turns lazy loading on.
const EnablePackage = "github.com/alb-privatelink/alb-privatelink/jsiilazy/enable"

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

var (
	once   sync.Once
	status = "eager: not enabled (import _ \"" + EnablePackage + "\")"
)

// Status says whether this process's jsii kernel loads the AWS bindings
// lazily: "on: FILE", "off: ..." or "eager: why" (also when nothing enabled
// it).
func Status() string { return status }

// Enable gives the jsii kernel the lazy-loading preload, once, and returns
// Status. It works only when it runs before the first jsii binding package
// initializes, which only a package initializer sorted before the bindings
// guarantees: import package enable rather than calling it.
func Enable() string {
	once.Do(func() { status = enable(prepareKernel) })
	return status
}

// prepareKernel makes jsii-runtime-go prepare its kernel now: the first call
// of its kernel.GetClient builds the Node command with this process's
// environment (Node starts at the first request, not here).
// IsAnonymousProxy is a public call that only does that and a type check.
func prepareKernel() { runtime.IsAnonymousProxy(nil) }

// enable runs prepare (which makes jsii prepare its kernel) with NODE_OPTIONS
// set for the preload, then restores it.
func enable(prepare func()) string {
	status, options, ok := install()
	if !ok {
		return status
	}
	prepared := false
	err := withNodeOptions(options, func() { prepared = true; prepare() })
	switch {
	case !prepared:
		return "eager: " + err.Error()
	case err != nil:
		return status + " (NODE_OPTIONS not restored: " + err.Error() + ")"
	}
	return status
}

// install writes the preload and returns the status and the NODE_OPTIONS the
// kernel should get; ok is false when lazy loading is off or cannot be on.
func install() (status, options string, ok bool) {
	if Off(os.Getenv(SwitchEnv)) {
		return "off: " + SwitchEnv + "=" + os.Getenv(SwitchEnv), "", false
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "eager: no cache folder: " + err.Error(), "", false
	}
	file, err := writePreload(filepath.Join(cache, "alb-privatelink"))
	if err != nil {
		return "eager: " + err.Error(), "", false
	}
	current, set := os.LookupEnv("NODE_OPTIONS")
	return "on: " + file, WithPreload(current, set, file), true
}

// withNodeOptions runs fn with NODE_OPTIONS set to options, then puts back
// the value it had, or unsets it if it was unset, even when fn panics.
func withNodeOptions(options string, fn func()) (err error) {
	old, set := os.LookupEnv("NODE_OPTIONS")
	if err := os.Setenv("NODE_OPTIONS", options); err != nil {
		return err
	}
	defer func() {
		if set {
			err = os.Setenv("NODE_OPTIONS", old)
		} else {
			err = os.Unsetenv("NODE_OPTIONS")
		}
	}()
	fn()
	return nil
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
