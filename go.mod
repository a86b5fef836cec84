module github.com/bcikit/bcikit

go 1.26
