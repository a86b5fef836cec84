package paradigm

import (
	"context"
	"testing"
)

// benchSubject cuts subject 1 of dataset name with the paradigm called
// par, reading the files anew each time as bench and train do.
func benchSubject(b *testing.B, name, probe, par string) {
	d := getDataset(b, name, probe)
	p, err := For(d, par)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr, err := p.Subject(ctx, d, 1)
		if err != nil {
			b.Fatal(err)
		}
		if tr.Len() == 0 {
			b.Fatal("no trials")
		}
	}
}

// BenchmarkSubjectImagery: EEGMMIDB subject 1 (3 runs, 45 trials, 64
// channels), 8–32 Hz.
func BenchmarkSubjectImagery(b *testing.B) {
	benchSubject(b, "eegmmidb-imagery-lr", "eegmmidb/S001/S001R04.edf", "imagery")
}

// BenchmarkSubjectImageryFB: the same with the six bands of imagery-fb.
func BenchmarkSubjectImageryFB(b *testing.B) {
	benchSubject(b, "eegmmidb-imagery-lr", "eegmmidb/S001/S001R04.edf", "imagery-fb")
}

// BenchmarkSubjectSSVEPFB: SSVEP-Exo subject 1 (2 sessions, 64 trials, 8
// channels), three bands.
func BenchmarkSubjectSSVEPFB(b *testing.B) {
	benchSubject(b, "ssvep-exo", "ssvep-exo/subject01", "ssvep-fb")
}

// BenchmarkCutImageryFB isolates filtering and cutting from reading:
// one EEGMMIDB run, six bands.
func BenchmarkCutImageryFB(b *testing.B) {
	d := getDataset(b, "eegmmidb-imagery-lr", "eegmmidb/S001/S001R04.edf")
	p, err := For(d, "imagery-fb")
	if err != nil {
		b.Fatal(err)
	}
	recs, err := d.Recordings(1)
	if err != nil {
		b.Fatal(err)
	}
	r, ev, err := d.Read(recs[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Cut(r, ev); err != nil {
			b.Fatal(err)
		}
	}
}
