package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// choice is a flag that takes one of a few words. A bad value fails the
// parse with the flag, the value and the words allowed, as in
// `invalid value "svg" for flag -format: want mermaid or dot`.
type choice struct {
	value   string
	allowed []string
}

func (c *choice) String() string {
	if c == nil {
		return ""
	}
	return c.value
}

func (c *choice) Set(v string) error {
	for _, a := range c.allowed {
		if v == a {
			c.value = v
			return nil
		}
	}
	return fmt.Errorf("want %s", strings.Join(c.allowed, " or "))
}

// amount is a flag that takes a number, 0 or more (GB, requests).
type amount float64

func (a *amount) String() string {
	if a == nil {
		return "0"
	}
	return strconv.FormatFloat(float64(*a), 'f', -1, 64)
}

func (a *amount) Set(v string) error {
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return fmt.Errorf("want a number, 0 or more")
	}
	*a = amount(n)
	return nil
}
