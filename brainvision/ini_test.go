package brainvision

import (
	"strings"
	"testing"
)

// TestINIRules checks configparser behaviours the header relies on.
func TestINIRules(t *testing.T) {
	text := "; comment\n[S]\nKey = a:b\nother: x = y\n  continued\n\n  after blank\n# c\nz=%(key)s%%\n[DEFAULT]\nd=1\n"
	f, err := parseINI(text, 1)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"key": "a:b", "other": "x = y\ncontinued\n\nafter blank", "z": "a:b%", "D": "1"} {
		if got, err := f.get("S", key); err != nil || got != want {
			t.Errorf("get(S, %s) = %q, %v; want %q", key, got, err, want)
		}
	}
	items, err := f.items("S")
	if err != nil || len(items) != 4 || items[0].key != "d" || items[1].key != "key" {
		t.Errorf("items = %v, %v", items, err)
	}
	for _, bad := range []string{"x=1\n", "[S]\n=1\n", "[S]\nno delimiter\n", "[S]\n[S]\n", "[S]\na=1\nA=2\n"} {
		if _, err := parseINI(bad, 1); err == nil {
			t.Errorf("parseINI(%q) accepted", bad)
		}
	}
}

// TestInterpolationBlowup keeps nested references from expanding without
// bound (a fuzzing finding: configparser expands them exponentially).
func TestInterpolationBlowup(t *testing.T) {
	var b strings.Builder
	b.WriteString("[S]\nk0=x\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("k" + string(rune('0'+i)) + "=" + strings.Repeat("%(k"+string(rune('0'+i-1))+")s", 8) + "\n")
	}
	f, err := parseINI(b.String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.get("S", "k9"); err == nil || !strings.Contains(err.Error(), "expand beyond") {
		t.Errorf("8^9-fold expansion: err = %v", err)
	}
	if v, err := f.get("S", "k3"); err != nil || len(v) != 512 {
		t.Errorf("k3 = %d bytes, %v; want 512", len(v), err)
	}
}
