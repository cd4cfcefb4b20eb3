package synth

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/internal/tfhcl"
)

// The file each stack folder holds: cdk.tf.json, or cdk.tf with
// cdktf synth --hcl. A folder holds one of them, never both: Terraform
// would read both and find every resource twice.
const (
	jsonStackFile = "cdk.tf.json"
	hclStackFile  = "cdk.tf"
	hclMetadata   = "metadata.json" // what cdktf writes beside cdk.tf
)

// hclRequested says whether the cdktf CLI asked for HCL output: cdktf synth
// --hcl sets SYNTH_HCL_OUTPUT=true for the app.
func hclRequested() (bool, error) {
	switch v := os.Getenv("SYNTH_HCL_OUTPUT"); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, fmt.Errorf("SYNTH_HCL_OUTPUT=%q: use cdktf synth --hcl (which sets it to true), or unset it", v)
	}
}

// jsonStacks makes sure every stack in staging is on disk as Terraform
// JSON, which the policy rules read and HCL is rendered from: where cdktf
// wrote its own HCL (its Node process saw SYNTH_HCL_OUTPUT), the stack's
// JSON form is written beside it and the manifest points at that.
func jsonStacks(app constructs.IConstruct, staging string) error {
	return eachStack(staging, func(name string, m map[string]any) error {
		if path, _ := m["synthesizedStackPath"].(string); filepath.Base(path) == jsonStackFile {
			return nil
		}
		child := app.Node().TryFindChild(jsii.String(name))
		if child == nil {
			return fmt.Errorf("no stack %q in the app", name)
		}
		// the object cdktf's own JSON synth writes
		raw, err := json.Marshal(cdktf.TerraformStack_Of(child).ToTerraform())
		if err != nil {
			return err
		}
		rel := filepath.Join("stacks", name, jsonStackFile)
		m["synthesizedStackPath"] = filepath.ToSlash(rel)
		return os.WriteFile(filepath.Join(staging, rel), raw, 0o644)
	})
}

// writeHCL turns each stack's cdk.tf.json in staging (checked by the
// policy rules) into cdk.tf, its HCL rendering (internal/tfhcl; cdktf
// 0.20's own HCL is invalid for these stacks). Beside it goes the
// metadata.json the cdktf CLI reads for HCL stacks, and the manifest
// points at both.
func writeHCL(staging string) error {
	return eachStack(staging, func(name string, m map[string]any) error {
		dir := filepath.Join("stacks", name)
		raw, err := os.ReadFile(filepath.Join(staging, dir, jsonStackFile))
		if err != nil {
			return err
		}
		doc, err := tfhcl.Parse(raw)
		if err != nil {
			return fmt.Errorf("stack %s: %w", name, err)
		}
		out, err := tfhcl.Render(doc)
		if err != nil {
			return fmt.Errorf("stack %s: %w", name, err)
		}
		header := fmt.Sprintf("# Stack %s, synthesized by alb-privatelink (cdktf synth --hcl) from\n# the same Terraform JSON a synth without --hcl writes. Do not edit:\n# the next synth replaces it (see docs/leaving-cdktf.md).\n\n", name)
		meta, err := json.MarshalIndent(hclMetadataOf(doc), "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(staging, dir, hclStackFile), append([]byte(header), out...), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(staging, dir, hclMetadata), meta, 0o644); err != nil {
			return err
		}
		if err := os.Remove(filepath.Join(staging, dir, jsonStackFile)); err != nil {
			return err
		}
		m["synthesizedStackPath"] = filepath.ToSlash(filepath.Join(dir, hclStackFile))
		m["stackMetadataPath"] = filepath.ToSlash(filepath.Join(dir, hclMetadata))
		return nil
	})
}

// eachStack calls edit with each stack's entry of staging's manifest, in
// name order, and writes the manifest back with what edit changed.
func eachStack(staging string, edit func(name string, m map[string]any) error) error {
	manifestPath := filepath.Join(staging, "manifest.json")
	raw, err := os.ReadFile(manifestPath)
	if err != nil {
		return fmt.Errorf("HCL output: %w", err)
	}
	var manifest map[string]any
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return fmt.Errorf("HCL output: manifest.json: %w", err)
	}
	stacks, _ := manifest["stacks"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(stacks)) {
		m, _ := stacks[name].(map[string]any)
		if m == nil {
			return fmt.Errorf("HCL output: manifest.json: stack %s has no entry", name)
		}
		if err := edit(name, m); err != nil {
			return fmt.Errorf("HCL output: %w", err)
		}
	}
	raw, err = json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return fmt.Errorf("HCL output: %w", err)
	}
	return os.WriteFile(manifestPath, raw, 0o644)
}

// hclMetadataOf is what cdktf writes to metadata.json beside cdk.tf: the
// stack's "//" metadata, its terraform block, and the construct path of
// each resource and data source.
func hclMetadataOf(doc map[string]any) map[string]any {
	meta := map[string]any{"//": doc["//"], "terraform": doc["terraform"]}
	for _, kind := range []string{"resource", "data"} {
		byType, _ := doc[kind].(map[string]any)
		if len(byType) == 0 {
			continue
		}
		out := map[string]any{}
		for typ, byName := range byType {
			names, _ := byName.(map[string]any)
			kept := map[string]any{}
			for name, body := range names {
				b, _ := body.(map[string]any)
				entry := map[string]any{}
				if m, ok := b["//"]; ok {
					entry["//"] = m
				}
				kept[name] = entry
			}
			out[typ] = kept
		}
		meta[kind] = out
	}
	return meta
}

// otherFormat names the files of the other output format, which a stack
// folder must lose when it gets file.
func otherFormat(file string) []string {
	switch {
	case strings.HasSuffix(file, "/"+jsonStackFile) || file == jsonStackFile:
		return []string{hclStackFile, hclMetadata}
	case strings.HasSuffix(file, "/"+hclStackFile) || file == hclStackFile:
		return []string{jsonStackFile}
	}
	return nil
}

// isStackFolder says whether dir holds a synthesized stack.
func isStackFolder(dir string) bool {
	for _, f := range []string{jsonStackFile, hclStackFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}
