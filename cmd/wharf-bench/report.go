package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// report is everything one run measured; it is written as JSON and as a table.
type report struct {
	Label    string        `json:"label,omitempty"`
	Registry string        `json:"registry"`
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	Client   clientInfo    `json:"client"`
	Params   params        `json:"params"`
	Push     []blobResult  `json:"push,omitempty"`
	Pull     []blobResult  `json:"pull,omitempty"`
	Manifest []loadResult  `json:"manifest,omitempty"`
	Images   *imagesResult `json:"images,omitempty"`
	Memory   []sectionMem  `json:"server_memory,omitempty"`
	Skipped  []string      `json:"skipped,omitempty"`
}

type clientInfo struct {
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	NumCPU    int    `json:"num_cpu"`
}

type params struct {
	Repo        string   `json:"repo"`
	Sizes       []string `json:"sizes"`
	Chunk       string   `json:"chunk"`
	Duration    string   `json:"duration"`
	Concurrency []int    `json:"concurrency"`
	Images      int      `json:"images"`
	Workers     int      `json:"workers"`
	Seed        uint64   `json:"seed"`
	Auth        string   `json:"auth"`
	PID         int      `json:"server_pid,omitempty"`
}

// sectionMem is the server's memory before and after one section.
type sectionMem struct {
	Section string  `json:"section"`
	Before  procMem `json:"before"`
	After   procMem `json:"after"`
}

func newReport(cfg config) *report {
	auth := "anonymous"
	switch {
	case cfg.token != "":
		auth = "token"
	case cfg.user != "":
		auth = "credentials"
	}
	p := params{
		Repo: cfg.repo, Chunk: formatSize(cfg.chunk), Duration: cfg.duration.String(),
		Concurrency: cfg.concurrency, Images: cfg.images, Workers: cfg.workers, Seed: cfg.seed, Auth: auth, PID: cfg.pid,
	}
	for _, s := range cfg.sizes {
		p.Sizes = append(p.Sizes, formatSize(s))
	}
	return &report{
		Label: cfg.label, Registry: cfg.registry.String(), Started: time.Now().UTC(), Params: p,
		Client: clientInfo{GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, NumCPU: runtime.NumCPU()},
	}
}

func (r *report) finish() { r.Finished = time.Now().UTC() }

// writeJSON writes the report to path, indented.
func (r *report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// writeTable prints the report as aligned plain-text tables.
func (r *report) writeTable(out io.Writer) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	title := r.Registry
	if r.Label != "" {
		title = r.Label + " at " + r.Registry
	}
	fmt.Fprintf(w, "%s\n", title)
	for _, sec := range []struct {
		name string
		res  []blobResult
	}{{"push", r.Push}, {"pull", r.Pull}} {
		if len(sec.res) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nblob %s\tsize\tmode\tMiB/s\tseconds\tserver peak RSS MiB\n", sec.name)
		for _, b := range sec.res {
			fmt.Fprintf(w, "\t%s\t%s\t%.1f\t%.2f\t%s\n", b.SizeLabel, b.Mode, b.MiBps, b.Seconds, kibToMiB(b.ServerPeakRSSKiB))
		}
	}
	if len(r.Manifest) > 0 {
		fmt.Fprintf(w, "\nmanifest by tag\tmethod\tconcurrency\treq/s\tp50 ms\tp99 ms\tmax ms\trequests\terrors\n")
		for _, m := range r.Manifest {
			fmt.Fprintf(w, "\t%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%d\n",
				m.Method, m.Concurrency, m.ReqPerSec, m.P50Ms, m.P99Ms, m.MaxMs, m.Requests, m.Errors)
		}
	}
	if i := r.Images; i != nil {
		fmt.Fprintf(w, "\nsmall images\timages\tworkers\timages/s\tp50 ms\tp99 ms\tseconds\n")
		fmt.Fprintf(w, "\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.2f\n", i.Images, i.Workers, i.PerSecond, i.P50Ms, i.P99Ms, i.Seconds)
	}
	if len(r.Memory) > 0 {
		fmt.Fprintf(w, "\nserver memory MiB\tsection\tRSS before\tRSS after\tpeak before\tpeak after\n")
		for _, m := range r.Memory {
			fmt.Fprintf(w, "\t%s\t%s\t%s\t%s\t%s\n", m.Section,
				kibToMiB(m.Before.RSSKiB), kibToMiB(m.After.RSSKiB), kibToMiB(m.Before.HWMKiB), kibToMiB(m.After.HWMKiB))
		}
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "\nskipped: %s\n", strings.Join(r.Skipped, ", "))
	}
	return w.Flush()
}

func kibToMiB(k int64) string {
	if k == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(k)/1024)
}
