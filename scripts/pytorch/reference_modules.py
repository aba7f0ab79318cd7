"""PyTorch reference modules for the blocks torchvision does not ship, written in plain torch.nn.

Used by make_parity_fixtures.py. torchvision 0.14 provides BasicBlock, Bottleneck (v1.5, stride on the
3×3, `groups`/`base_width` for ResNeXt), _DenseLayer, _DenseBlock, _Transition and SqueezeExcitation; the
pre-activation block, the SE bottleneck, FractalNet's block and d2l's Fashion-MNIST networks are here,
following the papers' and d2l's structure. Module names are chosen as those libraries name them, so the
state_dict keys are the ones a learner would see, and the tfjs side maps them explicitly.
"""
import torch
from torch import nn
from torch.nn import functional as F
from torchvision.models.resnet import Bottleneck
from torchvision.ops import SqueezeExcitation


class PreActBasicBlock(nn.Module):
    """He et al. 2016 (v2): BN → ReLU → conv3×3 → BN → ReLU → conv3×3, plus the shortcut, nothing after the add.

    The projection (when the shape changes) is a bare 1×1 conv reading the pre-activated input, as in the
    paper's reference code; the identity shortcut reads the raw input.
    """

    def __init__(self, in_planes: int, planes: int, stride: int = 1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.shortcut = None
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False)

    def forward(self, x):
        pre = F.relu(self.bn1(x))
        identity = self.shortcut(pre) if self.shortcut is not None else x
        out = self.conv1(pre)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + identity


class SEBottleneck(Bottleneck):
    """timm's SE-ResNet block: torchvision's Bottleneck with an SE module after bn3, before the add."""

    def __init__(self, inplanes: int, planes: int, reduction: int, **kwargs):
        super().__init__(inplanes, planes, **kwargs)
        channels = planes * self.expansion
        self.se = SqueezeExcitation(channels, max(1, channels // reduction))

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.se(self.bn3(self.conv3(out)))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class FractalBlock(nn.Module):
    """Larsson et al.: f_1(z) = unit(z), f_{k+1}(z) = join(f_k(f_k(z)), unit(z)), unit = conv3×3 → BN → ReLU.

    join is the element-wise mean (drop-path off). Joins that end at the same place merge into one (the
    paper's figure), so the block's last join averages all C columns. Column c holds 2^c units, used in
    data-flow order; columns[c][d] is the d-th unit along column c.
    """

    def __init__(self, in_channels: int, channels: int, num_columns: int):
        super().__init__()
        self.num_columns = num_columns
        self.columns = nn.ModuleList()
        for c in range(num_columns):
            units = nn.ModuleList()
            for d in range(2 ** c):
                cin = in_channels if d == 0 else channels
                units.append(nn.Sequential(nn.Conv2d(cin, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels), nn.ReLU()))
            self.columns.append(units)

    def forward(self, x):
        used = [0] * self.num_columns

        def unit(column, z):
            out = self.columns[column][used[column]](z)
            used[column] += 1
            return out

        def join(branches):
            return branches[0] if len(branches) == 1 else torch.stack(branches).mean(0)

        def level(k, z):
            # The branches of f_k(z) still to be joined: the direct unit of column C−k, then f_{k−1}∘f_{k−1}.
            direct = self.num_columns - k
            if k == 1:
                return [unit(direct, z)]
            inner = level(k - 1, join(level(k - 1, z)))
            return [unit(direct, z)] + inner

        return join(level(self.num_columns, x))


def d2l_stem(in_channels: int, channels: int) -> nn.Sequential:
    """d2l's b1: conv 7×7/2 (padding 3, with bias) → BN → ReLU → max-pool 3×3/2 (padding 1)."""
    return nn.Sequential(
        nn.Conv2d(in_channels, channels, 7, stride=2, padding=3), nn.BatchNorm2d(channels), nn.ReLU(),
        nn.MaxPool2d(3, stride=2, padding=1))


class D2lResidual(nn.Module):
    """d2l's Residual: conv3×3 → BN → ReLU → conv3×3 → BN, optional bare 1×1 conv3 shortcut, add, ReLU."""

    def __init__(self, in_channels: int, channels: int, use_1x1conv: bool = False, strides: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, channels, 3, stride=strides, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv3 = nn.Conv2d(in_channels, channels, 1, stride=strides) if use_1x1conv else None
        self.bn1 = nn.BatchNorm2d(channels)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        if self.conv3 is not None:
            x = self.conv3(x)
        return F.relu(y + x)


class D2lResNet(nn.Module):
    """d2l's ResNet(arch): b1, then per (num_residuals, channels) a stage whose first block projects with
    stride 2 (except the first stage), then global average pool → flatten → linear. d2l fixes b1 at 64
    channels; `stem` narrows it only to keep the fixture small."""

    def __init__(self, arch, stem: int = 64, in_channels: int = 1, num_classes: int = 10):
        super().__init__()
        self.net = nn.Sequential()
        self.net.add_module('b1', d2l_stem(in_channels, stem))
        channels = stem
        for i, (num_residuals, width) in enumerate(arch):
            blocks = []
            for j in range(num_residuals):
                project = j == 0 and i > 0
                blocks.append(D2lResidual(channels, width, use_1x1conv=project, strides=2 if project else 1))
                channels = width
            self.net.add_module(f'b{i + 2}', nn.Sequential(*blocks))
        self.net.add_module('last', nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(channels, num_classes)))

    def forward(self, x):
        return self.net(x)


def d2l_conv_block(in_channels: int, channels: int) -> nn.Sequential:
    """d2l's conv_block: BN → ReLU → conv3×3 (padding 1, with bias)."""
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(), nn.Conv2d(in_channels, channels, 3, padding=1))


class D2lDenseBlock(nn.Module):
    """d2l's DenseBlock: each conv_block reads the concatenation of the input and every earlier output."""

    def __init__(self, num_convs: int, in_channels: int, channels: int):
        super().__init__()
        self.net = nn.Sequential(*[d2l_conv_block(in_channels + i * channels, channels) for i in range(num_convs)])

    def forward(self, x):
        for blk in self.net:
            x = torch.cat((x, blk(x)), dim=1)
        return x


def d2l_transition_block(in_channels: int, channels: int) -> nn.Sequential:
    """d2l's transition_block: BN → ReLU → conv1×1 (with bias) → average pool 2×2/2."""
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(), nn.Conv2d(in_channels, channels, 1), nn.AvgPool2d(2, stride=2))


class D2lDenseNet(nn.Module):
    """d2l's DenseNet(num_channels, growth_rate, arch): b1, dense blocks with transitions halving the
    channels between them, then BN → ReLU → global average pool → flatten → linear."""

    def __init__(self, num_channels: int = 64, growth_rate: int = 32, arch=(4, 4, 4, 4), in_channels: int = 1, num_classes: int = 10):
        super().__init__()
        self.net = nn.Sequential()
        self.net.add_module('b1', d2l_stem(in_channels, num_channels))
        for i, num_convs in enumerate(arch):
            self.net.add_module(f'dense_blk{i + 1}', D2lDenseBlock(num_convs, num_channels, growth_rate))
            num_channels += num_convs * growth_rate
            if i != len(arch) - 1:
                self.net.add_module(f'tran_blk{i + 1}', d2l_transition_block(num_channels, num_channels // 2))
                num_channels //= 2
        self.net.add_module('last', nn.Sequential(
            nn.BatchNorm2d(num_channels), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(num_channels, num_classes)))

    def forward(self, x):
        return self.net(x)
