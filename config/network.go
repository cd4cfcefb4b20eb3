package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// defaultAZIDs are Availability Zone IDs per region. AZ IDs, unlike names
// such as ap-northeast-1a, mean the same zone in every account, so provider
// and consumers land in the same zones. apne1-az2 is closed to new accounts.
var defaultAZIDs = map[string][]string{
	"ap-northeast-1": {"apne1-az1", "apne1-az4"},
	"us-east-1":      {"use1-az1", "use1-az2"},
	"us-west-2":      {"usw2-az1", "usw2-az2"},
	"eu-west-1":      {"euw1-az1", "euw1-az2"},
	"eu-central-1":   {"euc1-az1", "euc1-az2"},
}

// SubnetCIDRs are explicit demo subnet blocks, one per AZ ID, in order.
type SubnetCIDRs struct {
	// Public subnets (provider only: the demo ALB). Default: carved.
	Public []string `yaml:"public"`
	// Private subnets (the NLB, the endpoint). Default: carved.
	Private []string `yaml:"private"`
}

var azIDRe = regexp.MustCompile(`^[a-z]{2,}[0-9]+-az[0-9]+$`)

func checkAZIDs(ck *checker, path, region string, ids []string) {
	if len(ids) == 0 && validate.Region(region) != "" {
		return // the bad region is reported already
	}
	if len(ids) == 0 {
		ck.addf(path, "is required in %s (no default there): two or more AZ IDs, from `aws ec2 describe-availability-zones --region %s`", region, region)
		return
	}
	if len(ids) < 2 {
		ck.addf(path, "has %d, want at least 2 AZ IDs so one zone's outage does not cut the link", len(ids))
	}
	if len(ids) > 8 {
		ck.addf(path, "has %d; the demo network supports at most 8 zones", len(ids))
	}
	want := azIDPrefix(region)
	validate.EachUnique(path, ids, func(id string) string {
		switch {
		case !azIDRe.MatchString(id):
			return fmt.Sprintf("%q: want an AZ ID such as apne1-az1, not a zone name (names differ between accounts)", id)
		case want != "" && !strings.HasPrefix(id, want+"-"):
			return fmt.Sprintf("%q: not a zone of %s (its AZ IDs start with %s-)", id, region, want)
		}
		return ""
	}, ck.report)
}

// checkDemoVPC checks a demo VPC block and its optional explicit subnets:
// one per zone, inside the VPC, not overlapping.
func checkDemoVPC(ck *checker, path, cidr string, zones int, subnets SubnetCIDRs, public bool) {
	if problem := validate.CIDR(cidr); problem != "" {
		ck.report(path+".vpcCidr", problem)
		return
	}
	vpc := netip.MustParsePrefix(cidr)
	if vpc.Bits() < 16 || vpc.Bits() > 24 {
		ck.addf(path+".vpcCidr", "%q: want a /16 to /24 block (the demo carves /20 to /28 subnets)", cidr)
		return
	}
	if !public && len(subnets.Public) > 0 {
		ck.addf(path+".subnetCidrs.public", "a consumer has no public subnets; remove it")
	}
	var all []netip.Prefix
	var names []string
	for _, group := range []struct {
		name string
		list []string
	}{{"public", subnets.Public}, {"private", subnets.Private}} {
		if len(group.list) == 0 || (group.name == "public" && !public) {
			continue
		}
		gp := path + ".subnetCidrs." + group.name
		if len(group.list) != zones {
			ck.addf(gp, "has %d, want one per AZ ID (%d)", len(group.list), zones)
		}
		for i, s := range group.list {
			sp := fmt.Sprintf("%s[%d]", gp, i)
			if problem := validate.CIDR(s); problem != "" {
				ck.report(sp, problem)
				continue
			}
			sub := netip.MustParsePrefix(s)
			switch {
			case !vpc.Contains(sub.Addr()) || sub.Bits() < vpc.Bits():
				ck.addf(sp, "%q: not inside %s.vpcCidr %s", s, path, cidr)
			case sub.Bits() > 28:
				ck.addf(sp, "%q: AWS subnets are /16 to /28", s)
			}
			for j, other := range all {
				if other.Overlaps(sub) {
					ck.addf(sp, "%q: overlaps %s (%s)", s, names[j], other)
				}
			}
			all = append(all, sub)
			names = append(names, sp)
		}
	}
}

// azIDPrefix derives the AZ ID prefix of a region: ap-northeast-1 ->
// apne1, us-east-1 -> use1, us-gov-west-1 -> usgw1. "" when unsure.
func azIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return ""
	}
	dirs := map[string]string{"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		switch {
		case p == "gov":
			out += "g"
		case dirs[p] != "":
			out += dirs[p]
		default:
			return ""
		}
	}
	return out + parts[len(parts)-1]
}
