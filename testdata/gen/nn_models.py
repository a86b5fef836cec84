"""PyTorch definitions of the networks bcikit's nn/models builds, shared by
testdata/gen/nn_layers.py (fixtures) and bench/compare_nn.py (speed).

EEGNet-8,2 as Lawhern et al. (2018) define it (Keras "same" padding, Dense
classifier with max-norm 0.25); ShallowFBCSPNet and EEGNeX transcribed from
braindecode's definitions (braindecode is not installed here).
"""
import torch
import torch.nn as nn


class Conv2dWithConstraint(nn.Conv2d):
    """braindecode's: torch.renorm of the weight before each forward."""

    def __init__(self, *a, max_norm=1.0, **k):
        self.max_norm = max_norm
        super().__init__(*a, **k)

    def forward(self, x):
        self.weight.data = torch.renorm(self.weight.data, p=2, dim=0, maxnorm=self.max_norm)
        return super().forward(x)


class LinearWithConstraint(nn.Linear):
    def __init__(self, *a, max_norm=1.0, **k):
        self.max_norm = max_norm
        super().__init__(*a, **k)

    def forward(self, x):
        self.weight.data = torch.renorm(self.weight.data, p=2, dim=0, maxnorm=self.max_norm)
        return super().forward(x)


class EEGNet82(nn.Module):
    """EEGNet-8,2 (Lawhern et al. 2018): Keras "same" padding, Dense
    classifier with max-norm 0.25, BatchNorm momentum 0.01 / eps 1e-3 as
    Keras' defaults (braindecode's EEGNetv4 uses the same)."""

    def __init__(self, n_chans, n_classes, drop=0.25, F1=8, D=2, F2=16):
        super().__init__()
        bn = lambda c: nn.BatchNorm2d(c, momentum=0.01, eps=1e-3)
        self.net = nn.Sequential(
            nn.Conv2d(1, F1, (1, 64), padding="same", bias=False), bn(F1),
            Conv2dWithConstraint(F1, F1 * D, (n_chans, 1), groups=F1, bias=False, max_norm=1.0), bn(F1 * D),
            nn.ELU(), nn.AvgPool2d((1, 4)), nn.Dropout(drop),
            nn.Conv2d(F1 * D, F1 * D, (1, 16), padding="same", groups=F1 * D, bias=False),
            nn.Conv2d(F1 * D, F2, (1, 1), bias=False), bn(F2),
            nn.ELU(), nn.AvgPool2d((1, 8)), nn.Dropout(drop), nn.Flatten(),
        )
        self.n_chans, self.F2 = n_chans, F2

    def build_head(self, n_times, n_classes):
        with torch.no_grad():
            n = self.net(torch.zeros(2, 1, self.n_chans, n_times)).shape[1]
        self.head = LinearWithConstraint(n, n_classes, max_norm=0.25)

    def forward(self, x):
        return self.head(self.net(x.unsqueeze(1)))


class ShallowFBCSPNet(nn.Module):
    """braindecode's ShallowFBCSPNet (split first layer, batch norm, square,
    mean pooling 75/15, safe log, final convolution over the remaining
    time), input (batch, chans, times) laid out as (batch, 1, times, chans)."""

    def __init__(self, n_chans, n_classes, n_times, drop=0.5, filters=40):
        super().__init__()
        self.conv_time = nn.Conv2d(1, filters, (25, 1), stride=1)
        self.conv_spat = nn.Conv2d(filters, filters, (1, n_chans), stride=1, bias=False)
        self.bnorm = nn.BatchNorm2d(filters, momentum=0.1, affine=True)
        self.pool = nn.AvgPool2d((75, 1), stride=(15, 1))
        self.drop = nn.Dropout(drop)
        n_out = (n_times - 24 - 75) // 15 + 1
        self.conv_classifier = nn.Conv2d(filters, n_classes, (n_out, 1), bias=True)
        for c in (self.conv_time, self.conv_spat, self.conv_classifier):
            nn.init.xavier_uniform_(c.weight, gain=1)
            if c.bias is not None:
                nn.init.constant_(c.bias, 0)

    def forward(self, x):
        x = x.unsqueeze(-1).permute(0, 3, 2, 1)  # batch 1 time chans
        x = self.bnorm(self.conv_spat(self.conv_time(x)))
        x = self.drop(torch.log(torch.clamp(self.pool(x * x), min=1e-6)))
        return self.conv_classifier(x)[:, :, 0, 0]


class EEGNeX(nn.Module):
    """braindecode's EEGNeX with its defaults."""

    def __init__(self, n_chans, n_classes, n_times, drop=0.5, f1=8, f2=32, d=2):
        super().__init__()
        self.block_1 = nn.Sequential(nn.Conv2d(1, f1, (1, 64), padding="same", bias=False), nn.BatchNorm2d(f1))
        self.block_2 = nn.Sequential(nn.Conv2d(f1, f2, (1, 64), padding="same", bias=False), nn.BatchNorm2d(f2))
        self.block_3 = nn.Sequential(
            Conv2dWithConstraint(f2, f2 * d, (n_chans, 1), groups=f2, bias=False, max_norm=1.0),
            nn.BatchNorm2d(f2 * d), nn.ELU(), nn.AvgPool2d((1, 4), padding=(0, 1)), nn.Dropout(drop))
        self.block_4 = nn.Sequential(nn.Conv2d(f2 * d, f2, (1, 16), dilation=(1, 2), padding="same", bias=False), nn.BatchNorm2d(f2))
        self.block_5 = nn.Sequential(
            nn.Conv2d(f2, f1, (1, 16), dilation=(1, 4), padding="same", bias=False), nn.BatchNorm2d(f1),
            nn.ELU(), nn.AvgPool2d((1, 8), padding=(0, 1)), nn.Dropout(drop), nn.Flatten())
        with torch.no_grad():
            n = self.features(torch.zeros(2, n_chans, n_times)).shape[1]
        self.final_layer = LinearWithConstraint(n, n_classes, max_norm=0.25)

    def features(self, x):
        x = x.unsqueeze(1)
        for b in (self.block_1, self.block_2, self.block_3, self.block_4, self.block_5):
            x = b(x)
        return x

    def forward(self, x):
        return self.final_layer(self.features(x))
