package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/alb-privatelink/alb-privatelink/cli"
)

// mdDoc is one Markdown page split the way the checks read it: the prose
// (fenced blocks removed, code spans blanked) for links, and the code
// (fenced blocks and code spans) for the commands it names.
type mdDoc struct {
	path     string // relative to the repository root
	prose    string
	code     []string
	headings []string // slugs, in order, with GitHub's -1, -2 for repeats
}

var (
	fence       = regexp.MustCompile("(?m)^\\s*```")
	codeSpan    = regexp.MustCompile("`[^`]+`")
	mdLink      = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)\)`)
	makeTarget  = regexp.MustCompile(`(?:^|[\s;(&|])make\s+([A-Za-z0-9_][A-Za-z0-9_.-]*)`)
	goRunDot    = regexp.MustCompile(`go run \.(?:[ \t]+(\S+))?`)
	targetLine  = regexp.MustCompile(`(?m)^([A-Za-z0-9_.-]+(?:[ \t]+[A-Za-z0-9_.-]+)*)[ \t]*:([^=]|$)`)
	placeholder = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// docPages are README.md and every docs/*.md, relative to the root.
func docPages(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob("../docs/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no docs/*.md: %v", err)
	}
	pages = append([]string{"../README.md"}, pages...)
	for i, p := range pages {
		pages[i] = strings.TrimPrefix(p, "../")
	}
	return pages
}

// parseMarkdown reads a page from the repository root.
func parseMarkdown(t *testing.T, path string) mdDoc {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	d := mdDoc{path: path}
	var prose strings.Builder
	seen := map[string]int{}
	inFence := false
	var block strings.Builder
	for _, line := range strings.SplitAfter(string(raw), "\n") {
		if fence.MatchString(line) {
			if inFence {
				d.code = append(d.code, block.String())
				block.Reset()
			}
			inFence = !inFence
			prose.WriteString("\n")
			continue
		}
		if inFence {
			block.WriteString(line)
			prose.WriteString("\n")
			continue
		}
		if strings.HasPrefix(line, "#") {
			text := strings.TrimSpace(strings.TrimLeft(line, "#"))
			slug := slugify(text)
			if n := seen[slug]; n > 0 {
				d.headings = append(d.headings, slug+"-"+strconv.Itoa(n))
			} else {
				d.headings = append(d.headings, slug)
			}
			seen[slug]++
		}
		prose.WriteString(line)
	}
	text := prose.String()
	for _, span := range codeSpan.FindAllString(text, -1) {
		// a span may wrap: "`go run .\n  doctor`" names doctor
		d.code = append(d.code, strings.Join(strings.Fields(strings.Trim(span, "`")), " "))
	}
	d.prose = codeSpan.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
	return d
}

// slugify is GitHub's heading anchor: lowercase, punctuation dropped
// except hyphens and underscores, each space a hyphen.
func slugify(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestSlugifyFollowsGitHub(t *testing.T) {
	for heading, want := range map[string]string{
		"Why PrivateLink, and what it costs":     "why-privatelink-and-what-it-costs",
		"The constructs' API":                    "the-constructs-api",
		"Upgrading: consumer stacks are named":   "upgrading-consumer-stacks-are-named",
		"`make test` and go_test":                "make-test-and-go_test",
		"The AWS provider version, and a mirror": "the-aws-provider-version-and-a-mirror",
	} {
		if got := slugify(heading); got != want {
			t.Errorf("slugify(%q) = %q, want %q", heading, got, want)
		}
	}
}

// Every relative link of README.md and docs/*.md reaches a file, and an
// #anchor a heading of the page it names.
func TestDocsLinksResolve(t *testing.T) {
	pages := map[string]mdDoc{}
	for _, p := range docPages(t) {
		pages[p] = parseMarkdown(t, p)
	}
	for _, d := range pages {
		for _, problem := range brokenLinks(d, pages) {
			t.Errorf("%s: %s", d.path, problem)
		}
	}
}

// brokenLinks lists the links of d that reach no file or no heading.
func brokenLinks(d mdDoc, pages map[string]mdDoc) []string {
	var problems []string
	for _, m := range mdLink.FindAllStringSubmatch(d.prose, -1) {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		file, anchor, _ := strings.Cut(target, "#")
		dest := d.path
		if file != "" {
			dest = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(d.path), file)))
			if _, err := os.Stat(filepath.Join("..", dest)); err != nil {
				problems = append(problems, "link "+target+": no file "+dest)
				continue
			}
		}
		if anchor == "" {
			continue
		}
		page, ok := pages[dest]
		if !ok {
			problems = append(problems, "link "+target+": an anchor into "+dest+", which is not a checked page")
			continue
		}
		if !slices.Contains(page.headings, anchor) {
			problems = append(problems, "link "+target+": no heading #"+anchor+" in "+dest+" (it has "+strings.Join(page.headings, ", ")+")")
		}
	}
	return problems
}

// makeTargets are the targets the Makefile defines.
func makeTargets(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, m := range targetLine.FindAllStringSubmatch(string(raw), -1) {
		for _, name := range strings.Fields(m[1]) {
			if !strings.HasPrefix(name, ".") {
				targets[name] = true
			}
		}
	}
	return targets
}

// Every `make TARGET` the docs name (in code) is a target of the Makefile;
// an all-capitals word is a placeholder.
func TestDocsNameRealMakeTargets(t *testing.T) {
	targets := makeTargets(t)
	if !targets["test"] || !targets["synth"] || targets["export"] {
		t.Fatalf("reading the Makefile's targets went wrong: %v", targets)
	}
	for _, p := range docPages(t) {
		for _, target := range namedMakeTargets(parseMarkdown(t, p)) {
			if !targets[target] {
				t.Errorf("%s names `make %s`, which is no target of the Makefile", p, target)
			}
		}
	}
}

func namedMakeTargets(d mdDoc) []string {
	var names []string
	for _, code := range d.code {
		for _, m := range makeTarget.FindAllStringSubmatch(code, -1) {
			if !placeholder.MatchString(m[1]) {
				names = append(names, m[1])
			}
		}
	}
	return names
}

// Every `go run . COMMAND` the docs name is a command of the app. With no
// word after it, or a flag (`go run . -config F`), it is the synth; an
// all-capitals word (`go run . COMMAND -h`) is a placeholder.
func TestDocsNameRealCommands(t *testing.T) {
	if len(cli.Commands) == 0 {
		t.Fatal("cli.Commands is empty")
	}
	for _, p := range docPages(t) {
		for _, command := range namedCommands(parseMarkdown(t, p)) {
			if _, ok := cli.Commands[command]; !ok {
				t.Errorf("%s names `go run . %s`, which is no command (cli.Commands)", p, command)
			}
		}
	}
}

func namedCommands(d mdDoc) []string {
	var names []string
	for _, code := range d.code {
		for _, m := range goRunDot.FindAllStringSubmatch(code, -1) {
			word := m[1]
			if word == "" || strings.HasPrefix(word, "-") || placeholder.MatchString(word) || !unicode.IsLetter([]rune(word)[0]) {
				continue
			}
			names = append(names, word)
		}
	}
	return names
}

// The checks above find what they look for: a page with a broken link, an
// unknown target and an unknown command fails each of them.
func TestDocsChecksCatchMistakes(t *testing.T) {
	dir := t.TempDir()
	page := "# Title\n\n## A section, with `code`\n\nSee [the section](#a-section-with-code), [a file](README.md),\n" +
		"[gone](#no-such-heading), [missing](nowhere.md) and [into](#title).\n\n" +
		"```sh\nmake synth\nE2E_ONLY=demo make e2e\nmake no-such-target\nmake TARGET\ngo run . doctor\ngo run . -config x.yaml\ngo run . COMMAND -h\ngo run . frobnicate\n```\n\n" +
		"Also `make vet` and `go run . cost -gb 5`; in prose, make that an error.\n"
	if err := os.WriteFile(filepath.Join(dir, "page.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(root, filepath.Join(dir, "page.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d := parseMarkdown(t, rel)
	broken := brokenLinks(d, map[string]mdDoc{d.path: d})
	if len(broken) != 2 || !strings.Contains(broken[0], "#no-such-heading") || !strings.Contains(broken[1], "nowhere.md") {
		t.Errorf("broken links = %q, want #no-such-heading and nowhere.md", broken)
	}
	if got, want := namedMakeTargets(d), []string{"synth", "e2e", "no-such-target", "vet"}; !slices.Equal(got, want) {
		t.Errorf("make targets = %q, want %q", got, want)
	}
	if got, want := namedCommands(d), []string{"doctor", "frobnicate", "cost"}; !slices.Equal(got, want) {
		t.Errorf("commands = %q, want %q", got, want)
	}
	targets := makeTargets(t)
	if targets["no-such-target"] || !targets["e2e"] {
		t.Error("the Makefile's targets do not tell a real target from a made-up one")
	}
	if _, ok := cli.Commands["frobnicate"]; ok {
		t.Error("frobnicate is a command?")
	}
}
