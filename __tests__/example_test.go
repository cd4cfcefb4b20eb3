package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/examples/importing"
)

// The README's "The constructs in your own stack" example is
// examples/importing; it must synthesize, and the README must show it as it is.
func TestImportingExampleSynthesizes(t *testing.T) {
	stack, err := importing.NewOrdersStack(cdktf.Testing_App(nil), "orders")
	if err != nil {
		t.Fatal(err)
	}
	doc := synthStack(t, stack)
	esName, es := doc.one(t, "aws_vpc_endpoint_service")
	expect(t, esName, es, "allowed_principals", []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"})
	epName, ep := doc.one(t, "aws_vpc_endpoint")
	expect(t, epName, ep, "service_name", ref("aws_vpc_endpoint_service", esName, "service_name"))
	expect(t, epName, ep, "auto_accept", true)
	tgName, tg := doc.one(t, "aws_lb_target_group")
	expect(t, tgName, tg, "health_check.path", "/healthz")
	doc.one(t, "aws_route53_record")
}

func TestReadmeShowsTheImportingExample(t *testing.T) {
	src, err := os.ReadFile("../examples/importing/importing.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	begin, end := strings.Index(s, "// README:begin\n"), strings.Index(s, "// README:end")
	if begin < 0 || end < begin {
		t.Fatal("examples/importing/importing.go lost its README:begin/end markers")
	}
	snippet := strings.TrimSpace(s[begin+len("// README:begin\n") : end])
	if !strings.Contains(string(readme), snippet) {
		t.Errorf("README.md does not contain the code between the README markers of examples/importing/importing.go; copy it again:\n%s", snippet)
	}
}

// Every test README.md and docs/*.md name as a guard exists; the
// failure-mode table of docs/privatelink.md names at least ten.
func TestDocsNameRealTests(t *testing.T) {
	pages, _ := filepath.Glob("../docs/*.md")
	pages = append(pages, "../README.md")
	var sources strings.Builder
	for _, glob := range []string{"*_test.go", "../*/*_test.go", "../*/*/*_test.go"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sources.Write(raw)
		}
	}
	testName := regexp.MustCompile("`(Test[A-Za-z0-9_]+)`")
	for _, page := range pages {
		doc, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		names := testName.FindAllStringSubmatch(string(doc), -1)
		if strings.HasSuffix(page, "/privatelink.md") && len(names) < 10 {
			t.Errorf("docs/privatelink.md names only %d tests; the failure-mode table lost its Test column?", len(names))
		}
		for _, m := range names {
			if !strings.Contains(sources.String(), "func "+m[1]+"(") {
				t.Errorf("%s names %s, which does not exist", strings.TrimPrefix(page, "../"), m[1])
			}
		}
	}
}
