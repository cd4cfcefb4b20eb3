package cli

import (
	"fmt"
	"io"
	"os"
)

// UnderCdktf tells whether the cdktf CLI runs the app (cdktf synth, deploy,
// diff): it sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS for the app.
func UnderCdktf() bool {
	return os.Getenv("CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS") != ""
}

// Notes is where the app writes what is not an error: the config line,
// warnings, suppressed findings. The cdktf CLI prints the app's stdout as
// plain lines but labels every stderr line [ERROR], so under cdktf notes
// go to stdout; run directly, they go to stderr, as usual for diagnostics,
// and stdout stays for a command's output (cost, diagram, doctor).
func Notes() io.Writer {
	if UnderCdktf() {
		return os.Stdout
	}
	return os.Stderr
}

// Note prints one note line.
func Note(format string, args ...any) {
	fmt.Fprintf(Notes(), format+"\n", args...)
}
