"""Independent PyTorch reference for NF4 quantisation with double-quantised scales.

Written from the QLoRA paper (Dettmers et al. 2023) and bitsandbytes' definition of its
quantize_4bit(quant_type="nf4", blocksize=64, compress_statistics=True):

- NF4 values: 8 quantiles of N(0, 1) for the positive side (probabilities evenly spaced from
  0.9677083 down to 0.5, last one left out), 7 for the negative side, and an exact zero; sorted
  and divided by the largest, so that they span [-1, 1] asymmetrically. As bitsandbytes builds
  them: the probabilities as float32, the quantiles in float64, the division in float32.
- Each block of 64 values (the tensor flattened row-major) is divided by its absolute maximum
  (multiplied by the float32 reciprocal, as bitsandbytes' kernels do) and each value takes the
  index of the nearest NF4 value; a value exactly between two goes to the lower one. Codes are
  packed two per byte, the first in the high nibble.
- Double quantisation: the absmax scales, less their mean, are quantised blockwise (256 per
  block, each with its float32 absmax) to 8 bits on bitsandbytes' signed dynamic map (for each
  decade 1e-6 ... 1, the midpoints of 2^i + 1 evenly spaced points in [0.1, 1], both signs, 0
  and 1), computed here in float64 and rounded once to float32.
- Dequantisation: scale = map[code8] * absmax2 + mean; value = nf4[code4] * scale.

It needs only torch; safetensors are read and written by reference_model.py's helpers.

usage: reference_nf4.py CASE_DIR
  reads  CASE_DIR/nf4_inputs.safetensors (tensors to quantise)
  writes CASE_DIR/nf4_reference.safetensors: nf4_values, scale_map and, per tensor NAME,
         packed/NAME (the bytes), scale_codes/NAME, scale_absmax/NAME, scale_offset/NAME and
         dequantized/NAME
usage: reference_nf4.py --model MODEL_DIR OUT_DIR
  writes OUT_DIR, a Hugging Face directory whose decoder projections (q, k, v, o, gate, up,
  down) are replaced by their NF4 round trip, everything else as it was, all float32
"""

import json
import math
import os
import shutil
import sys

import torch
from torch.special import ndtri

from reference_model import read_safetensors, read_weights, write_safetensors

BLOCK = 64
SCALE_BLOCK = 256
PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def nf4_values(offset=0.9677083):
    positive = ndtri(torch.linspace(offset, 0.5, 9)[:-1].double())
    negative = -ndtri(torch.linspace(offset, 0.5, 8)[:-1].double())
    values = torch.cat([positive, torch.zeros(1, dtype=torch.float64), negative]).float()
    values = values.sort().values
    return values / values.max()


def dynamic_map():
    data = []
    for i in range(7):
        points = 2 ** i + 1
        boundaries = [0.1 + 0.9 * j / (points - 1) for j in range(points)]
        decade = 10.0 ** (-6 + i)
        for j in range(points - 1):
            mean = (boundaries[j] + boundaries[j + 1]) / 2
            data += [decade * mean, -decade * mean]
    data += [0.0, 1.0]
    return torch.tensor(sorted(data), dtype=torch.float64).float()


def nearest(x, values):
    midpoints = ((values[:-1].double() + values[1:].double()) / 2).float()
    # bucketize(right=False) counts the midpoints strictly below x: ties go to the lower value
    return torch.bucketize(x, midpoints, right=False)


def quantize_blockwise(flat, block, values):
    n = flat.numel()
    blocks = max(1, math.ceil(n / block))
    padded = torch.zeros(blocks * block, dtype=torch.float32)
    padded[:n] = flat
    rows = padded.view(blocks, block)
    absmax = rows.abs().max(dim=1).values
    inverse = torch.where(absmax == 0, torch.zeros_like(absmax), 1 / absmax)
    codes = nearest(rows * inverse[:, None], values).flatten()[:n]
    return codes, absmax


def quantize(tensor):
    flat = tensor.detach().float().flatten()
    values = nf4_values()
    codes, absmax = quantize_blockwise(flat, BLOCK, values)
    offset = absmax.double().mean().float()
    scale_map = dynamic_map()
    scale_codes, scale_absmax = quantize_blockwise(absmax - offset, SCALE_BLOCK, scale_map)
    return codes, scale_codes, scale_absmax, offset


def dequantize(codes, scale_codes, scale_absmax, offset, shape):
    per_scale = scale_absmax.repeat_interleave(SCALE_BLOCK)[: scale_codes.numel()]
    scales = dynamic_map()[scale_codes] * per_scale + offset
    per_value = scales.repeat_interleave(BLOCK)[: codes.numel()]
    return (nf4_values()[codes] * per_value).reshape(shape)


def pack(codes):
    if codes.numel() % 2:
        codes = torch.cat([codes, torch.zeros(1, dtype=codes.dtype)])
    return codes[0::2] * 16 + codes[1::2]


def round_trip(tensor):
    codes, scale_codes, scale_absmax, offset = quantize(tensor)
    return dequantize(codes, scale_codes, scale_absmax, offset, tensor.shape)


def run_case(case_dir):
    inputs = read_safetensors(os.path.join(case_dir, "nf4_inputs.safetensors"))
    results = {"nf4_values": nf4_values(), "scale_map": dynamic_map()}
    for name, tensor in inputs.items():
        codes, scale_codes, scale_absmax, offset = quantize(tensor)
        results["packed/" + name] = pack(codes).float()
        results["scale_codes/" + name] = scale_codes.float()
        results["scale_absmax/" + name] = scale_absmax
        results["scale_offset/" + name] = offset.reshape(1)
        results["dequantized/" + name] = dequantize(codes, scale_codes, scale_absmax, offset, tensor.shape)
    write_safetensors(os.path.join(case_dir, "nf4_reference.safetensors"), results)


def run_model(model_dir, out_dir):
    weights = read_weights(model_dir)
    for name in list(weights):
        parts = name.split(".")
        if len(parts) > 2 and parts[-2] in PROJECTIONS and parts[-1] == "weight":
            weights[name] = round_trip(weights[name])
    os.makedirs(out_dir, exist_ok=True)
    for entry in os.listdir(model_dir):
        if not entry.endswith(".safetensors") and entry != "model.safetensors.index.json":
            shutil.copy(os.path.join(model_dir, entry), out_dir)
    write_safetensors(os.path.join(out_dir, "model.safetensors"), weights)


if __name__ == "__main__":
    torch.set_num_threads(1)
    if sys.argv[1] == "--model":
        run_model(sys.argv[2], sys.argv[3])
    else:
        run_case(sys.argv[1])
