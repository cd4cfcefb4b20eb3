package tfhcl

import (
	"slices"
	"strings"
	"testing"
)

func render(t *testing.T, src string) string {
	t.Helper()
	doc, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(doc)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return string(out)
}

// Expected outputs below are written by hand from Terraform's JSON and
// native syntax specifications.
func TestTemplates(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`"plain"`, `"plain"`},
		{`"${aws_vpc.v.id}"`, `aws_vpc.v.id`},
		{`"${ aws_vpc.v.id }"`, `aws_vpc.v.id`},
		{`"arn:${data.aws_partition.p.partition}:ec2"`, `"arn:${data.aws_partition.p.partition}:ec2"`},
		// quotes and backslashes of the literal parts are escaped, those
		// inside an interpolation are not
		{`"{\"a\":\"${x.y}\"} \\ end"`, `"{\"a\":\"${x.y}\"} \\ end"`},
		{`"${lookup(m.x, \"k\", \"d\")}"`, `lookup(m.x, "k", "d")`},
		{`"a ${lookup(m.x, \"k\")} b"`, `"a ${lookup(m.x, "k")} b"`},
		// two interpolations are a template, not one expression
		{`"${a.b}${c.d}"`, `"${a.b}${c.d}"`},
		{`"${a.b}-${c.d}"`, `"${a.b}-${c.d}"`},
		// template escapes mean the same in both syntaxes
		{`"literal $${not.a.ref}"`, `"literal $${not.a.ref}"`},
		{`"%{if true}x%{endif}"`, `"%{if true}x%{endif}"`},
		// a string with no template sequence that contains a lone $ or %
		{`"50% of $5"`, `"50% of $5"`},
		{`"line1\nline2\ttab"`, `"line1\nline2\ttab"`},
		{`"\u0001"`, `"\u0001"`},
		// hclwrite escapes every character that does not print
		{`"nb\u00a0sp"`, `"nb\u00a0sp"`},
		{`"${x} \u0085"`, `"${x} \u0085"`},
		{`"${{\"a\" = 1}}"`, `{"a" = 1}`},
		{`"x ${ a.b } y"`, `"x ${ a.b } y"`},
	} {
		toks, err := template(mustString(t, c.json), "test")
		if err != nil {
			t.Errorf("%s: %v", c.json, err)
			continue
		}
		got := string(toks.Bytes())
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(c.want), " ") {
			t.Errorf("%s: got %s, want %s", c.json, got, c.want)
		}
	}
}

func mustString(t *testing.T, src string) string {
	t.Helper()
	doc, err := Parse([]byte(`{"s":` + src + `}`))
	if err != nil {
		t.Fatal(err)
	}
	return doc["s"].(string)
}

func TestResourceBlocksAndMetaArguments(t *testing.T) {
	got := render(t, `{
	  "resource": {"aws_lb_target_group": {"Tg": {
	    "//": {"metadata": {"path": "provider/Service/TargetGroup", "uniqueId": "Tg"}},
	    "name": "tg", "port": 80, "deregistration_delay": "30",
	    "health_check": {"enabled": true, "path": "/health"},
	    "tags": {"Name": "tg", "cost-center": "1"},
	    "depends_on": ["aws_lb.Alb"],
	    "lifecycle": {"create_before_destroy": true, "ignore_changes": ["tags"],
	      "precondition": [{"condition": "${var.x > 1}", "error_message": "x"}]},
	    "provider": "aws.east"
	  }}}
	}`)
	want := `# provider/Service/TargetGroup
resource "aws_lb_target_group" "Tg" {
  provider             = aws.east
  deregistration_delay = "30"
  name                 = "tg"
  port                 = 80
  tags = {
    Name          = "tg"
    "cost-center" = "1"
  }
  health_check {
    enabled = true
    path    = "/health"
  }
  depends_on = [
    aws_lb.Alb,
  ]
  lifecycle {
    create_before_destroy = true
    ignore_changes = [
      tags,
    ]
    precondition {
      condition     = var.x > 1
      error_message = "x"
    }
  }
}
`
	if !strings.Contains(got, want) {
		t.Errorf("got:\n%s\nwant it to contain:\n%s", got, want)
	}
}

func TestTerraformBlockAndProviders(t *testing.T) {
	got := render(t, `{
	  "terraform": {"required_providers": {"aws": {"source": "aws", "version": "~> 5.84"}},
	    "backend": {"s3": {"bucket": "b", "key": "k", "assume_role": {"role_arn": "arn:aws:iam::1:role/r"}}}},
	  "provider": {"aws": [{"region": "eu-west-1", "default_tags": [{"tags": {"Owner": "net"}}]},
	    {"alias": "east", "region": "us-east-1"}]}
	}`)
	for _, want := range []string{
		"terraform {\n  backend \"s3\" {\n    assume_role = {\n      role_arn = \"arn:aws:iam::1:role/r\"\n    }\n    bucket = \"b\"",
		"required_providers {\n    aws = {\n      source  = \"aws\"\n      version = \"~> 5.84\"\n    }\n  }",
		"provider \"aws\" {\n  region = \"eu-west-1\"\n  default_tags {\n    tags = {\n      Owner = \"net\"\n    }\n  }\n}",
		"provider \"aws\" {\n  alias  = \"east\"\n  region = \"us-east-1\"\n}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("got:\n%s\nwant it to contain:\n%s", got, want)
		}
	}
}

// Keys of a JSON object value are templates to Terraform, like its
// strings: they keep that meaning in HCL.
func TestObjectKeysKeepTheirMeaning(t *testing.T) {
	got := render(t, `{"resource": {"aws_vpc": {"v": {"tags": {
	  "Name": "a", "cost-center": "b", "for": "c", "true": "d",
	  "${var.k}": "e", "$${literal}": "f", "x-${var.y}": "g"}}}}}`)
	for _, want := range []string{
		`Name          = "a"`, `"cost-center" = "b"`, `"for"         = "c"`, `"true"        = "d"`,
		`(var.k)       = "e"`, `"$${literal}" = "f"`, `"x-${var.y}"  = "g"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("got:\n%s\nwant it to contain %s", got, want)
		}
	}
}

func TestRefusesWhatItCannotTellApart(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"resource": {"aws_unknown_thing": {"x": {"nested": {"a": 1}}}}}`, "no schema says whether \"nested\""},
		{`{"moved": [{"from": "a.b", "to": "a.c"}]}`, "moved: not supported"},
		{`{"resource": {"aws_vpc": {"x": {"provisioner": [{"local-exec": {"command": "true"}}]}}}}`, "provisioner blocks are not supported"},
		{`{"resource": {"aws_vpc": {"x": {"dynamic": {"tags": {}}}}}}`, "dynamic blocks are not supported"},
		{`{"resource": {"aws_vpc": {"x": {"depends_on": ["not a reference !"]}}}}`, "is not an expression"},
		{`{"resource": {"aws_vpc": {"x": {"tags": {"a": "${unclosed"}}}}}`, "not a valid template"},
	} {
		doc, err := Parse([]byte(c.json))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Render(doc)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want it to say %q", c.json, err, c.want)
		}
	}
	// a type without a schema is fine while nothing in it is object-like
	got := render(t, `{"resource": {"aws_unknown_thing": {"x": {"name": "n", "list": ["a"]}}}}`)
	if !strings.Contains(got, `name = "n"`) {
		t.Errorf("got %s", got)
	}
}

func TestSectionsGroupByRole(t *testing.T) {
	doc, err := Parse([]byte(`{
	  "terraform": {"required_providers": {"aws": {"source": "aws"}}},
	  "provider": {"aws": [{"region": "eu-west-1"}]},
	  "data": {"terraform_remote_state": {"r": {"backend": "local", "config": {"path": "p"}}},
	           "aws_region": {"here": {}}},
	  "resource": {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}},
	  "output": {"o": {"value": "${aws_vpc.v.id}", "description": "d"}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	sections, err := Sections(doc)
	if err != nil {
		t.Fatal(err)
	}
	got := map[Kind]string{}
	var kinds []Kind
	for _, s := range sections {
		out, err := s.Bytes("a comment", "and another\nof two lines")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(out), "# a comment\n\n# and another\n# of two lines\n\n") {
			t.Errorf("%s does not start with its comments:\n%s", s.Kind, out)
		}
		got[s.Kind] = string(out)
		kinds = append(kinds, s.Kind)
	}
	if want := []Kind{Terraform, Providers, RemoteState, Resources, Outputs}; !slices.Equal(kinds, want) {
		t.Errorf("sections %v, want %v (in this order, and no variables section with no variables)", kinds, want)
	}
	for kind, want := range map[Kind]string{
		Terraform:   "required_providers",
		Providers:   `provider "aws"`,
		RemoteState: `data "terraform_remote_state" "r"`,
		Resources:   `resource "aws_vpc" "v"`,
		Outputs:     "value       = aws_vpc.v.id",
	} {
		if !strings.Contains(got[kind], want) {
			t.Errorf("%s:\n%s\nwant it to contain %q", kind, got[kind], want)
		}
	}
	if !strings.Contains(got[Resources], `data "aws_region" "here"`) {
		t.Errorf("resources lack the data source:\n%s", got[Resources])
	}
}
