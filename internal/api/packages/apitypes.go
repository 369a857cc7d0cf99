package packages

import (
	"strings"
	"time"

	"wharf/internal/auth"
	"wharf/internal/meta"
)

// apiUser is the subset of Gitea's user object Wharf can fill truthfully.
type apiUser struct {
	ID       int64  `json:"id"`
	Login    string `json:"login"`
	UserName string `json:"username"`
	FullName string `json:"full_name"`
	Email    string `json:"email"`
	Created  string `json:"created"`
}

// apiPackage is one version in Gitea's package object. Repository is
// always null: packages are not linked to source repositories. Wharf has
// no web UI, so there is no html_url.
type apiPackage struct {
	ID         int64     `json:"id"`
	Owner      *apiUser  `json:"owner"`
	Repository *struct{} `json:"repository"`
	Creator    *apiUser  `json:"creator"`
	Type       string    `json:"type"`
	Name       string    `json:"name"`
	Version    string    `json:"version"`
	CreatedAt  string    `json:"created_at"`
}

// apiFile is Gitea's package file object; Size has no JSON tag there, so
// its key is capitalised.
type apiFile struct {
	ID     int64 `json:"id"`
	Size   int64
	Name   string `json:"name"`
	MD5    string `json:"md5"`
	SHA1   string `json:"sha1"`
	SHA256 string `json:"sha256"`
	SHA512 string `json:"sha512"`
}

// apiTime formats a time as Gitea's API does.
func apiTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// toAPIUser converts a user. The e-mail address is shown only to the
// user and to superusers.
func toAPIUser(u meta.User, who auth.Principal) *apiUser {
	out := &apiUser{ID: u.ID, Login: u.Name, UserName: u.Name, Created: apiTime(u.Created)}
	if !who.Anonymous() && (who.UserID == u.ID || who.Superuser) {
		out.Email = u.Email
	}
	return out
}

// toAPIPackage converts a version; its package name is the repository
// name without the owner.
func toAPIPackage(v meta.OwnerVersion, owner *apiUser, who auth.Principal) apiPackage {
	_, name, _ := strings.Cut(v.Repo.Name, "/")
	p := apiPackage{ID: v.ID, Owner: owner, Type: v.Repo.Type, Name: name, Version: v.Version.Version,
		CreatedAt: apiTime(v.Created)}
	if v.Creator.ID != 0 {
		p.Creator = toAPIUser(v.Creator, who)
	}
	return p
}

func toAPIFile(f meta.File) apiFile {
	return apiFile{ID: f.ID, Size: f.Size, Name: f.Name, MD5: f.MD5, SHA1: f.SHA1,
		SHA256: strings.TrimPrefix(f.Digest, "sha256:"), SHA512: f.SHA512}
}
