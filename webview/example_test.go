package webview_test

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/bcikit/bcikit/webview"
)

func ExampleServer() {
	s, err := webview.New(webview.Options{Title: "S001 live"})
	if err != nil {
		panic(err)
	}
	s.SetStream([]string{"C3", "Cz", "C4"}, 160)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go http.Serve(ln, s)
	go s.Run(context.Background())
	// Chunks and decisions go in as they arrive.
	s.Samples([][]float64{{1e-6, 2e-6}, {0, 1e-6}, {-1e-6, 0}})
	s.Decide(webview.Decision{Sample: 1, Class: 2, Name: "left_hand"})
	fmt.Println(len(s.Token()) == 32, s.Clients())
	// Output: true 0
}
