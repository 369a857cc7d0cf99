package spice

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/generic"
	"wharf/internal/pkggen"
)

// mayPublish checks, before anything is fetched, that who may push to the
// generic package p: a signed-in caller (401), an existing owner (404)
// and push rights (403).
func (h *Handler) mayPublish(r *http.Request, who auth.Principal, p publish) error {
	if who.Anonymous() {
		return &httpError{status: http.StatusUnauthorized, msg: "sign in to publish packages"}
	}
	if _, err := h.opt.Artifacts.Namespace(r.Context(), p.Owner); errs.Is(err, errs.NotFound) {
		return fail(http.StatusNotFound, "publish.owner: no owner named "+strconv.Quote(p.Owner))
	} else if err != nil {
		return err
	}
	ok, err := h.opt.Authorizer.Can(r.Context(), who, auth.Push, generic.RepoType, p.repoName())
	if err != nil {
		return err
	}
	if !ok {
		return fail(http.StatusForbidden, "no right to publish to "+p.repoName())
	}
	return nil
}

// generate builds the package and answers it: the zip itself, or with
// publish, the generic package file it was stored as.
func (h *Handler) generate(w http.ResponseWriter, r *http.Request, who auth.Principal, req request) error {
	p, err := h.opt.Generator.Generate(r.Context(), pkggen.Request{Source: req.source, Token: req.token})
	if err != nil {
		return err
	}
	defer p.Close()
	if p.CacheErr != nil {
		h.log.WarnContext(r.Context(), "generated package not kept", "err", p.CacheErr)
	}
	cache := "miss"
	if p.Cached {
		cache = "hit"
	}
	w.Header().Set("X-Wharf-Cache", cache)
	if req.publish != nil {
		return h.publish(w, r, who, *req.publish, p)
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/zip")
	hd.Set("Content-Length", strconv.FormatInt(p.Size, 10))
	hd.Set("Content-Disposition", `attachment; filename="spicepod.zip"`)
	hd.Set("ETag", `"`+p.Digest+`"`)
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, p.Content); err != nil {
		h.log.DebugContext(r.Context(), "sending package", "err", err)
	}
	return nil
}

// published describes a package stored by a publish request.
type published struct {
	Owner   string `json:"owner"`
	Name    string `json:"name"`
	Version string `json:"version"`
	File    string `json:"file"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	URL     string `json:"url"`
}

// publish stores the package as a file of a generic package version and
// answers 201 with where it is; a file of that name already there is a
// 409.
func (h *Handler) publish(w http.ResponseWriter, r *http.Request, who auth.Principal, pub publish, p *pkggen.Package) error {
	_, err := h.opt.Artifacts.PutFile(r.Context(), artifact.PutFileRequest{
		Type: generic.RepoType, RepoName: pub.repoName(), Version: pub.Version, FileName: pub.File,
		Body: p.Content, MaxSize: h.opt.MaxFileBytes, Creator: who.UserID,
	})
	if errs.Is(err, errs.Exists) {
		return fail(http.StatusConflict, "publish: the package version already has a file "+strconv.Quote(pub.File))
	} else if err != nil {
		return err
	}
	loc := "/api/packages/" + url.PathEscape(pub.Owner) + "/generic/" + url.PathEscape(pub.Name) + "/" +
		url.PathEscape(pub.Version) + "/" + url.PathEscape(pub.File)
	w.Header().Set("Location", loc)
	writeJSON(w, http.StatusCreated, published{
		Owner: pub.Owner, Name: pub.Name, Version: pub.Version, File: pub.File,
		Size: p.Size, SHA256: p.Digest[len("sha256:"):], URL: loc,
	})
	return nil
}
