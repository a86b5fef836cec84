// Package chart draws bcikit's figures (power spectra, per-subject
// scores) with gonum.org/v1/plot, to PNG, SVG or PDF by file extension.
package chart
