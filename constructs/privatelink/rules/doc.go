// Package rules holds the rules of the privatelink constructs' props as
// plain data, with no jsii, cdktf or AWS binding import: the constructs'
// Check methods call them, and so do the config file's loader (package
// config) and the doctor, which build and test without the AWS bindings.
// Each Check reports a Go field ("Listeners[1].Port") and a problem that
// starts with the bad value and says the fix; tokens pass.
package rules
