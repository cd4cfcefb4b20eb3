package tfhcl

// schema says which keys of a body are nested blocks.
type schema struct {
	blocks map[string]bool
	// raw names the arguments whose strings are references, not templates.
	raw map[string]bool
	// known says the schema is complete: an object-valued key not in
	// blocks is an argument. Without it, such a key is an error.
	known bool
	// unsupported are the block types the rendering refuses.
	unsupported map[string]bool
}

func (s schema) isBlock(path string) bool { return s.blocks[path] }

var (
	lifecycleBlocks = []string{"lifecycle", "lifecycle.precondition", "lifecycle.postcondition"}
	resourceRaw     = map[string]bool{"depends_on": true, "provider": true, "lifecycle.ignore_changes": true, "lifecycle.replace_triggered_by": true}
	outputSchema    = schema{blocks: set("precondition"), raw: set("depends_on"), known: true}
	variableSchema  = schema{blocks: set("validation"), raw: set("type"), known: true}
	// A backend's settings are all arguments (S3's assume_role is an
	// object argument).
	backendSchema = schema{known: true}
	cloudSchema   = schema{blocks: set("workspaces"), known: true}
)

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// resourceSchema is the block schema of a resource or data source type.
func resourceSchema(kind, typ string) schema {
	// provisioner, connection and dynamic blocks: cdktf writes them in
	// shapes this rendering does not map; refused rather than guessed.
	s := schema{blocks: set(lifecycleBlocks...), raw: resourceRaw, unsupported: set("provisioner", "connection", "dynamic")}
	if kind == "data" && typ == "terraform_remote_state" {
		s.known = true // backend, config, defaults, workspace: all arguments
		return s
	}
	if paths, ok := blockPaths[kind+" "+typ]; ok {
		for _, p := range paths {
			s.blocks[p] = true
		}
		s.known = true
	}
	return s
}

// providerSchema is the block schema of a provider's configuration.
func providerSchema(name string) schema {
	s := schema{blocks: map[string]bool{}}
	if paths, ok := blockPaths["provider "+name]; ok {
		for _, p := range paths {
			s.blocks[p] = true
		}
		s.known = true
	}
	return s
}
