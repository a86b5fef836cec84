package decode_test

import (
	"errors"
	"fmt"

	"github.com/bcikit/bcikit/decode"
)

func ExampleNew() {
	p, err := decode.New("ts+lr")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Input() == decode.Trials, decode.Summary("ts+lr"))
	// An unknown name is an error that lists the pipelines (decode.Names).
	_, err = decode.New("svm")
	fmt.Println(errors.Is(err, decode.ErrUnknown))
	// Output:
	// true OAS covariances + Riemannian tangent space + logistic regression
	// true
}
