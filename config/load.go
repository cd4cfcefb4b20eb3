package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// Load reads a YAML (or JSON, which is YAML) config file and resolves it
// (see Parse). An empty path means no file: the zero-config demo.
func Load(path string) (Resolved, error) {
	if path == "" {
		return Resolve(Config{})
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Resolved{}, fmt.Errorf("config file: %w", err)
	}
	r, err := Parse(data)
	if err != nil {
		return Resolved{}, fmt.Errorf("config file %s:\n%w", path, err)
	}
	return r, nil
}

// Parse decodes config file contents and resolves them: unknown keys,
// wrong types and every rule of Resolve, all reported together as Errors
// with the file's line numbers.
func Parse(data []byte) (Resolved, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return Resolved{}, err // a syntax error: nothing more can be read
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Resolved{}, errors.New("more than one YAML document; put everything in one")
	}
	idx := indexNode(&root)

	var cfg Config
	var errs Errors
	typed := yaml.NewDecoder(bytes.NewReader(data))
	typed.KnownFields(true)
	if err := typed.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return Resolved{}, err
		}
		for _, msg := range te.Errors {
			errs = append(errs, idx.typeError(msg))
		}
	}
	if err := saysWhatToDeploy(&root); err != nil && len(errs) == 0 {
		return Resolved{}, err // a misspelt provider key is reported as unknown instead
	}
	typeErrs := slices.Clone(errs)
	r, err := Resolve(cfg)
	if err != nil {
		for _, fe := range err.(Errors) {
			fe.Line = idx.lineOf(fe.Path)
			if !explained(fe, typeErrs) {
				errs = append(errs, fe)
			}
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b FieldError) int { return a.Line - b.Line })
		return Resolved{}, errs
	}
	return r, nil
}

// saysWhatToDeploy refuses a file that would silently deploy the demo: an
// empty one, or a mapping with neither provider nor consumers.
func saysWhatToDeploy(root *yaml.Node) error {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	switch {
	case doc.Kind == 0 || doc.Kind == yaml.DocumentNode || doc.ShortTag() == "!!null":
		return errors.New("the file is empty; write the provider and consumers to deploy (see config.example.yaml), or remove the file for the zero-config demo")
	case doc.Kind != yaml.MappingNode:
		return nil // reported as a wrong type
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if k := doc.Content[i].Value; k == "provider" || k == "consumers" {
			return nil
		}
	}
	return fmt.Errorf("line %d: the file has neither provider nor consumers; say what to deploy (provider: {} is the demo provider), or remove the file for the zero-config demo", doc.Line)
}

// explained tells whether a wrong type at the same path (or above it)
// already accounts for a semantic problem: the value was not read at all.
func explained(fe FieldError, typeErrs []FieldError) bool {
	for _, te := range typeErrs {
		if te.Path != "" && (fe.Path == te.Path || strings.HasPrefix(fe.Path, te.Path+".") || strings.HasPrefix(fe.Path, te.Path+"[")) {
			return true
		}
	}
	return false
}

// nodeIndex maps config paths ("consumers[1].aws.region") to the line of
// their key in the file, and lines back to paths.
type nodeIndex struct {
	lines map[string]int
	paths map[int][]indexed // in file order
}

type indexed struct {
	path  string
	tag   string // the YAML tag of the value: !!str, !!int, !!seq, !!map, ...
	value string // the scalar value at path, if any
}

func indexNode(root *yaml.Node) nodeIndex {
	idx := nodeIndex{lines: map[string]int{}, paths: map[int][]indexed{}}
	var walk func(n *yaml.Node, path string)
	record := func(path string, line int, value *yaml.Node) {
		idx.lines[path] = line
		v := ""
		if value.Kind == yaml.ScalarNode {
			v = value.Value
		}
		idx.paths[line] = append(idx.paths[line], indexed{path, value.ShortTag(), v})
	}
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key := n.Content[i].Value
				child := key
				if path != "" {
					child = path + "." + key
				}
				record(child, n.Content[i].Line, n.Content[i+1])
				walk(n.Content[i+1], child)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				child := fmt.Sprintf("%s[%d]", path, i)
				record(child, c.Line, c)
				walk(c, child)
			}
		}
	}
	walk(root, "")
	return idx
}

// lineOf is the line of path, or of its nearest ancestor in the file
// (a missing required key points at its parent), or 0.
func (idx nodeIndex) lineOf(path string) int {
	for path != "" {
		if line, ok := idx.lines[path]; ok {
			return line
		}
		cut := max(strings.LastIndexAny(path, ".["), 0)
		path = path[:cut]
	}
	return 0
}

// rootType is how yaml.v3 names the file's root type in its errors.
var rootType = reflect.TypeOf(Config{}).String()

var (
	typeErrRe    = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownRe    = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	unmarshalRe  = regexp.MustCompile("^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (\\S+)$")
	indexSuffix  = regexp.MustCompile(`\[\d+\]`)
	tagNames     = map[string]string{"!!seq": "list", "!!map": "mapping", "!!str": "string", "!!int": "number", "!!bool": "boolean", "!!float": "number", "!!null": "null"}
	friendlyType = map[string]string{
		"int": "a whole number", "bool": "true or false", "string": "a string",
		"[]string": "a list of strings", "[]int": "a list of numbers", "map[string]string": "a mapping of strings",
	}
)

// typeError turns a yaml.v3 type error ("line 3: field regoin not found in
// type config.Provider") into a FieldError that names the config path
// and says the fix.
func (idx nodeIndex) typeError(msg string) FieldError {
	m := typeErrRe.FindStringSubmatch(msg)
	if m == nil {
		return FieldError{Msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	rest := m[2]
	fe := FieldError{Line: line, Msg: rest}
	if u := unknownRe.FindStringSubmatch(rest); u != nil {
		path := idx.pathOn(line, func(e indexed) bool { return strings.HasSuffix("."+e.path, "."+u[1]) })
		fe.Path = path
		parent := ""
		if i := strings.LastIndex(path, "."); i >= 0 {
			parent = path[:i]
		}
		known := knownKeys(parent)
		fe.Msg = fmt.Sprintf("%s: unknown key", path)
		if s := validate.Suggest(u[1], known, 3); s != "" {
			fe.Msg += fmt.Sprintf("; did you mean %q?", s)
		} else if len(known) > 0 {
			fe.Msg += "; known keys here: " + strings.Join(known, ", ")
		}
	} else if u := unmarshalRe.FindStringSubmatch(rest); u != nil {
		tag, shown := u[1], u[2]
		// yaml.v3 shortens long values to 7 characters and "...".
		prefix, cut := strings.CutSuffix(shown, "...")
		var got indexed
		fe.Path = idx.pathOn(line, func(e indexed) bool {
			ok := e.tag == tag && (e.value == shown || (cut && strings.HasPrefix(e.value, prefix)))
			if ok {
				got = e
			}
			return ok
		})
		want := friendlyType[u[3]]
		if want == "" {
			want = "a mapping of keys"
			if strings.HasPrefix(u[3], "[]") {
				want = "a list"
			}
		}
		if u[3] == rootType {
			fe.Path = ""
			fe.Msg = fmt.Sprintf("the file must be a mapping of %s, not a %s", strings.Join(knownKeys(""), ", "), tagNames[tag])
			return fe
		}
		switch {
		case got.value != "":
			fe.Msg = fmt.Sprintf("%s: got %q, want %s", fe.Path, got.value, want)
		case tag == "!!seq":
			fe.Msg = fmt.Sprintf("%s: got a list, want %s", fe.Path, want)
		case tag == "!!map":
			fe.Msg = fmt.Sprintf("%s: got a mapping, want %s", fe.Path, want)
		default:
			fe.Msg = fmt.Sprintf("%s: got %q, want %s", fe.Path, shown, want)
		}
	}
	return fe
}

// pathOn picks the path on a line that matches, else the deepest one there.
func (idx nodeIndex) pathOn(line int, match func(indexed) bool) string {
	entries := idx.paths[line]
	for _, e := range entries {
		if match(e) {
			return e.path
		}
	}
	if len(entries) == 0 {
		return "(top level)"
	}
	return entries[len(entries)-1].path
}

// knownKeys lists the YAML keys of the struct at a config path ("" is the root).
func knownKeys(path string) []string {
	t := reflect.TypeOf(Config{})
	if path != "" {
		for _, part := range strings.Split(indexSuffix.ReplaceAllString(path, ""), ".") {
			for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
				t = t.Elem()
			}
			if t.Kind() != reflect.Struct {
				return nil
			}
			f, ok := fieldByKey(t, part)
			if !ok {
				return nil
			}
			t = f.Type
		}
	}
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if k := yamlKey(t.Field(i)); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if yamlKey(t.Field(i)) == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

func yamlKey(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if tag == "-" {
		return ""
	}
	return tag
}
