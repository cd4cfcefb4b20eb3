package privatelink

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// tagger returns a function making the tags of one resource in the
// construct at node: the user's tags plus a Name of the node's path and a
// suffix ("provider-EndpointService-nlb"). A user's Name tag wins.
func tagger(node constructs.Node, tags map[string]string) func(suffix string) *map[string]*string {
	base := strings.ReplaceAll(*node.Path(), "/", "-")
	return func(suffix string) *map[string]*string {
		out := map[string]*string{"Name": jsii.String(base + "-" + suffix)}
		for _, k := range slices.Sorted(maps.Keys(tags)) {
			out[k] = jsii.String(tags[k])
		}
		return &out
	}
}

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}
