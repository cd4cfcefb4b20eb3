package config

import (
	"strings"
	"testing"
)

// Each stack's region and account, as the first line of a synth says
// them: the accept stacks deploy with the provider's settings, a consumer
// without its own region takes the provider's, and an account is shown
// only where Terraform will check it.
func TestTargets(t *testing.T) {
	cfg, err := Load("../examples/config/three-consumers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, 0, 6)
	for _, target := range cfg.Targets() {
		got = append(got, target.String())
	}
	want := []string{
		"provider in ap-northeast-1 (account 111122223333)",
		"consumer in ap-northeast-1 (account unchecked)",
		"consumer-analytics in ap-northeast-1 (account 777788889999)",
		"consumer-virginia in us-east-1 (account unchecked)",
		"accept-consumer-analytics in ap-northeast-1 (account 111122223333)",
		"accept-consumer-virginia in ap-northeast-1 (account 111122223333)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("targets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if names := cfg.StackNames(); len(names) != len(got) {
		t.Errorf("%d targets for %d stacks %v", len(got), len(names), names)
	}
}

func TestSummarySaysWhereAndWhatIsIgnored(t *testing.T) {
	demo, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	line := Summary(Source{}, demo, env(nil))
	if want := "stacks: provider in ap-northeast-1 (account unchecked), consumer in ap-northeast-1 (account unchecked); config: none, so the zero-config demo"; !strings.HasPrefix(line, want) {
		t.Errorf("demo:\n%s\nwant a line starting\n%s", line, want)
	}
	if strings.Contains(line, "ignored") {
		t.Errorf("no AWS_REGION, yet: %s", line)
	}
	// The shell's region never moves the demo; the line says so, and how to choose.
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		line = Summary(Source{}, demo, env(map[string]string{name: "us-west-2"}))
		if want := "; " + name + "=us-west-2 is ignored: the demo always deploys to ap-northeast-1; to choose a region, set provider.aws.region in a config file"; !strings.Contains(line, want) {
			t.Errorf("%s=us-west-2 on the demo:\n%s\nwant it to say\n%s", name, line, want)
		}
	}
	// The same region as the stacks: nothing to say.
	if line = Summary(Source{}, demo, env(map[string]string{"AWS_REGION": "ap-northeast-1"})); strings.Contains(line, "ignored") {
		t.Errorf("AWS_REGION matches, yet: %s", line)
	}
	three, err := Load("../examples/config/three-consumers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := Source{"three.yaml", "-config"}
	line = Summary(src, three, env(map[string]string{"AWS_REGION": "eu-west-1"}))
	if !strings.Contains(line, "consumer-virginia in us-east-1 (account unchecked)") || !strings.Contains(line, "; config: three.yaml (-config); AWS_REGION=eu-west-1 is ignored: each stack's region comes from the config") {
		t.Errorf("config file with AWS_REGION=eu-west-1:\n%s", line)
	}
	// A region one of the stacks uses is not "ignored".
	if line = Summary(src, three, env(map[string]string{"AWS_REGION": "us-east-1"})); strings.Contains(line, "ignored") {
		t.Errorf("AWS_REGION=us-east-1 is a consumer's region, yet: %s", line)
	}
}
