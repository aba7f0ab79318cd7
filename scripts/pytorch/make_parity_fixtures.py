"""Reference activations from real PyTorch for nn's blocks: tests/fixtures/pytorch/<case>.json.

Regenerate (Debian bookworm; the system Python, since a pyenv `python3` on PATH lacks Debian's packages):

    apt-get install -y python3-torch python3-torchvision     # torch 1.13.1, torchvision 0.14.1
    /usr/bin/python3 scripts/pytorch/make_parity_fixtures.py

Each case builds one module with seeded weights, puts it in eval mode (BatchNorm uses its running
statistics, which are randomised so that normalisation is not the identity; tfjs's BatchNormalization
with training=false does the same with its moving statistics), runs one seeded input and stores:

    {"case", "module", "torch", "torchvision", "input", "output", "params": {state_dict key: tensor}}

Tensors are {"shape", "layout", "float32": base64 of little-endian float32}, already in tfjs layouts:
activations NCHW → NHWC, conv weights OIHW → HWIO, Linear weights and the 1×1-conv "dense" layers of
SqueezeExcitation [out, in(, 1, 1)] → [in, out]; vectors as they are. num_batches_tracked is left out.
The mapping from these PyTorch names to nn's layers is in tests/nn/pytorch-cases.ts.
"""
import base64
import json
import os
import sys

import numpy as np
import torch
import torchvision
from torch import nn
from torchvision.models.densenet import _DenseBlock, _DenseLayer, _Transition
from torchvision.models.resnet import BasicBlock, Bottleneck
from torchvision.ops import SqueezeExcitation

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_modules as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'fixtures', 'pytorch')


def projection(cin: int, cout: int, stride: int) -> nn.Sequential:
    """torchvision's downsample: conv1×1 (no bias) + BN."""
    return nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))


# name → (module factory, NCHW input shape, what it is). Stride-2 cases use even sizes, where TensorFlow's
# 'same' padding is one-sided and PyTorch's symmetric padding gives different numbers.
CASES = {
    'basic_v1_s1': (lambda: BasicBlock(8, 8), (1, 8, 8, 8), 'torchvision BasicBlock, stride 1, identity shortcut'),
    'basic_v1_s2': (lambda: BasicBlock(8, 16, stride=2, downsample=projection(8, 16, 2)), (1, 8, 8, 8),
                    'torchvision BasicBlock, stride 2, conv1×1+BN projection'),
    'basic_v2_s1': (lambda: ref.PreActBasicBlock(8, 8), (1, 8, 8, 8), 'pre-activation BasicBlock (v2), stride 1'),
    'basic_v2_s2': (lambda: ref.PreActBasicBlock(8, 16, stride=2), (1, 8, 8, 8),
                    'pre-activation BasicBlock (v2), stride 2, bare 1×1 projection of the pre-activated input'),
    'bottleneck_s2': (lambda: Bottleneck(16, 4, stride=2, downsample=projection(16, 16, 2)), (1, 16, 8, 8),
                      'torchvision Bottleneck (v1.5: stride on the 3×3), stride 2'),
    'resnext_s2': (lambda: Bottleneck(16, 8, stride=2, downsample=projection(16, 32, 2), groups=4, base_width=16), (1, 16, 8, 8),
                   'torchvision Bottleneck with groups=4, base_width=16 (ResNeXt, width 8), stride 2'),
    'se': (lambda: SqueezeExcitation(16, 4), (1, 16, 4, 4), 'torchvision SqueezeExcitation(16, 4)'),
    'se_bottleneck_s2': (lambda: ref.SEBottleneck(16, 4, reduction=4, stride=2, downsample=projection(16, 16, 2)), (1, 16, 8, 8),
                         'SE after bn3 (timm SE-ResNet), stride 2'),
    'dense_layer': (lambda: _DenseLayer(8, growth_rate=4, bn_size=4, drop_rate=0.0), (1, 8, 8, 8),
                    'torchvision _DenseLayer (DenseNet-BC bottleneck), growth 4'),
    'dense_block': (lambda: _DenseBlock(2, 8, bn_size=4, growth_rate=4, drop_rate=0.0), (1, 8, 8, 8),
                    'torchvision _DenseBlock of 2 BC layers, growth 4: 8 → 16 channels'),
    'transition': (lambda: _Transition(16, 8), (1, 16, 8, 8), 'torchvision _Transition 16 → 8, avg-pool 2×2/2'),
    'd2l_dense_block': (lambda: ref.D2lDenseBlock(2, 8, 4), (1, 8, 8, 8), "d2l's DenseBlock(2, 4) with conv biases"),
    'fractal': (lambda: ref.FractalBlock(3, 4, 3), (1, 3, 8, 8), 'FractalNet block, C = 3, 4 filters, drop-path off'),
    'd2l_resnet18': (lambda: ref.D2lResNet(((2, 8), (2, 8), (2, 16), (2, 16)), stem=8), (1, 1, 64, 64),
                     "d2l's ResNet-18 on one 64×64 image, narrowed (b1 8, stages 8, 8, 16, 16) to keep the fixture small"),
    'd2l_densenet': (lambda: ref.D2lDenseNet(num_channels=64, growth_rate=4, arch=(2, 2)), (1, 1, 64, 64),
                     "d2l's DenseNet(64, growth 4, arch (2, 2)) on one 64×64 image"),
}


def randomise(module: nn.Module) -> None:
    """Seeded, non-trivial weights: default (Kaiming-uniform) conv/linear init, BN affine and running stats random."""
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.2)
                m.running_mean.normal_(0.0, 0.2)
                m.running_var.uniform_(0.5, 2.0)


def dense_like(module: nn.Module) -> set:
    """Name prefixes of the 1×1 convs nn implements as dense layers (SqueezeExcitation's fc1 and fc2)."""
    prefixes = set()
    for name, m in module.named_modules():
        if isinstance(m, SqueezeExcitation):
            base = f'{name}.' if name else ''
            prefixes.update({f'{base}fc1.', f'{base}fc2.'})
    return prefixes


def encode(t: torch.Tensor, layout: str) -> dict:
    a = np.ascontiguousarray(t.detach().cpu().numpy().astype('<f4'))
    return {'shape': list(a.shape), 'layout': layout, 'float32': base64.b64encode(a.tobytes()).decode('ascii')}


def to_tfjs(name: str, t: torch.Tensor, dense: set) -> dict:
    if t.dim() == 4 and any(name.startswith(p) for p in dense):
        return encode(t.flatten(1).t(), 'IO')  # [out, in, 1, 1] → [in, out]
    if t.dim() == 4:
        return encode(t.permute(2, 3, 1, 0), 'HWIO')
    if t.dim() == 2:
        return encode(t.t(), 'IO')  # Linear [out, in] → [in, out]
    return encode(t, 'C')


def activation(t: torch.Tensor) -> dict:
    return encode(t.permute(0, 2, 3, 1), 'NHWC') if t.dim() == 4 else encode(t, 'NC')


def make(index: int, name: str) -> dict:
    factory, shape, about = CASES[name]
    torch.manual_seed(1000 + index)
    module = factory()
    randomise(module)
    module.eval()
    x = torch.randn(shape)
    with torch.no_grad():
        y = module(x)
    dense = dense_like(module)
    params = {k: to_tfjs(k, v, dense) for k, v in module.state_dict().items() if not k.endswith('num_batches_tracked')}
    return {
        'case': name, 'module': about, 'torch': torch.__version__, 'torchvision': torchvision.__version__,
        'input': activation(x), 'output': activation(y), 'params': params,
    }


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)  # deterministic reductions
    total = 0
    for i, name in enumerate(CASES):
        path = os.path.join(OUT, f'{name}.json')
        with open(path, 'w') as f:
            json.dump(make(i, name), f, indent=1)
            f.write('\n')
        size = os.path.getsize(path)
        total += size
        print(f'{name:18s} {size / 1024:7.1f} KiB')
    print(f'{"total":18s} {total / 1024:7.1f} KiB')


if __name__ == '__main__':
    main()
