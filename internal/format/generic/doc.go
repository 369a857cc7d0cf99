// Package generic holds the naming rules of the generic package registry
// that Forgejo and Gitea serve at /api/packages/{owner}/generic/: which
// package names, versions and file names an upload may use. The functions
// are pure and safe for concurrent use; their errors wrap errs.Invalid and
// carry the exact messages those servers answer with.
package generic
