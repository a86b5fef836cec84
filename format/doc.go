// Package format opens and writes recordings by file name: it picks the
// reader (EDF, EDF+, BDF, BDF+, GDF, BrainVision, FIF) from the extension,
// or from the file's first bytes when the extension is unknown, and the
// writer (EDF+, BDF+, CSV) from the output's extension. Each format itself
// lives in its own package (edf, gdf, brainvision, fif); this package only
// dispatches, so that a command-line tool or a dataset can say
// format.Open(path) and get a raw.Reader whatever the file is.
package format
