// Package spicepod reads what the Spice runtime's package generator
// reads: the `from` field of a generate request
// ("github:{org}/{repo}/{sha}/{path_to_spicepod.yaml}") and the spicepod
// manifests and component files of a repository, and says which files a
// package of that spicepod holds.
//
// A spicepod refers to other files in four ways, each resolved from the
// repository root (not from the manifest's directory), as Spice does:
//
//   - a component reference ({ref: dir}) in catalogs, datasets, views,
//     models, embeddings or tools names dir/<kind>.yaml, or dir/<kind>.yml
//     when the first is missing; the package stores it as dir/<kind>.yaml;
//   - a view's sql_ref names a SQL file;
//   - a dataset whose from is "file:<path>" names a data file;
//   - dependencies: [org/name] name spicepods/org/name/spicepod.yaml.
//
// A sql_ref or file: path whose last segment has no extension names a
// folder: every file under it. Referenced dataset and view files are
// parsed in turn for their sql_ref and file: paths; the manifests of
// dependencies are parsed for their own references, one level deep.
//
// Everything here is pure: no I/O, safe for concurrent use. Errors wrap
// errs.Invalid with a message fit for the client.
package spicepod
