package privatelink

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// TestMain closes the jsii runtime: importing the AWS bindings prepares it
// in a jsii-runtime.* temp folder (about 2 MB) that only jsii.Close removes,
// even in tests that never call into Node.
func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}
