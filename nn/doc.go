// Package nn is bcikit's small neural-network engine: explicit layers with
// hand-written forward and backward passes over batched float32 tensors,
// a softmax cross-entropy loss, Adam/AdamW/SGD optimisers with a cosine
// schedule, and a training loop with a validation split, early stopping and
// data augmentation. It trains the EEGNet family of decoders (package
// nn/models) to the numbers PyTorch 1.13 gives on the same weights and
// inputs.
//
// Tensors are row-major NCHW: a batch of n examples, each of Shape
// [C, H, W] (channels, height, width). An EEG trial enters a network as
// [1, electrodes, samples]. A Net is a sequence of Layers; Net.Reserve
// sizes every activation and gradient buffer for a batch size once, so
// that the training loop allocates nothing per batch.
//
// The layers follow PyTorch's definitions (torch.nn.Conv2d, Linear,
// BatchNorm2d, Dropout, ELU, ReLU, GELU, AvgPool2d, MaxPool2d, Flatten,
// CrossEntropyLoss, optim.Adam, optim.AdamW, optim.SGD,
// lr_scheduler.CosineAnnealingLR) and their default initialisation
// (Kaiming-uniform with a=√5 for weights, U(±1/√fan_in) for biases).
// testdata/gen/nn_layers.py builds each layer and the three models in
// PyTorch with fixed weights and writes outputs and gradients that the
// tests compare with, within 1e-4 relative.
//
// Differences from PyTorch: random numbers (initial weights, dropout masks,
// shuffling) come from Go's PCG generator, so a seeded bcikit run is
// deterministic but draws other numbers than a seeded PyTorch run; results
// are deterministic for a given number of worker goroutines (weight
// gradients are summed per worker, then across workers). Max-norm
// constraints are applied before every training forward pass, as
// braindecode's constrained layers do, and once after training (Net.Constrain)
// instead of before every evaluation pass, so that a trained network is
// never written to while it predicts. TrainConfig.RecalibrateBN (off by
// default; the decode pipelines turn it on) ends training by setting the
// batch-norm running statistics to their average over the training
// batches, as torch.optim.swa_utils.update_bn.
//
// Speed: the heavy products run through internal/f32's AVX2/FMA SGEMM
// (convolutions as im2col + Gemm, parallel over the examples of a batch).
// bench/compare_nn.sh times an epoch of EEGNet-8,2 on 1,024 trials of
// 64 channels × 480 samples, batch 64, Adam, 2 threads, beside PyTorch 1.13
// (Debian python3-torch): 1.9 s against 7.1 s per epoch on the shared
// 2-core development machine (ratio 0.27; under heavier load 5.5 s against
// 31.7 s).
package nn
