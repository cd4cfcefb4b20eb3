package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindPrecedence(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	find := func() Source {
		t.Helper()
		s, err := Find("", getenv, dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	if s := find(); s.Path != "" || !strings.Contains(s.String(), "zero-config demo") {
		t.Errorf("nothing named: %+v %q", s, s)
	}
	write(DefaultFile, "provider: {}\n")
	if s := find(); s.Path != filepath.Join(dir, DefaultFile) || s.From != "found in the project folder" {
		t.Errorf("default file: %+v", s)
	}
	write("cdktf.json", `{"app": "go run .", "context": {"albPrivatelinkConfig": "conf/prod.yaml"}}`)
	if s := find(); s.Path != filepath.Join(dir, "conf/prod.yaml") || s.From != "cdktf.json context.albPrivatelinkConfig" {
		t.Errorf("cdktf.json context: %+v", s)
	}
	// The CLI hands the context over; it wins over reading the file.
	env["CDKTF_CONTEXT_JSON"] = `{"albPrivatelinkConfig": "/abs/cli.yaml", "other": 1}`
	if s := find(); s.Path != "/abs/cli.yaml" {
		t.Errorf("CLI context: %+v", s)
	}
	env[Env] = "env.yaml"
	if s := find(); s.Path != "env.yaml" || s.From != "$"+Env || s.String() != "config: env.yaml ($ALB_PRIVATELINK_CONFIG)" {
		t.Errorf("env: %+v %q", s, s)
	}
	if s, err := Find("flag.yaml", getenv, dir); err != nil || s.Path != "flag.yaml" || s.From != "-config" {
		t.Errorf("flag: %+v %v", s, err)
	}
}

func TestFindRefusesMalformedContext(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ cli, file, want string }{
		{`{"albPrivatelinkConfig": 7}`, "", "context.albPrivatelinkConfig is 7; want the config file's path as a string"},
		{`not json`, "", "$CDKTF_CONTEXT_JSON: context:"},
		{"", `{"context": [1]}`, "cdktf.json: context:"},
		{"", `{"context": `, "cdktf.json: unexpected end of JSON input"},
	} {
		if tc.file != "" {
			if err := os.WriteFile(filepath.Join(dir, "cdktf.json"), []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Find("", func(k string) string {
			if k == "CDKTF_CONTEXT_JSON" {
				return tc.cli
			}
			return ""
		}, dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("cli %q file %q: %v, want %q", tc.cli, tc.file, err, tc.want)
		}
	}
	// A context without the key, or a cdktf.json without context, names nothing.
	if err := os.WriteFile(filepath.Join(dir, "cdktf.json"), []byte(`{"app": "go run ."}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Find("", func(string) string { return "" }, dir); err != nil || s.Path != "" {
		t.Errorf("no context: %+v %v", s, err)
	}
}
