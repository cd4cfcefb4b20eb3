// Package enable turns on lazy loading of the AWS bindings in the jsii
// kernel, for about 3x faster synth. Add it to your program's main package:
//
//	import _ "github.com/alb-privatelink/alb-privatelink/jsiilazy/enable"
//
// Its initializer, which Go runs before any jsii binding package's, writes
// a small preload script to the user's cache folder and has jsii-runtime-go
// prepare its kernel with `--require` of it in NODE_OPTIONS; then it puts
// NODE_OPTIONS back as it was, so only the kernel gets the preload. Output
// is the same either way. ALB_PRIVATELINK_LAZY=off turns it off;
// jsiilazy.Status tells what happened (see package jsiilazy).
package enable

import "github.com/alb-privatelink/alb-privatelink/jsiilazy"

// Keep the imports to jsiilazy alone (see jsiilazy's
// TestInitializedBeforeTheBindings).

func init() { jsiilazy.Enable() }
