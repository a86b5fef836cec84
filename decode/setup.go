package decode

// Setup describes where trials come from, for pipelines that need more
// than the trials themselves (cca needs each class's stimulation frequency
// and the sampling rate).
type Setup struct {
	// SFreq is the sampling rate of the trials in Hz.
	SFreq float64
	// ClassFreqs maps a class label to its stimulation frequency in Hz
	// (SSVEP); classes without one (rest) are absent.
	ClassFreqs map[int]float64
	// TrialSeconds is the nominal duration of a trial.
	TrialSeconds float64
}

// Configurer is implemented by pipelines that must be given the Setup
// before Fit. Callers that build a pipeline with New call Configure when
// the pipeline implements it.
type Configurer interface {
	Configure(Setup) error
}

// Configure calls p.Configure(s) when p is a Configurer; it does nothing
// otherwise.
func Configure(p Pipeline, s Setup) error {
	if c, ok := p.(Configurer); ok {
		return c.Configure(s)
	}
	return nil
}

// PredictScorer is implemented by pipelines that can give Predict and
// Score of the same trials for the price of one pass (covariances,
// features and distances computed once). Scores is nil when the model
// has other than two classes.
type PredictScorer interface {
	PredictScore(x Data) (labels []int, scores []float64, err error)
}

// PredictScore returns p's predictions of x and, for a two-class model,
// its scores: in one pass where p is a PredictScorer, else by Predict and
// Score.
func PredictScore(p Pipeline, x Data, twoClass bool) ([]int, []float64, error) {
	if ps, ok := p.(PredictScorer); ok {
		return ps.PredictScore(x)
	}
	pred, err := p.Predict(x)
	if err != nil || !twoClass {
		return pred, nil, err
	}
	s, err := p.Score(x)
	return pred, s, err
}
