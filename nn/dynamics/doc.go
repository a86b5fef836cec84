// Package dynamics holds neural-dynamics layers for package nn and the
// three decoders built from them:
//
//   - SNN, a spiking network: EEG → current injection (a learned spatial
//     projection) or delta spike encoding (DeltaEncoder) → synapses with
//     learnable delays (DelayConv: dilated convolution with learnable
//     spacings, Gaussian interpolation, as Hammouamri, Khalfaoui-Hassani
//     and Masquelier 2024, "Learning delays in spiking neural networks
//     using dilated convolutions with learnable spacings") → a recurrent
//     layer of leaky integrate-and-fire neurons (LIF) trained by
//     back-propagation through time with a surrogate gradient (Neftci,
//     Mostafa and Zenke 2019; fast-sigmoid surrogate of Zenke and Ganguli
//     2018) → spike-count readout;
//   - AKOrN, artificial Kuramoto oscillatory neurons (Miyato, Löwe, Geiger
//     and Welling 2025): units as unit vectors on a sphere, driven by a
//     stimulus computed from the input and coupled to each other, updated
//     for a fixed number of steps (Kuramoto); the final state feeds a
//     readout;
//   - CTM, a Continuous Thought Machine (Darlow et al. 2025): neurons each
//     with a private model of a short history of their pre-activations,
//     unrolled over internal ticks, with the pairwise synchronisation of
//     their activity traces as the representation (CTMCore).
//
// Every layer implements nn.Layer with hand-written forward and backward
// passes, checked against PyTorch 1.13 transcriptions
// (testdata/gen/dyn_layers.py, within 1e-4 relative) and by finite
// differences. Layers outside package nn cannot take part in nn.Net.Init,
// so InitNet initialises a network that holds them; the model builders do
// it.
//
// Settings that would make a layer unstable or meaningless (a LIF time
// step not shorter than its membrane time constant, a non-positive
// Kuramoto step, a delay range below one step) are refused by Build with
// nn.ErrConfig, before anything runs.
//
// Cost reports what one decision costs: the multiply-adds of the dense
// layers and, for spiking layers, the synaptic events (spikes times
// fan-out), measured on given trials.
package dynamics
