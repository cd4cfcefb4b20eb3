package stacks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// ConfigEnv names the environment variable that points at a config file.
const ConfigEnv = "ALB_PRIVATELINK_CONFIG"

// LoadConfig reads a YAML (or JSON, which is YAML) config file strictly: an
// unknown key or a wrong type is an error naming its line. An empty path
// means no file: the zero-config demo.
func LoadConfig(path string) (AppConfig, error) {
	var cfg AppConfig
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("config file: %w", err)
	}
	cfg, err = ParseConfig(data)
	if err != nil {
		return cfg, fmt.Errorf("config file %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig decodes config file contents; see LoadConfig.
func ParseConfig(data []byte) (AppConfig, error) {
	var cfg AppConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return AppConfig{}, err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return AppConfig{}, errors.New("more than one YAML document; put everything in one")
	}
	return cfg, nil
}
