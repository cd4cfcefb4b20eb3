// Package synth is the synth pipeline: it builds a resolved configuration's
// stacks (package stacks) into a staging folder inside the output folder,
// synthesizes them with cdktf, runs the policy rules (package policy) on
// the Terraform JSON, renders HCL for cdktf synth --hcl (package tfhcl),
// and only then publishes the files into place. A Synthesizer holds the
// state of one output folder; Abort makes an interrupted process leave
// the folder as one synth's output or the other's.
package synth
