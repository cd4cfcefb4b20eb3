package synth

import (
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/jsiitest"
)

func TestMain(m *testing.M) { jsiitest.Main(m) }
