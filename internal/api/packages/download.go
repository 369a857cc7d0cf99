package packages

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"wharf/internal/auth"
)

// download answers GET and HEAD of a file with Gitea's headers, ranges
// and conditional requests. A GET counts a download of the file's version
// once the file is open and its content goes out (200 or 206): not for
// HEAD, 304 or 416, and not when the file cannot be opened. A counter that
// fails is logged; the download goes on.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, p path, _ auth.Principal) error {
	f, rd, err := h.opt.Artifacts.OpenFile(r.Context(), p.fileRef())
	if err != nil {
		return h.notFound(r, p, err)
	}
	defer rd.Close()
	if r.Method == http.MethodGet {
		w = &contentHook{ResponseWriter: w, onContent: func() {
			if err := h.opt.Artifacts.CountDownload(r.Context(), f.VersionID); err != nil {
				h.log.WarnContext(r.Context(), "download not counted", "err", err, "path", r.URL.Path)
			}
		}}
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Disposition", contentDisposition(f.Name))
	hd.Set("Access-Control-Expose-Headers", "Content-Disposition")
	hd.Set("Cache-Control", "private, max-age=300")
	var content io.ReadSeeker = rd
	if of, ok := rd.(interface{ File() *os.File }); ok {
		content = of.File()
	}
	http.ServeContent(w, r, "", f.Created, content)
	return nil
}

// contentDisposition names the file for download in both the quoted form
// and the RFC 5987 form.
func contentDisposition(name string) string {
	quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)
	return `attachment; filename="` + quoted + `"; filename*=UTF-8''` + url.PathEscape(name)
}

// contentHook calls onContent once, before the status line goes out, when
// the status is 200 or 206: the response carries the file's content. It
// passes ReadFrom on, so that files still go out with sendfile.
type contentHook struct {
	http.ResponseWriter
	onContent func()
	sent      bool // the final status went out
}

func (c *contentHook) WriteHeader(code int) {
	if !c.sent && code >= 200 {
		c.sent = true
		if code == http.StatusOK || code == http.StatusPartialContent {
			c.onContent()
		}
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *contentHook) Write(b []byte) (int, error) {
	if !c.sent {
		c.WriteHeader(http.StatusOK)
	}
	return c.ResponseWriter.Write(b)
}

func (c *contentHook) ReadFrom(src io.Reader) (int64, error) {
	if !c.sent {
		c.WriteHeader(http.StatusOK)
	}
	if rf, ok := c.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(struct{ io.Writer }{c.ResponseWriter}, src)
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (c *contentHook) Unwrap() http.ResponseWriter { return c.ResponseWriter }
