package decode_test

import (
	"fmt"

	"github.com/bcikit/bcikit/decode"
)

func ExampleNew() {
	p, err := decode.New("ts+lr")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Input() == decode.Trials, decode.Summary("ts+lr"))
	_, err = decode.New("svm")
	fmt.Println(err)
	// Output:
	// true OAS covariances + Riemannian tangent space + logistic regression
	// decode: unknown pipeline "svm" (pipelines: acm+ts+svm, cca, csp+lda, fb+mdm, fb+ts+lr, fbcsp+svm, fgmdm, mdm, ts+lr, ts+svm)
}
