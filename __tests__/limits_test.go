package tests

import (
	"testing"
)

// AWS rejects names over these lengths at apply time; catch them at synth
// for the demo and every example config.
func TestSynthsRespectAWSNameLimits(t *testing.T) {
	limits := map[string]map[string]int{
		"aws_iam_role":             {"name": 64, "name_prefix": 38},
		"aws_lb":                   {"name": 32, "name_prefix": 6},
		"aws_alb":                  {"name": 32, "name_prefix": 6},
		"aws_lb_target_group":      {"name": 32, "name_prefix": 6},
		"aws_security_group":       {"name": 255, "name_prefix": 229},
		"aws_cloudwatch_log_group": {"name": 512, "name_prefix": 483},
	}
	checked := 0
	for name, c := range currentSynths(t) {
		for stack, doc := range c.docs {
			for typ, fields := range limits {
				for rname, r := range doc.resources(typ) {
					for field, max := range fields {
						if v, ok := r[field].(string); ok {
							checked++
							if len(v) > max {
								t.Errorf("%s/%s %s.%s: %s %q is %d characters; AWS allows %d", name, stack, typ, rname, field, v, len(v), max)
							}
						}
					}
				}
			}
			for _, r := range allResources(doc) {
				tags, _ := r["tags"].(map[string]any)
				for k, v := range tags {
					if s, _ := v.(string); len(k) > 128 || len(s) > 256 {
						t.Errorf("%s/%s: tag %s=%q exceeds AWS limits (128/256)", name, stack, k, s)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no names were checked")
	}
}

func allResources(doc tfDoc) []resource {
	var out []resource
	byType, _ := doc["resource"].(map[string]any)
	for typ := range byType {
		for _, r := range doc.resources(typ) {
			out = append(out, r)
		}
	}
	return out
}
