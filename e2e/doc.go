// Package e2e runs the app the way users do, as processes: the built binary,
// `go run .`, `npx cdktf synth`, and the jsii test package with lazy loading
// switched off. It starts no jsii kernel itself (docs_test.go imports cli only
// for the command names), so `go test` runs it beside the in-process jsii tests
// of __tests__ instead of after them.
package e2e
