package fakegithub

// SpiceDemo returns a repository holding a realistic spicepod at
// spicepod.yaml that refers to files in every way Spice knows: datasets
// by ref (one of them only as dataset.yml), an inline file: dataset, a
// folder dataset, a view with sql_ref and one by ref, a model by ref, and
// a dependency spicepod with references of its own. Some files are
// referenced by nothing.
func SpiceDemo(org, name, ref string) Repo {
	return Repo{Org: org, Name: name, Ref: ref, Files: map[string]string{
		"spicepod.yaml": `version: v1
kind: Spicepod
name: taxi-analytics
dependencies:
  - spiceai/quickstart
datasets:
  - ref: datasets/trips
  - from: file:data/zones.csv
    name: zones
  - from: file://./data/events
    name: events
    params:
      file_format: jsonl
  - ref: datasets/weather
views:
  - name: busiest
    sql_ref: sql/busiest.sql
  - name: busiest_again
    sql_ref: sql/busiest.sql
  - ref: views/daily
models:
  - ref: models/forecaster
  - from: openai:gpt-4o-mini
    name: assistant
`,
		"datasets/trips/dataset.yaml":    "from: file:data/trips.csv\nname: trips\nacceleration:\n  enabled: true\n",
		"data/trips.csv":                 "id,pickup,dropoff,fare\n1,JFK,SoHo,52.50\n2,LGA,Harlem,31.00\n",
		"data/zones.csv":                 "zone,borough\nSoHo,Manhattan\nHarlem,Manhattan\n",
		"data/events/2024-01.jsonl":      `{"event":"start","at":"2024-01-01T00:00:00Z"}` + "\n",
		"data/events/2024-02.jsonl":      `{"event":"stop","at":"2024-02-01T00:00:00Z"}` + "\n",
		"data/events/archive/2023.jsonl": `{"event":"archived"}` + "\n",
		"datasets/weather/dataset.yml":   "from: s3://noaa/weather.parquet\nname: weather\n",
		"sql/busiest.sql":                "SELECT pickup, count(*) AS n FROM trips GROUP BY pickup ORDER BY n DESC\n",
		"views/daily/view.yaml":          "name: daily\nsql_ref: sql/daily.sql\n",
		"sql/daily.sql":                  "SELECT date_trunc('day', pickup_at) AS day, sum(fare) FROM trips GROUP BY 1\n",
		"models/forecaster/model.yaml":   "from: huggingface:huggingface.co/acme/forecaster\nname: forecaster\n",
		"spicepods/spiceai/quickstart/spicepod.yaml": `version: v1
kind: Spicepod
name: quickstart
datasets:
  - ref: datasets/taxi_trips
embeddings:
  - ref: embeddings/minilm
`,
		"datasets/taxi_trips/dataset.yaml":  "from: file:data/taxi_trips.parquet\nname: taxi_trips\n",
		"data/taxi_trips.parquet":           "PAR1\x00\x01\x02\xff\xfe binary parquet bytes PAR1",
		"embeddings/minilm/embeddings.yaml": "from: huggingface:huggingface.co/sentence-transformers/all-MiniLM-L6-v2\nname: minilm\n",
		"README.md":                         "# taxi analytics\n",
		"datasets/unused/dataset.yaml":      "from: file:data/unused.csv\nname: unused\n",
	}}
}

// SpiceDemoEntries are the entries, in order, of the package of
// SpiceDemo's spicepod.yaml: directories end in a slash.
var SpiceDemoEntries = []string{
	"datasets/", "datasets/trips/", "datasets/trips/dataset.yaml",
	"data/", "data/trips.csv", "data/zones.csv",
	"data/events/", "data/events/2024-01.jsonl", "data/events/2024-02.jsonl",
	"data/events/archive/", "data/events/archive/2023.jsonl",
	"datasets/weather/", "datasets/weather/dataset.yaml",
	"sql/", "sql/busiest.sql",
	"views/", "views/daily/", "views/daily/view.yaml", "sql/daily.sql",
	"models/", "models/forecaster/", "models/forecaster/model.yaml",
	"datasets/taxi_trips/", "datasets/taxi_trips/dataset.yaml", "data/taxi_trips.parquet",
	"embeddings/", "embeddings/minilm/", "embeddings/minilm/embeddings.yaml",
	"spicepod.yaml",
	"spicepods/", "spicepods/spiceai/", "spicepods/spiceai/quickstart/", "spicepods/spiceai/quickstart/spicepod.yaml",
}
