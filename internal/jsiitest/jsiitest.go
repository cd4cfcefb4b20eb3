// Package jsiitest holds the TestMain every test package of this module
// shares.
package jsiitest

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// Main runs the tests, then closes the jsii runtime: importing the AWS
// bindings prepares it in a jsii-runtime.* temp folder (about 2 MB) that
// only jsii.Close removes, even in tests that never call into Node.
func Main(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}
