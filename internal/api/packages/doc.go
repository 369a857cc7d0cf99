// Package packages is Wharf's Forgejo/Gitea-compatible package front at
// /api/packages/{owner}/: today its generic registry, where plain files are
// published and fetched with curl under a package name and version. It
// follows Gitea's behaviour: names are validated on upload only, looked up
// case-insensitively, a duplicate file is a 409, and a version goes away
// with its last file. Errors are plain text.
//
// API serves Gitea's general package API at /api/v1/packages/ over the
// same packages: an owner's versions, one version, its files, and
// deleting a version, answered as JSON.
package packages
