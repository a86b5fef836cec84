// Package dataset locates recordings on disk. BCIKIT_DATA names the data
// directory; without it bcikit uses the user's cache directory
// (~/.cache/bcikit on Linux). Datasets live under it in their upstream
// layout, for example eegmmidb/S001/S001R04.edf.
package dataset
