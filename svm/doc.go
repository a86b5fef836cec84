// Package svm is the C-support vector classifier of scikit-learn 1.2's
// sklearn.svm.SVC with kernel="linear" or kernel="rbf" (gamma="scale" by
// default), probability=False — what MOABB's and pyRiemann's SVM pipelines
// use.
//
// Fit is a port of LIBSVM's C-SVC as sklearn ships it: the SMO solver with
// second-order working-set selection and shrinking, stopping tolerance
// 1e-3, the kernel matrix held in float32 as LIBSVM's Qfloat, classes
// sorted and grouped as sklearn's patched svm_group_classes does, and one
// binary problem per pair of classes. Because the iterations are LIBSVM's,
// the dual coefficients, intercepts and decision values agree with sklearn
// to rounding (the tests check 1e-9 relative), not merely to the solver
// tolerance, and the support vectors and predictions are the same.
//
// Predict is LIBSVM's one-vs-one vote. Decision is sklearn's
// decision_function: for two classes the decision value of Classes[1] (what
// roc_auc scoring uses), for more the one-vs-rest transform of the votes
// and pairwise decision values (decision_function_shape="ovr").
//
//	m := svm.New(svm.RBF) // C = 1, gamma = 'scale'
//	if err := m.Fit(x, y); err != nil { ... }
//	score, err := m.DecisionFunction(xTest)
//
// Fit holds one n_class_i+n_class_j square float32 kernel matrix per pair
// of classes (LIBSVM computes columns on demand into a 200 MB cache
// instead); that is 4·l² bytes, 40 MB for l = 3000 trials.
//
// The fitted state (support vectors, LIBSVM's sv_coef and ρ) is plain
// exported fields, so an SVC round-trips through encoding/json.
package svm
