package validate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ./regionsgen

// partition is one AWS partition (aws, aws-cn, aws-us-gov, ...).
type partition struct {
	id      string
	pattern string // AWS's pattern for its region names
	regions []string
}

// Partition is the AWS partition of a region ("aws", "aws-cn",
// "aws-us-gov", ...), by AWS's region name patterns; "aws" when none
// matches. Account IDs become ARNs of it: AWS rejects an aws ARN in China.
func Partition(region string) string {
	for i, p := range partitions {
		if slices.Contains(p.regions, region) || partitionPatterns()[i].MatchString(region) {
			return p.id
		}
	}
	return "aws"
}

// partitionPatterns are the partitions' region patterns, compiled once.
var partitionPatterns = sync.OnceValue(func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(partitions))
	for i, p := range partitions {
		out[i] = regexp.MustCompile(p.pattern)
	}
	return out
})

// knownRegion reports whether region is a region AWS lists in its
// partition data (regions_gen.go).
func knownRegion(region string) bool {
	for _, p := range partitions {
		if slices.Contains(p.regions, region) {
			return true
		}
	}
	return false
}

// Region checks an AWS region name such as ap-northeast-1 against the
// regions AWS lists (regions_gen.go, from aws-sdk-go-v2's partition data;
// `go generate ./internal/validate` updates it), suggesting the closest one
// for a typo.
func Region(region string) string {
	if IsToken(region) || knownRegion(region) {
		return ""
	}
	if s := closestRegion(region); s != "" {
		return fmt.Sprintf("%q: not an AWS region; did you mean %s?", region, s)
	}
	return fmt.Sprintf("%q: want an AWS region such as ap-northeast-1", region)
}

// closestRegion is the known region nearest to a mistyped one, if any is
// within two edits.
func closestRegion(region string) string {
	var all []string
	for _, p := range partitions {
		all = append(all, p.regions...)
	}
	return Suggest(strings.ToLower(region), all, 3)
}

// Suggest returns the word of known closest to word (case-insensitively),
// if it is fewer than maxDist edits away; "" otherwise. A case-only
// difference always matches.
func Suggest(word string, known []string, maxDist int) string {
	best, bestDist := "", maxDist
	for _, k := range known {
		if strings.EqualFold(k, word) {
			return k
		}
		if d := editDistance(strings.ToLower(k), strings.ToLower(word)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
