package cost

import (
	"math"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/config"
)

func load(t *testing.T, path string) config.Resolved {
	t.Helper()
	if path == "" {
		r, err := config.Resolve(config.Config{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// The expected figures are worked out by hand from prices.go (see each
// comment); if a price changes, redo them.
func TestEstimateOfTheDemo(t *testing.T) {
	e := Of(load(t, ""), Traffic{GBPerMonth: 100})
	want := map[string]float64{
		"NLB hours":                 16.425, // 0.0225 x 730
		"NLB capacity (NLCU)":       0.6,    // 100 x 0.006
		"cross-zone NLB to ALB":     1.0,    // 100 x 1/2 x 2 x 0.01
		"demo ALB hours":            16.425, // 0.0225 x 730
		"demo ALB capacity (LCU)":   0.8,    // 100 x 0.008
		"consumer: endpoint hours":  14.6,   // 2 x 0.01 x 730
		"consumer: endpoint data":   1.0,    // 100 x 0.01
		"VPC flow logs (demo VPCs)": 1.0,    // (1 + 1) GB x 0.50
	}
	got := map[string]float64{}
	for _, it := range e.Items {
		got[it.Name] = it.Monthly
	}
	if len(got) != len(want) {
		t.Errorf("items %v, want %v", got, want)
	}
	for name, w := range want {
		if !near(got[name], w) {
			t.Errorf("%s = %.3f, want %.3f", name, got[name], w)
		}
	}
	if !near(e.Total, 51.85) {
		t.Errorf("total %.3f, want 51.85", e.Total)
	}
	// The PrivateLink part alone is the ~$33 of AWS_NOTES (two AZs, 100 GB).
	if pl := got["NLB hours"] + got["NLB capacity (NLCU)"] + got["consumer: endpoint hours"] + got["consumer: endpoint data"]; !near(pl, 32.625) {
		t.Errorf("PrivateLink part %.3f, want 32.625", pl)
	}
	alt := map[string]float64{}
	for _, a := range e.Alternatives {
		alt[a.Name] = a.Monthly
	}
	if !near(alt["VPC Lattice"], 20.75) || !near(alt["Transit Gateway"], 75) { // 18.25 + 2.5; 2 x 36.5 + 2
		t.Errorf("alternatives %v, want Lattice 20.75, Transit Gateway 75", alt)
	}
}

func TestEstimateOfThreeConsumers(t *testing.T) {
	e := Of(load(t, "../examples/config/three-consumers.yaml"), Traffic{GBPerMonth: 300, RequestsPerMonth: 10e6})
	got := map[string]float64{}
	for _, it := range e.Items {
		got[it.Name] = it.Monthly
	}
	for name, w := range map[string]float64{
		"consumer-analytics: endpoint hours":   14.6, // its existing VPC's 2 subnets
		"consumer-virginia: cross-region data": 2.0,  // 100 x 0.02
		"VPC flow logs (demo VPCs)":            2.5,  // (3 + 1 + 0 + 1) GB x 0.50: analytics' VPC is not ours
		"cross-zone NLB to ALB":                3.0,  // 300 x 1/2 x 2 x 0.01
	} {
		if !near(got[name], w) {
			t.Errorf("%s = %.3f, want %.3f", name, got[name], w)
		}
	}
	if _, ok := got["consumer: cross-region data"]; ok {
		t.Error("cross-region data for a consumer in the provider's region")
	}
	if !near(e.Total, 91.35) {
		t.Errorf("total %.3f, want 91.35", e.Total)
	}
	alt := map[string]float64{}
	for _, a := range e.Alternatives {
		alt[a.Name] = a.Monthly
	}
	if !near(alt["VPC Lattice"], 26.75) || !near(alt["Transit Gateway"], 152) { // 18.25 + 7.5 + 1.0; 4 x 36.5 + 6
		t.Errorf("alternatives %v, want Lattice 26.75, Transit Gateway 152", alt)
	}
}

func TestEstimateCountsTheOptionalKeys(t *testing.T) {
	e := Of(load(t, "../examples/config/production-depth.yaml"), Traffic{GBPerMonth: 0})
	keys := 0
	for _, it := range e.Items {
		if strings.HasPrefix(it.Name, "KMS key") {
			keys++
		}
	}
	if keys != 2 {
		t.Errorf("%d KMS keys counted, want 2 (notifications and access logs)", keys)
	}
}

// The probe costs nothing while idle; the detail says what a run costs:
// 0.125 GB x 1 s x $0.0000133334 + $0.20 / 1M = $0.0000018667.
func TestEstimateOfTheProbe(t *testing.T) {
	e := Of(load(t, "../examples/config/https-demo.yaml"), Traffic{GBPerMonth: 100})
	for _, it := range e.Items {
		if it.Name == "consumer: connectivity probe" {
			if it.Monthly != 0 || !strings.Contains(it.Detail, "$0.0000019 per doctor run") {
				t.Errorf("%+v", it)
			}
			return
		}
	}
	t.Errorf("no line for the probe in %+v", e.Items)
}
