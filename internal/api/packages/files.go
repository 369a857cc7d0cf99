package packages

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"wharf/internal/artifact"
	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/generic"
)

func (p path) fileRef() artifact.FileRef {
	return artifact.FileRef{Type: generic.RepoType, RepoName: p.repoName(), Version: p.version, FileName: p.file}
}

// upload stores the request body, or the first file of a multipart form,
// as a new file. Names are checked in Gitea's order: package, file,
// version.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, p path, who auth.Principal) error {
	if err := generic.ValidPackageName(p.name); err != nil {
		return fail(http.StatusBadRequest, "invalid package name")
	}
	if err := generic.ValidFileName(p.file); err != nil {
		return fail(http.StatusBadRequest, "invalid filename")
	}
	if err := generic.ValidVersion(p.version); err != nil {
		return fail(http.StatusBadRequest, "invalid package version")
	}
	body, err := uploadBody(r)
	if err != nil {
		return err
	}
	_, err = h.opt.Artifacts.PutFile(r.Context(), artifact.PutFileRequest{
		Type: generic.RepoType, RepoName: p.repoName(), Version: p.version, FileName: p.file,
		Body: body, MaxSize: h.opt.MaxFileBytes, Creator: who.UserID,
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// uploadBody returns the bytes to store: the raw body, or for a form
// upload the first file part, streamed.
func uploadBody(r *http.Request) (io.Reader, error) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		return r.Body, nil
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	if params["boundary"] == "" {
		return nil, fail(http.StatusBadRequest, "invalid multipart form")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, fail(http.StatusBadRequest, "invalid multipart form: no file part")
		}
		if part.FileName() != "" {
			return part, nil
		}
	}
}

func (h *Handler) deleteFile(w http.ResponseWriter, r *http.Request, p path, _ auth.Principal) error {
	if err := h.opt.Artifacts.DeleteFile(r.Context(), p.fileRef()); err != nil {
		return h.notFound(r, p, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) deleteVersion(w http.ResponseWriter, r *http.Request, p path, _ auth.Principal) error {
	if err := h.opt.Artifacts.DeleteNamedVersion(r.Context(), generic.RepoType, p.repoName(), p.version); err != nil {
		if errs.Is(err, errs.NotFound) {
			return errNoPackage
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// notFound words a lookup failure as Gitea does: "package does not exist"
// when the package or version is missing, "package file does not exist"
// when only the file is. Other errors pass through.
func (h *Handler) notFound(r *http.Request, p path, err error) error {
	if !errs.Is(err, errs.NotFound) {
		return err
	}
	if _, verr := h.opt.Artifacts.NamedVersion(r.Context(), generic.RepoType, p.repoName(), p.version); errs.Is(verr, errs.NotFound) {
		return errNoPackage
	}
	return fail(http.StatusNotFound, "package file does not exist")
}
