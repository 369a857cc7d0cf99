// Package archtest holds the test that keeps Wharf's import graph pointing
// inward, as the style guide lays it out. It has no code of its own.
package archtest
