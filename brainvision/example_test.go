package brainvision_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/bcikit/bcikit/brainvision"
	"github.com/bcikit/bcikit/raw"
)

// writeExample writes a two-channel, four-sample recording and returns
// its header's path.
func writeExample(dir string) string {
	files := map[string]string{
		"rec.vhdr": "Brain Vision Data Exchange Header File Version 1.0\n" +
			"[Common Infos]\nDataFile=rec.eeg\nMarkerFile=rec.vmrk\nDataFormat=BINARY\n" +
			"DataOrientation=MULTIPLEXED\nNumberOfChannels=2\nSamplingInterval=4000\n" +
			"[Binary Infos]\nBinaryFormat=INT_16\n" +
			"[Channel Infos]\nCh1=Cz,,0.1,µV\nCh2=HEOGL,,1,mV\n",
		"rec.vmrk": "Brain Vision Data Exchange Marker File, Version 1.0\n[Marker Infos]\n" +
			"Mk1=New Segment,,1,1,0,20240102030405000000\nMk2=Stimulus,S  7,3,0,0\n",
		// int16 little-endian, Cz then HEOGL for each sample.
		"rec.eeg": "\x0a\x00\x01\x00\x14\x00\x02\x00\xec\xff\xfe\xff\x00\x00\x00\x00",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	return filepath.Join(dir, "rec.vhdr")
}

func Example() {
	dir, err := os.MkdirTemp("", "brainvision-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	r, err := brainvision.Open(writeExample(dir))
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	fmt.Println(info.SFreq, "Hz,", info.NSamples, "samples, recorded", info.MeasDate.Format("2006-01-02 15:04:05"))
	for _, c := range info.Channels {
		fmt.Println(c.Name, c.Type, c.Unit)
	}
	for _, a := range info.Annotations {
		fmt.Printf("%.3f s %s\n", a.Onset, a.Description)
	}

	// Read samples 1 and 2 only.
	win := raw.NewData(len(info.Channels), 2)
	if err := r.ReadAt(win, 1); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Cz %.1e V, HEOGL %.0e V\n", win[0], win[1])
	// Output:
	// 250 Hz, 4 samples, recorded 2024-01-02 03:04:05
	// Cz eeg V
	// HEOGL eog V
	// 0.000 s New Segment/
	// 0.008 s Stimulus/S  7
	// Cz [2.0e-06 -2.0e-06] V, HEOGL [2e-03 -2e-03] V
}
