package tfhcl

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// terraformBlock renders the terraform block: settings in key order.
func terraformBlock(val any) ([]topBlock, error) {
	settings, err := asObject(val, "terraform")
	if err != nil {
		return nil, err
	}
	b := hclwrite.NewBlock("terraform", nil)
	for _, key := range slices.Sorted(maps.Keys(settings)) {
		if err := terraformSetting(b.Body(), key, settings[key]); err != nil {
			return nil, err
		}
	}
	return []topBlock{{kind: Terraform, block: b}}, nil
}

func terraformSetting(out *hclwrite.Body, key string, val any) error {
	at := "terraform." + key
	switch key {
	case "required_providers":
		providers, err := asObject(val, at)
		if err != nil {
			return err
		}
		body := out.AppendNewBlock(key, nil).Body()
		for _, name := range slices.Sorted(maps.Keys(providers)) {
			v, err := value(providers[name], at+"."+name)
			if err != nil {
				return err
			}
			body.SetAttributeRaw(name, v)
		}
	case "backend":
		backends, err := asObject(val, at)
		if err != nil {
			return err
		}
		for _, typ := range slices.Sorted(maps.Keys(backends)) {
			cfg, err := asObject(backends[typ], at+"."+typ)
			if err != nil {
				return err
			}
			if err := writeBody(out.AppendNewBlock(key, []string{typ}).Body(), cfg, at+"."+typ, "", backendSchema); err != nil {
				return err
			}
		}
	case "cloud":
		cfg, err := asObject(val, at)
		if err != nil {
			return err
		}
		return writeBody(out.AppendNewBlock(key, nil).Body(), cfg, at, "", cloudSchema)
	default:
		if isObjectLike(val) {
			return fmt.Errorf("%s: not supported by the HCL rendering", at)
		}
		v, err := value(val, at)
		if err != nil {
			return err
		}
		out.SetAttributeRaw(key, v)
	}
	return nil
}

// providers renders the provider blocks: by name, then in the order of
// each provider's configurations.
func providers(val any) ([]topBlock, error) {
	all, err := asObject(val, "provider")
	if err != nil {
		return nil, err
	}
	var out []topBlock
	for _, name := range slices.Sorted(maps.Keys(all)) {
		s := providerSchema(name)
		configs, err := asObjects(all[name], "provider."+name)
		if err != nil {
			return nil, err
		}
		for _, cfg := range configs {
			b := hclwrite.NewBlock("provider", []string{name})
			if err := writeBody(b.Body(), cfg, "provider."+name, "", s); err != nil {
				return nil, err
			}
			out = append(out, topBlock{kind: Providers, block: b})
		}
	}
	return out, nil
}

// resources renders every block of kind (resource or data), ordered by
// construct path so that what one construct made stays together; the
// cross-stack reads are a section of their own.
func resources(kind string, val any) ([]topBlock, error) {
	byType, err := asObject(val, kind)
	if err != nil {
		return nil, err
	}
	type entry struct {
		order string
		topBlock
	}
	var entries []entry
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		byName, err := asObject(byType[typ], kind+"."+typ)
		if err != nil {
			return nil, err
		}
		s := resourceSchema(kind, typ)
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			where := kind + "." + typ + "." + name
			if kind == "resource" {
				where = typ + "." + name
			}
			body, err := asObject(byName[name], where)
			if err != nil {
				return nil, err
			}
			b := hclwrite.NewBlock(kind, []string{typ, name})
			if err := writeBody(b.Body(), body, where, "", s); err != nil {
				return nil, err
			}
			path := constructPath(body)
			e := entry{order: path + "\x00" + where, topBlock: topBlock{kind: Resources, comment: path, block: b}}
			if kind == "data" && typ == "terraform_remote_state" {
				e.kind = RemoteState
			}
			entries = append(entries, e)
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return strings.Compare(a.order, b.order) })
	out := make([]topBlock, len(entries))
	for i, e := range entries {
		out[i] = e.topBlock
	}
	return out, nil
}

// named renders output or variable blocks, by name.
func named(kind string, val any, s schema, section Kind) ([]topBlock, error) {
	all, err := asObject(val, kind)
	if err != nil {
		return nil, err
	}
	var out []topBlock
	for _, name := range slices.Sorted(maps.Keys(all)) {
		body, err := asObject(all[name], kind+"."+name)
		if err != nil {
			return nil, err
		}
		b := hclwrite.NewBlock(kind, []string{name})
		if err := writeBody(b.Body(), body, kind+"."+name, "", s); err != nil {
			return nil, err
		}
		out = append(out, topBlock{kind: section, block: b})
	}
	return out, nil
}

// locals renders the locals block: one argument per local, by name.
func locals(val any) ([]topBlock, error) {
	all, err := asObject(val, "locals")
	if err != nil {
		return nil, err
	}
	b := hclwrite.NewBlock("locals", nil)
	for _, name := range slices.Sorted(maps.Keys(all)) {
		v, err := value(all[name], "locals."+name)
		if err != nil {
			return nil, err
		}
		b.Body().SetAttributeRaw(name, v)
	}
	return []topBlock{{kind: Variables, block: b}}, nil
}
