package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// DefaultFile is the config file read from the project folder when nothing
// else names one.
const DefaultFile = "alb-privatelink.yaml"

// ContextKey names the config file in cdktf.json's "context". cdktf hands
// that context to the app on every command that synthesizes (synth, deploy,
// diff, destroy, output, list), so they all see the same configuration.
const ContextKey = "albPrivatelinkConfig"

// contextEnv is how the cdktf CLI passes cdktf.json's context to the app.
const contextEnv = "CDKTF_CONTEXT_JSON"

// Source is the configuration file a synth reads, and what named it.
type Source struct {
	// Path to the file; "" means no file: the zero-config demo.
	Path string
	// From says what named it, for the "config:" line a synth prints.
	From string
}

func (s Source) String() string {
	if s.Path == "" {
		return "config: none, so the zero-config demo (name a file in cdktf.json's context." + ContextKey + ", or create " + DefaultFile + ")"
	}
	return fmt.Sprintf("config: %s (%s)", s.Path, s.From)
}

// Find decides which config file to read, first match wins:
//
//  1. flagPath, the app's -config flag;
//  2. $ALB_PRIVATELINK_CONFIG;
//  3. context.albPrivatelinkConfig of cdktf.json, as the cdktf CLI hands it
//     to the app ($CDKTF_CONTEXT_JSON), or read from dir/cdktf.json when the
//     app runs without the CLI (go run .);
//  4. dir/alb-privatelink.yaml, when it exists.
//
// None of them means the zero-config demo. A relative path from cdktf.json
// is relative to dir, the project folder.
func Find(flagPath string, getenv func(string) string, dir string) (Source, error) {
	if flagPath != "" {
		return Source{flagPath, "-config"}, nil
	}
	if p := getenv(Env); p != "" {
		return Source{p, "$" + Env}, nil
	}
	p, err := contextPath(getenv(contextEnv), dir)
	if err != nil {
		return Source{}, err
	}
	if p != "" {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return Source{p, "cdktf.json context." + ContextKey}, nil
	}
	def := filepath.Join(dir, DefaultFile)
	if _, err := os.Stat(def); err == nil {
		return Source{def, "found in the project folder"}, nil
	}
	return Source{}, nil
}

// contextPath is context.albPrivatelinkConfig from the CLI's context JSON,
// else from dir/cdktf.json; "" when neither names one.
func contextPath(fromCLI, dir string) (string, error) {
	what := "$" + contextEnv
	raw := []byte(fromCLI)
	if fromCLI == "" {
		var err error
		what = filepath.Join(dir, "cdktf.json")
		if raw, err = os.ReadFile(what); errors.Is(err, os.ErrNotExist) {
			return "", nil
		} else if err != nil {
			return "", err
		}
		var project struct {
			Context json.RawMessage `json:"context"`
		}
		if err := json.Unmarshal(raw, &project); err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		if raw = project.Context; len(raw) == 0 {
			return "", nil
		}
	}
	var context map[string]any
	if err := json.Unmarshal(raw, &context); err != nil {
		return "", fmt.Errorf("%s: context: %w", what, err)
	}
	switch v := context[ContextKey].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", fmt.Errorf("%s: context.%s is %v; want the config file's path as a string", what, ContextKey, v)
	}
}
