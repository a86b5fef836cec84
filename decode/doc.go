// Package decode composes bcikit's estimators into the named decoding
// pipelines that `bcikit bench`, `bcikit train` and `bcikit predict` run:
// trials in, labels and scores out.
//
// The pipelines and the Python pipelines they are checked against
// (bench/compare_bench.py builds the same ones with MNE, scikit-learn and a
// transcription of pyRiemann 0.6):
//
//	csp+lda     MNE CSP (4 components, log-variance) → LDA(solver='lsqr', shrinkage='auto')
//	ts+lr       Covariances('oas') → TangentSpace(metric='riemann') → LogisticRegression(C=1)
//	ts+svm      Covariances('oas') → TangentSpace(metric='riemann') → SVC(kernel='linear')
//	mdm         Covariances('oas') → MDM(metric='riemann')
//	fgmdm       Covariances('oas') → FgMDM(metric='riemann')
//	acm+ts+svm  AugmentedDataset(order=4, lag=2) → Covariances('cov') → TangentSpace → SVC(kernel='rbf')
//	fbcsp+svm   filter bank CSP (4 components per band) → SelectKBest(mutual_info, k=10) → SVC(kernel='linear')
//	fb+mdm      SSVEP extended signal (bands stacked as channels) → Covariances('lwf') → MDM
//	fb+ts+lr    SSVEP extended signal → Covariances('lwf') → TangentSpace → LogisticRegression
//	cca         canonical correlation with sine/cosine references (SSVEP)
//
// Every pipeline's fitted state is plain data: a Model (pipeline name,
// version, the channels and rate it was trained on, and the pipeline)
// round-trips through JSON.
package decode
